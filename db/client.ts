import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle; queries take `Db | Tx` so they compose inside `db.transaction`. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

/** Opens the database with the pragmas every connection needs (WAL, foreign keys, busy timeout). */
export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash may lose the last commits).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  if (file !== ':memory:') {
    // Checkpoints run inside the commit that crosses the threshold, i.e. on the rating path. With the
    // default 1 000 pages they took a third of the ratings' database time (bench/): the same hot pages
    // (rollup rows, the right edge of each index) were copied back again and again. Every 10 000
    // pages (~40 MB of WAL) each page is copied once per many commits; the file is cut back after.
    sqlite.pragma('wal_autocheckpoint = 10000');
    sqlite.pragma('journal_size_limit = 67108864');
    // 32 MB of page cache instead of 2 MB: the indexes the ratings are inserted into stay in memory.
    sqlite.pragma('cache_size = -32768');
    // Each rating of a batch runs in a savepoint; its statement journal (a copy of every page it
    // touches) went to a temporary file. In memory: ~13 k → ~18 k ratings/s for the service alone.
    sqlite.pragma('temp_store = MEMORY');
  }
  return drizzle(sqlite, { schema }) as Db;
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}

/** The better-sqlite3 connection under a drizzle database or transaction (for prepared hot statements). */
export function sqliteOf(db: DbOrTx): Database.Database {
  // Transactions of drizzle's better-sqlite3 driver share the connection of the database.
  return (db as unknown as { session: { client: Database.Database } }).session.client;
}

/**
 * `make`, run once per connection and remembered for it: the prepared statements of a query module
 * (a database and its transactions share one connection, so they share the statements).
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
