import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { type Db, writerOf } from './client.js';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations; throws (and so stops the server) on failure. */
export async function migrateDb(db: Db): Promise<void> {
  migrate(drizzle(writerOf(db)), { migrationsFolder });
}
