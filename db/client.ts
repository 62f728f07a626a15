import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
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
