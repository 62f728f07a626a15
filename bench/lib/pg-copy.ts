// Copies a generated SQLite database into a migrated PostgreSQL database, as a bulk import would: every
// table of the PostgreSQL schema emptied, its secondary indexes dropped, the SQLite rows sent in
// multi-row INSERTs (one JSON parameter per 5 000 rows, json_populate_recordset) in transactions of
// ~100 000 rows with foreign-key triggers off (the rows come from a consistent database), then the
// indexes rebuilt, every id sequence moved past its table's largest id, and VACUUM (ANALYZE), which
// a running server's autovacuum would have done: statistics for the planner, the visibility map for
// index-only scans; then a CHECKPOINT, as a server that has been running would have made.
import Database from 'better-sqlite3';
import pg from 'pg';

const CHUNK = 5_000;
/** PostgreSQL columns that stand for something SQLite has built in (db/schema-pg.ts EXTRA). */
const FROM_SQLITE: Record<string, Record<string, string>> = { codes: { seq: 'rowid' } };
const ROWS_PER_TRANSACTION = 100_000;

export interface CopyReport {
  /** Rows copied per table (read from SQLite = inserted into PostgreSQL). */
  rows: Record<string, number>;
  copyMs: number;
  indexMs: number;
  /** VACUUM (ANALYZE) and the CHECKPOINT after it. */
  analyzeMs: number;
  /** pg_database_size after the copy. */
  bytes: number;
}

export async function copyToPostgres(sqliteFile: string, url: string, log: (msg: string) => void): Promise<CopyReport> {
  const sqlite = new Database(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[];
    const tables = (
      await q<{ t: string }>(
        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
      )
    ).map((r) => r.t);
    const indexes = await q<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = 'public'
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
    );
    const t0 = performance.now();
    // What the migrations inserted is in the SQLite database too: start from empty tables.
    await q(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} CASCADE`);
    for (const ix of indexes) await q(`DROP INDEX "${ix.name}"`);
    // Foreign-key checks are triggers: off for this session (superuser) while consistent rows go in.
    await q('SET session_replication_role = replica');
    const rows: Record<string, number> = {};
    let inTransaction = 0;
    await q('BEGIN');
    for (const table of tables) {
      const columns = (
        await q<{ c: string }>(
          "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
          [table],
        )
      ).map((r) => r.c);
      const have = new Set((sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name));
      if (have.size === 0) throw new Error(`copy: no table ${table} in the SQLite database`);
      const source = (c: string) => FROM_SQLITE[table]?.[c];
      const missing = columns.filter((c) => !have.has(c) && !source(c));
      if (missing.length) throw new Error(`copy: ${table} has no ${missing.join(', ')} in the SQLite database`);
      const list = columns.map((c) => `"${c}"`).join(', ');
      const select = columns.map((c) => (source(c) ? `${source(c)} AS "${c}"` : `"${c}"`)).join(', ');
      const insert = `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
      let read = 0;
      let inserted = 0;
      let pending: Promise<pg.QueryResult> | null = null;
      const send = async (chunk: unknown[]) => {
        // One chunk on the wire while the next is read from SQLite.
        if (pending) inserted += (await pending).rowCount ?? 0;
        pending = client.query(insert, [JSON.stringify(chunk)]);
        inTransaction += chunk.length;
        if (inTransaction >= ROWS_PER_TRANSACTION) {
          inserted += (await pending).rowCount ?? 0;
          pending = null;
          await q('COMMIT');
          await q('BEGIN');
          inTransaction = 0;
        }
      };
      let chunk: unknown[] = [];
      for (const r of sqlite.prepare(`SELECT ${select} FROM "${table}"`).iterate()) {
        chunk.push(r);
        read++;
        if (chunk.length === CHUNK) {
          await send(chunk);
          chunk = [];
        }
      }
      if (chunk.length) await send(chunk);
      if (pending) inserted += ((await pending) as pg.QueryResult).rowCount ?? 0;
      if (inserted !== read) throw new Error(`copy: ${table}: ${read} rows read, ${inserted} inserted`);
      rows[table] = read;
      if (read > 100_000) log(`  copied ${table}: ${read.toLocaleString('en-US')} rows, ${Math.round(performance.now() - t0)} ms`);
    }
    await q('COMMIT');
    await q('SET session_replication_role = DEFAULT');
    const copyMs = performance.now() - t0;
    const t1 = performance.now();
    log(`  rebuilding ${indexes.length} indexes`);
    for (const ix of indexes) await q(ix.def);
    const serials = await q<{ t: string; c: string; s: string }>(
      `SELECT table_name AS t, column_name AS c, pg_get_serial_sequence(format('%I', table_name), column_name) AS s
       FROM information_schema.columns WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
    );
    for (const s of serials) await q(`SELECT setval($1, COALESCE((SELECT max("${s.c}") FROM "${s.t}"), 0) + 1, false)`, [s.s]);
    const indexMs = performance.now() - t1;
    const t2 = performance.now();
    log('  VACUUM (ANALYZE), CHECKPOINT');
    await q('VACUUM (ANALYZE)');
    // The load wrote gigabytes of WAL: without this, a checkpoint spread over the next minutes
    // (checkpoint_completion_target) would write those pages back while the routes are timed.
    await q('CHECKPOINT');
    const analyzeMs = performance.now() - t2;
    const bytes = Number((await q<{ n: string }>('SELECT pg_database_size(current_database()) AS n'))[0]!.n);
    return { rows, copyMs, indexMs, analyzeMs, bytes };
  } finally {
    await client.end();
    sqlite.close();
  }
}
