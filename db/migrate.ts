import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { type Db, poolOf, writerOf } from './client.js';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const pgMigrationsFolder = fileURLToPath(new URL('./migrations-pg', import.meta.url));

/**
 * Applies the committed drizzle-kit migrations of the database's driver; throws (and so stops the
 * server) on failure. On PostgreSQL an advisory lock makes instances starting together take turns.
 */
export async function migrateDb(db: Db): Promise<void> {
  if (db.driver === 'pg') {
    const client = await poolOf(db).connect();
    try {
      await client.query('SELECT pg_advisory_lock(7164201)');
      await migratePg(drizzlePg(client), { migrationsFolder: pgMigrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock(7164201)').catch(() => undefined);
      client.release();
    }
    return;
  }
  // A migration that rebuilds a table others refer to (0020: cases) drops the old table; with foreign
  // keys on, that DROP deletes its rows first and fails on their children. drizzle-kit's own
  // `PRAGMA foreign_keys=OFF` is a no-op inside the migrator's transaction, so the checks are switched
  // off around it and the whole database is checked after, as SQLite's ALTER TABLE procedure does.
  const sqlite = writerOf(db);
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(drizzle(sqlite), { migrationsFolder });
    const broken = sqlite.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`migration left ${broken.length} broken foreign key(s): ${JSON.stringify(broken.slice(0, 5))}`);
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
}
