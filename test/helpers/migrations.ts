// A SQLite database as a deployment had it before a given migration: the migration tests build one,
// write rows of the old shape into it, then run today's migrations over it.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { type Db, openDb, writerOf } from '../../db/client.js';
import { ORG_UNIT_ROLLUPS, RUNNING_TOTALS } from '../../db/queries/recount.js';
import { writeSql } from './app.js';

const MIGRATIONS = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/**
 * An in-memory database migrated only up to (not including) the migration whose tag ends with `tagEnd`;
 * `dir` (an empty temporary directory the caller removes) receives the partial journal.
 */
export function databaseBefore(tagEnd: string, dir: string): Db {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const mine = journal.entries.find((e) => e.tag.endsWith(tagEnd));
  if (!mine) throw new Error(`no migration's tag ends with ${tagEnd}`);
  const entries = journal.entries.filter((e) => e.idx < mine.idx);
  mkdirSync(join(dir, 'meta'));
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries) copyFileSync(join(MIGRATIONS, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  const db = openDb(':memory:');
  migrate(drizzle(writerOf(db)), { migrationsFolder: dir });
  return db;
}

/**
 * The first statement of the migration whose tag ends with `tagEnd` (the CREATE TABLE of a table today's
 * write path writes): created for a while in a database of an older time, so that today's factories
 * can write into it, and dropped again before the migrations run.
 */
export function firstStatementOf(tagEnd: string): string {
  return statementsOf(tagEnd)[0]!;
}

/** The CREATE TABLE statements of the migration whose tag ends with `tagEnd`, for the same use. */
function createTablesOf(tagEnd: string): string[] {
  return statementsOf(tagEnd).filter((s) => s.includes('CREATE TABLE'));
}

function statementsOf(tagEnd: string): string[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const mine = journal.entries.find((e) => e.tag.endsWith(tagEnd));
  if (!mine) throw new Error(`no migration's tag ends with ${tagEnd}`);
  return readFileSync(join(MIGRATIONS, `${mine.tag}.sql`), 'utf8').split('--> statement-breakpoint');
}

/**
 * Today's write path also writes the rollups that migrations 0041 (organisation-unit rollups), 0042
 * (department running totals), 0043 (unit running totals) and 0045 (the 办件 per status) add, and fill from the older rollups: a
 * test of an earlier migration creates their tables, as those migrations make them, while today's
 * factories write, and drops them again before the migrations run, as in a database of that time.
 */
export async function createLaterRollups(db: Db): Promise<void> {
  for (const tag of ['_org_unit_rollups', '_department_running_totals', '_org_unit_running_totals', '_matter_status_counts'])
    for (const s of createTablesOf(tag)) await writeSql(db, sql.raw(s));
}

export async function dropLaterRollups(db: Db): Promise<void> {
  for (const table of [...[...ORG_UNIT_ROLLUPS, ...RUNNING_TOTALS].map((r) => r.table), 'matter_status_counts'])
    await writeSql(db, sql.raw(`DROP TABLE ${table}`));
}
