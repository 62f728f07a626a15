import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './client.js';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations; throws (and so stops the server) on failure. */
export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder });
}
