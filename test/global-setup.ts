// With TEST_DATABASE_URL (test/with-postgres.ts), one migrated template database is made per run;
// each test app then gets `CREATE DATABASE … TEMPLATE` of it, a fresh database in a few milliseconds.
import pg from 'pg';
import { openPgDb } from '../db/client.js';
import { migrateDb } from '../db/migrate.js';

export const TEMPLATE_DB = 'msp_template';

export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    // The default collation a Chinese deployment's database is likely to have (zh-Hans-CN), not the
    // test cluster's C: the texts must still compare byte by byte (migration 0035), as on SQLite.
    try {
      await admin.query(
        `CREATE DATABASE ${TEMPLATE_DB} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'zh-Hans-CN'`,
      );
    } catch (err) {
      console.warn(`PostgreSQL without ICU (${(err as Error).message}): the tests run on a database of the default collation.`);
      await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    }
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${TEMPLATE_DB}`;
  const db = openPgDb(u.toString(), { max: 1 });
  await migrateDb(db);
  await db.close();
}
