// The data-access shape every module uses, on either storage driver:
//   - `db` reads outside any transaction;
//   - `db.transaction(async (tx) => …)` writes: the callback is awaited BEFORE the commit, on both
//     drivers, so a transaction can never commit ahead of work it awaits (the async-callback-in-a-
//     sync-transaction bug of drizzle's better-sqlite3 driver); `tx.transaction(…)` is a savepoint.
// Every write happens inside a transaction. On SQLite the reads run on their own read-only connection
// (WAL: they see committed data only), so a stray write outside a transaction fails loudly, and a
// read never sees another request's uncommitted work while a transaction waits between statements.
// Transactions of one process take turns on the one writing connection.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Placeholder, type SQL } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';

type SqliteDrizzle = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * A connection or transaction of either driver. Typed with drizzle's SQLite builder (the schema is
 * declared once, for SQLite; PostgreSQL runs the same builder calls): use `await` on a query, never the
 * SQLite-only `.get()`, `.all()`, `.run()`.
 */
export type Conn = Omit<BetterSQLite3Database<typeof schema>, 'transaction' | '$client'> & {
  /** A transaction (or, inside one, a savepoint): `fn` is awaited before the commit. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
};
export type Tx = Conn;
export type DbOrTx = Conn;

export type Driver = 'sqlite';

/** The database of a process: reads through it, writes in `transaction`. */
export type Db = Conn & {
  /** Which storage driver runs it (drizzle's own `dialect` property is the SQL builder). */
  readonly driver: Driver;
  /** SQLite only: the file, `:memory:` included. */
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
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
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

/** The rows of a raw SQL query (aliases double-quoted so that both dialects keep their case). */
export async function rows<T>(c: DbOrTx, query: SQL): Promise<T[]> {
  return (c as unknown as BetterSQLite3Database).all<T>(query);
}

/** The first row of a raw SQL query. */
export async function firstRow<T>(c: DbOrTx, query: SQL): Promise<T | undefined> {
  return (await rows<T>(c, query))[0];
}

/** Runs a raw SQL statement. */
export async function exec(c: DbOrTx, query: SQL): Promise<void> {
  (c as unknown as BetterSQLite3Database).run(query);
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
  const cache = cachedStatements(c);
  let cached = cache.get(key);
  if (cached) {
    // Most recently used last (a Map keeps insertion order).
    cache.delete(key);
  } else {
    const query = (c as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(template());
    query.params.forEach((p, i) => {
      if (!(p instanceof Placeholder) || p.name !== String(i)) throw new Error(`${key}: value ${i} is not placeholder '${i}'`);
    });
    cached = { stmt: sqliteOf(c).prepare(query.sql), values: query.params.length };
    if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, cached);
  if (values.length !== cached.values) throw new Error(`${key}: ${values.length} values for ${cached.values} placeholders`);
  cached.stmt.run(values);
}
