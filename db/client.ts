// The data-access shape every module uses, on either storage driver:
//   - `db` reads outside any transaction;
//   - `db.transaction(async (tx) => …)` writes: the callback is awaited BEFORE the commit, on both
//     drivers, so a transaction can never commit ahead of work it awaits (the async-callback-in-a-
//     sync-transaction bug of drizzle's better-sqlite3 driver); `tx.transaction(…)` is a savepoint.
// Every write happens inside a transaction. On SQLite the reads run on their own read-only connection
// (WAL: they see committed data only), so a stray write outside a transaction fails loudly, and a
// read never sees another request's uncommitted work while a transaction waits between statements.
// Transactions of one process take turns on the one writing connection.
import Database from 'better-sqlite3';
import { is, Placeholder, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { privateDatabaseFiles } from './private-files.js';
import * as schema from './schema.js';

type SqliteDrizzle = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * A connection or transaction of either driver. Typed with drizzle's SQLite builder (the schema is
 * declared once, for SQLite; PostgreSQL runs the same builder calls): use `await` on a query, never the
 * SQLite-only `.get()`, `.all()`, `.run()`.
 */
export type Conn = Omit<BetterSQLite3Database<typeof schema>, 'transaction' | '$client' | 'get' | 'all' | 'run' | 'values'> & {
  /** A transaction (or, inside one, a savepoint): `fn` is awaited before the commit. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
};
export type Tx = Conn;

export interface TransactionOptions {
  /**
   * Every read of the transaction sees one snapshot, and it writes nothing (a verification that
   * compares tables). SQLite's transactions always do; PostgreSQL runs it REPEATABLE READ, READ ONLY.
   */
  snapshot?: boolean;
}
export type DbOrTx = Conn;

export type Driver = 'sqlite' | 'pg';

/** The database of a process: reads through it, writes in `transaction`. */
export type Db = Conn & {
  /** Which storage driver runs it (drizzle's own `dialect` property is the SQL builder). */
  readonly driver: Driver;
  /** The SQLite file (`:memory:` included), or the PostgreSQL URL without its password. */
  readonly file: string;
  close(): Promise<void>;
};

function openConnection(file: string, readonly: boolean): Database.Database {
  const sqlite = new Database(file, readonly ? { readonly: true } : {});
  if (!readonly) {
    sqlite.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode (only an OS crash may lose the last commits).
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
  }
  sqlite.pragma('busy_timeout = 5000');
  if (file !== ':memory:') {
    // Checkpoints run inside the commit that crosses the threshold, i.e. on the rating path. With the
    // default 1 000 pages they took a third of the ratings' database time (bench/): the same hot pages
    // (rollup rows, the right edge of each index) were copied back again and again. Every 10 000
    // pages (~40 MB of WAL) each page is copied once per many commits; the file is cut back after.
    if (!readonly) {
      sqlite.pragma('wal_autocheckpoint = 10000');
      sqlite.pragma('journal_size_limit = 67108864');
    }
    // 32 MB of page cache instead of 2 MB: the indexes the ratings are inserted into stay in memory.
    sqlite.pragma('cache_size = -32768');
    // Each rating of a batch runs in a savepoint; its statement journal (a copy of every page it
    // touches) went to a temporary file. In memory: ~13 k → ~18 k ratings/s for the service alone.
    sqlite.pragma('temp_store = MEMORY');
  }
  return sqlite;
}

/** Takes turns: each `run` starts when the one before it has finished. */
class Turns {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** `base` with its own `transaction` (drizzle's objects keep working through the prototype). */
function withTransaction<T extends object>(base: T, transaction: Conn['transaction']): T & Pick<Conn, 'transaction'> {
  const conn = Object.create(base) as T & Pick<Conn, 'transaction'>;
  Object.defineProperty(conn, 'transaction', { value: transaction });
  return conn;
}

/**
 * Opens the SQLite database: a writing connection for transactions and, for a file, a read-only one
 * for everything else. `:memory:` (tools and single-connection tests) reads on the writing connection.
 */
export function openDb(file: string): Db {
  if (file !== ':memory:') privateDatabaseFiles(file);
  const writer = openConnection(file, false);
  const reader = file === ':memory:' ? writer : openConnection(file, true);
  const writeDb = drizzle(writer, { schema }) as SqliteDrizzle;
  const readDb = drizzle(reader, { schema }) as SqliteDrizzle;
  const turns = new Turns();
  const begin = writer.prepare('BEGIN IMMEDIATE');
  const commit = writer.prepare('COMMIT');
  const rollback = writer.prepare('ROLLBACK');
  let depth = 0;
  // SAVEPOINT/RELEASE/ROLLBACK TO statements per nesting depth, prepared once: a batch of ratings
  // runs one savepoint per rating.
  const savepointStatements: Array<{ open: Database.Statement; release: Database.Statement; undo: Database.Statement }> = [];
  const savepointAt = (d: number) =>
    (savepointStatements[d] ??= {
      open: writer.prepare(`SAVEPOINT sp${d}`),
      release: writer.prepare(`RELEASE sp${d}`),
      undo: writer.prepare(`ROLLBACK TO sp${d}`),
    });

  // Inside a transaction: a savepoint, so a failing part rolls back alone.
  const nested = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const sp = savepointAt(++depth);
    sp.open.run();
    try {
      const value = await fn(tx);
      sp.release.run();
      return value;
    } catch (err) {
      if (writer.inTransaction) {
        sp.undo.run();
        sp.release.run();
      }
      throw err;
    } finally {
      depth--;
    }
  };
  const tx = withTransaction(writeDb, nested) as unknown as Tx;

  const transaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    turns.run(async () => {
      begin.run();
      try {
        const value = await fn(tx);
        commit.run();
        return value;
      } catch (err) {
        if (writer.inTransaction) rollback.run();
        throw err;
      }
    });

  const db = withTransaction(readDb, transaction) as unknown as Db;
  Object.defineProperties(db, {
    driver: { value: 'sqlite' },
    file: { value: file },
    close: {
      value: async () => {
        // Waits for the transaction in progress, then closes both connections.
        await turns.run(async () => undefined);
        if (reader !== writer && reader.open) reader.close();
        if (writer.open) writer.close();
      },
    },
  });
  writers.set(db, writer);
  return db;
}

const writers = new WeakMap<object, Database.Database>();

export async function closeDb(db: Db): Promise<void> {
  await db.close();
}

/** The better-sqlite3 connection under a database or transaction (for prepared hot statements). */
export function sqliteOf(db: DbOrTx): Database.Database {
  // Both drizzle objects (and ours, through the prototype) keep their connection in `session.client`.
  return (db as unknown as { session: { client: Database.Database } }).session.client;
}

/** The writing connection of a database (backups, maintenance tools). */
export function writerOf(db: Db): Database.Database {
  const w = writers.get(db);
  if (!w) throw new Error('not a database opened by openDb');
  return w;
}

/** The first row of a query's answer (drizzle answers arrays on every driver). */
export async function first<T>(rows: PromiseLike<T[]>): Promise<T | undefined> {
  return (await rows)[0];
}

/** The only row of an insert … returning. */
export async function only<T>(rows: PromiseLike<T[]>): Promise<T> {
  const r = (await rows)[0];
  if (r === undefined) throw new Error('expected a row');
  return r;
}

/**
 * `make`, run once per connection and remembered for it: the prepared statements of a query module
 * (a database's transactions share its writing connection, so they share the statements).
 */
export function perConnection<T>(make: (client: Database.Database, db: DbOrTx) => T): (db: DbOrTx) => T {
  const made = new WeakMap<Database.Database, T>();
  return (db) => {
    const client = sqliteOf(db);
    let value = made.get(client);
    if (value === undefined) {
      value = make(client, db);
      made.set(client, value);
    }
    return value;
  };
}

/** Whether a connection or transaction runs on PostgreSQL. */
export function isPg(c: DbOrTx): boolean {
  return is((c as unknown as { dialect: unknown }).dialect, PgDialect);
}

/** The rows of a raw SQL query (aliases double-quoted so that both dialects keep their case). */
export async function rows<T>(c: DbOrTx, query: SQL): Promise<T[]> {
  if (isPg(c)) return (await (c as unknown as NodePgDatabase).execute(query)).rows as T[];
  return (c as unknown as BetterSQLite3Database).all<T>(query);
}

/** The first row of a raw SQL query. */
export async function firstRow<T>(c: DbOrTx, query: SQL): Promise<T | undefined> {
  return (await rows<T>(c, query))[0];
}

/** Runs a raw SQL statement. */
export async function exec(c: DbOrTx, query: SQL): Promise<void> {
  if (isPg(c)) await (c as unknown as NodePgDatabase).execute(query);
  else (c as unknown as BetterSQLite3Database).run(query);
}

// PostgreSQL answers bigint (ids, ms timestamps, count(*), sums of integers) and numeric (sums of
// bigints) as strings, to be safe beyond 2^53. Every such value here is a count, an id or a time in
// ms, far below 2^53: numbers, as SQLite answers them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface PgOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

/**
 * Opens a PostgreSQL database (`postgres://…`): a connection pool; reads take any connection,
 * `transaction` holds one until it commits. Several app instances may share the database.
 */
export function openPgDb(url: string, opts: PgOptions = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, connectionTimeoutMillis: 5000 });
  // An idle connection that the server drops (a restart) must not take the process down.
  pool.on('error', () => undefined);
  const base = drizzlePg(pool);
  const transaction = <T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T> =>
    base.transaction(
      (tx) => fn(tx as unknown as Tx),
      opts?.snapshot ? { isolationLevel: 'repeatable read', accessMode: 'read only' } : undefined,
    );
  const db = withTransaction(base, transaction as Conn['transaction']) as unknown as Db;
  const shown = new URL(url);
  shown.password = '';
  Object.defineProperties(db, {
    driver: { value: 'pg' },
    file: { value: shown.toString() },
    close: { value: () => pool.end() },
  });
  pools.set(db, pool);
  urls.set(db, url);
  return db;
}

const urls = new WeakMap<object, string>();

/** What another connection to the same database opens: the SQLite file, or the PostgreSQL URL with its password. */
export function connectionTarget(db: Db): string {
  return urls.get(db) ?? db.file;
}

const pools = new WeakMap<object, pg.Pool>();

/** The pool under a PostgreSQL database (maintenance and tests). */
export function poolOf(db: Db): pg.Pool {
  const p = pools.get(db);
  if (!p) throw new Error('not a PostgreSQL database opened by openPgDb');
  return p;
}

/** Opens the database a configuration names: PostgreSQL for a postgres:// URL, else the SQLite file. */
export function openDatabase(target: string): Db {
  return /^postgres(ql)?:\/\//.test(target) ? openPgDb(target) : openDb(target);
}

// ---- Raw statements: constant SQL text, prepared once per connection ----

type Params = Record<string, unknown> | readonly unknown[];

/**
 * A constant SQL statement written for SQLite (better-sqlite3's `?` and `@name` parameters), prepared
 * once per connection on SQLite and translated once for PostgreSQL (see `toPostgres`). The hot paths
 * and the dashboards use these: building SQL with the query builder on every call cost as much as
 * running it (docs/architecture.md).
 */
export interface RawStatement {
  /** Rows as objects. */
  all<T>(params?: Params): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(params?: Params): Promise<T | undefined>;
  /** Rows as arrays of column values, in select-list order. */
  arrays<T extends unknown[]>(params?: Params): Promise<T[]>;
  /** The first column of every row. */
  column<T>(params?: Params): Promise<T[]>;
  run(params?: Params): Promise<void>;
}

const sqliteStatements = perConnection(() => new Map<string, Database.Statement>());

function sqliteStatement(c: DbOrTx, text: string): Database.Statement {
  const byText = sqliteStatements(c);
  let stmt = byText.get(text);
  if (!stmt) {
    stmt = sqliteOf(c).prepare(text);
    byText.set(text, stmt);
  }
  return stmt;
}

const args = (params: Params | undefined): unknown[] => (params === undefined ? [] : Array.isArray(params) ? [...params] : [params]);

interface PgText {
  text: string;
  /** Parameter names in $n order (named statements), or null for positional `?` ones. */
  names: string[] | null;
  /** A name for the server-side prepared statement. */
  name: string;
}
const pgTexts = new Map<string, PgText>();

/**
 * The PostgreSQL form of a statement written for SQLite. The few SQLite idioms these statements use
 * are rewritten here, in one place: parameters; a JSON array bound as one parameter
 * (`json_each(@ids)` → `json_array_elements_text`); `json_array(…)` → `json_build_array(…)`; an
 * upsert's `col = col + …` (PostgreSQL needs the table named); `(SELECT 1)` without an alias and
 * `ON 1`. Anything else must already be SQL both accept.
 */
export function toPostgres(text: string): PgText {
  let t = pgTexts.get(text);
  if (t) return t;
  let out = text
    .replace(/SELECT value FROM json_each\(@ids\)/g, 'SELECT value::bigint FROM json_array_elements_text(@ids::json) AS j(value)')
    .replace(/SELECT value FROM json_each\(@(\w+)\)/g, 'SELECT value FROM json_array_elements_text(@$1::json) AS j(value)')
    .replace(/\bjson_array\(/g, 'json_build_array(')
    .replace(/FROM \(SELECT 1\) LEFT JOIN/g, 'FROM (SELECT 1) AS one LEFT JOIN')
    .replace(/\bON 1\b/g, 'ON true');
  const into = /INSERT INTO (\w+)/.exec(out)?.[1];
  if (into) out = out.replace(/\b(\w+) = \1 ([+-])/g, `$1 = ${into}.$1 $2`);
  let names: string[] | null = null;
  if (/@\w+/.test(out)) {
    const order: string[] = [];
    out = out.replace(/@(\w+)/g, (_, name: string) => {
      let i = order.indexOf(name);
      if (i < 0) i = order.push(name) - 1;
      return `$${i + 1}`;
    });
    names = order;
  } else {
    let n = 0;
    out = out.replace(/\?/g, () => `$${++n}`);
  }
  t = { text: out, names, name: `msp${pgTexts.size + 1}` };
  pgTexts.set(text, t);
  return t;
}

interface PgQueryable {
  query(config: { text: string; values: unknown[]; name?: string; rowMode?: 'array' }): Promise<{ rows: unknown[] }>;
}

function pgClientOf(c: DbOrTx): PgQueryable {
  return (c as unknown as { session: { client: PgQueryable } }).session.client;
}

async function pgRun(
  c: DbOrTx,
  text: string,
  params: Params | undefined,
  rowMode: 'array' | undefined,
  replan: boolean,
): Promise<unknown[]> {
  const t = toPostgres(text);
  const values =
    t.names === null
      ? args(params)
      : t.names.map((n) => {
          const v = (params as Record<string, unknown> | undefined)?.[n];
          return typeof v === 'boolean' ? (v ? 1 : 0) : v;
        });
  // Unnamed: parsed and planned with its values at each run. Named: prepared once per connection, and
  // after five runs PostgreSQL may keep one generic plan for it.
  const res = await pgClientOf(c).query({ text: t.text, values, ...(replan ? {} : { name: t.name }), ...(rowMode ? { rowMode } : {}) });
  return res.rows;
}

/**
 * The statement of this constant SQL text on the connection or transaction `c`. `replan` (PostgreSQL):
 * planned anew at each run with its values, never held to a generic plan made once — for a statement
 * whose best index depends on how many rows its values match, run on a table that grows (a generic
 * plan made while the table was small kept walking the wrong index: bench/README.md).
 */
export function statement(c: DbOrTx, text: string, opts: { replan?: boolean } = {}): RawStatement {
  if (isPg(c)) {
    const replan = opts.replan === true;
    return {
      all: async <T>(p?: Params) => (await pgRun(c, text, p, undefined, replan)) as T[],
      get: async <T>(p?: Params) => (await pgRun(c, text, p, undefined, replan))[0] as T | undefined,
      arrays: async <T extends unknown[]>(p?: Params) => (await pgRun(c, text, p, 'array', replan)) as T[],
      column: async <T>(p?: Params) => ((await pgRun(c, text, p, 'array', replan)) as unknown[][]).map((r) => r[0] as T),
      run: async (p?: Params) => {
        await pgRun(c, text, p, undefined, replan);
      },
    };
  }
  const s = sqliteStatement(c, text);
  // better-sqlite3's raw/pluck modes stick to the statement: set the one each call needs.
  const as = (mode: 'object' | 'array' | 'first') => {
    if (s.reader) {
      s.raw(mode === 'array');
      if (mode === 'first') s.pluck(true);
      else if (mode === 'object') s.pluck(false);
    }
    return s;
  };
  return {
    all: async <T>(p?: Params) => as('object').all(...args(p)) as T[],
    get: async <T>(p?: Params) => as('object').get(...args(p)) as T | undefined,
    arrays: async <T extends unknown[]>(p?: Params) => as('array').all(...args(p)) as T[],
    column: async <T>(p?: Params) => as('first').all(...args(p)) as T[],
    run: async (p?: Params) => {
      s.run(...args(p));
    },
  };
}

/**
 * `expr IN (ids)` with the whole list as ONE bound parameter: a constant statement shape whatever the
 * number of ids (a county's 40 placeholders made statements costly to build and prepare). SQLite: a
 * JSON array. PostgreSQL: an array, `= ANY(…)`. Planned with its value, as these statements are, the
 * planner knows the list and its departments' share of the rows, and tests membership in a hash: a
 * province supervisor's case queue then walks (status, due_date) across all 400 departments at once
 * instead of seeking each of them, where the list as a set-returning function (estimated at 100 rows)
 * was joined row by row. Its execution: 9–10 ms → 1.5 ms; but estimating 400 ids in each of its 16
 * branches makes its planning ~5 ms (bench/README.md).
 */
export function inIdList(c: DbOrTx, expr: SQLWrapper, ids: readonly number[]): SQL {
  return isPg(c)
    ? sql`${expr} = ANY(${`{${ids.map((id) => Math.trunc(Number(id))).join(',')}}`}::bigint[])`
    : sql`${expr} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

/** A row's JSON array column: text on SQLite, already parsed by the PostgreSQL driver. */
export type JsonArray = string | unknown[];

export function jsonArray(v: JsonArray): unknown[] {
  return typeof v === 'string' ? (JSON.parse(v) as unknown[]) : v;
}

/**
 * Serializes the transactions that take the same key until they end. SQLite's transactions already
 * take turns; on PostgreSQL (READ COMMITTED, several instances) a read-then-write on shared state must
 * take this first: a transaction-scoped advisory lock, released at commit or rollback.
 */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  if (isPg(tx)) await exec(tx, sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
}

interface CachedStatement {
  stmt: Database.Statement;
  /** How many values it binds. */
  values: number;
}

/** Statements kept per connection by execCached: the ones used last. */
const CACHED_STATEMENTS = 128;
const cachedStatements = perConnection(() => new Map<string, CachedStatement>());

/**
 * Runs the statement named `key`, built by `template()` the first time (or again once it was dropped
 * from the connection's most recently used): a drizzle `sql` template whose values are
 * `sql.placeholder('0')`, `sql.placeholder('1')`, … in the order they appear, bound to `values` in
 * that order. For statements run often with too many values to build into a template each time (a
 * batch's rollups: drizzle takes ~1 µs a value to build and render): each driver renders the template
 * in its own dialect, once per key.
 */
export async function execCached(c: DbOrTx, key: string, template: () => SQL, values: readonly unknown[]): Promise<void> {
  const render = (): { sql: string; params: unknown[] } => {
    const query = (c as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(template());
    query.params.forEach((p, i) => {
      if (!(p instanceof Placeholder) || p.name !== String(i)) throw new Error(`${key}: value ${i} is not placeholder '${i}'`);
    });
    return query;
  };
  if (isPg(c)) {
    // The text is the dialect's, not the connection's: rendered once per key for every connection,
    // and prepared by the server under its own name on each connection that runs it.
    let text = pgCachedTexts.get(key);
    if (!text) {
      const query = render();
      text = { text: query.sql, values: query.params.length, name: `mspc${pgCachedTexts.size + 1}` };
      pgCachedTexts.set(key, text);
    }
    if (values.length !== text.values) throw new Error(`${key}: ${values.length} values for ${text.values} placeholders`);
    await pgClientOf(c).query({ text: text.text, values: [...values], name: text.name });
    return;
  }
  const cache = cachedStatements(c);
  let cached = cache.get(key);
  if (cached) {
    // Most recently used last (a Map keeps insertion order).
    cache.delete(key);
  } else {
    const query = render();
    cached = { stmt: sqliteOf(c).prepare(query.sql), values: query.params.length };
    if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, cached);
  if (values.length !== cached.values) throw new Error(`${key}: ${values.length} values for ${cached.values} placeholders`);
  cached.stmt.run(values);
}

const pgCachedTexts = new Map<string, { text: string; values: number; name: string }>();

/** An error and the errors it wraps (drizzle wraps the driver's in `cause`), outermost first. */
export function* errorChain(err: unknown): Generator<{ code?: unknown; message?: unknown }> {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    yield e as { code?: unknown; message?: unknown };
  }
}

/**
 * Whether an error (or one it wraps) is PostgreSQL ending a transaction to break a lock cycle (40P01
 * deadlock_detected) or a conflict of concurrent transactions (40001 serialization_failure): the
 * transaction did nothing, and running it again may succeed. SQLite's transactions take turns: never.
 */
export function isTransientConflict(err: unknown): boolean {
  for (const { code } of errorChain(err)) if (code === '40P01' || code === '40001') return true;
  return false;
}

/** Whether an error (or one it wraps) is a unique-constraint violation, on either driver. */
export function isUniqueViolation(err: unknown): boolean {
  for (const { code } of errorChain(err)) {
    if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  }
  return false;
}
