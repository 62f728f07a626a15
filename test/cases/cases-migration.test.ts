// Migration 0020 (cases without a rating) on a database that already has cases: SQLite rebuilds the
// cases table (rating_id loses NOT NULL); every row, index and foreign key must come through, with the
// timelines and ratings that refer to the cases, and the app must go on working the old cases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, firstRow, rows } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { verifyRollups } from '../../server/modules/stats/recount.js';
import { bearerFor, driverUnderTest, makeTestApp, writeSql } from '../helpers/app.js';
import { makeRating, makeWorld } from '../helpers/factories.js';
import { createLaterRollups, databaseBefore, dropLaterRollups, firstStatementOf } from '../helpers/migrations.js';

const NEW_COLUMNS = ['subject text', 'description text', 'phone_enc text', 'phone_erased_at integer', 'handling text'];
/** Migration 0023's columns (投诉), also written by today's write path. */
const COMPLAINT_COLUMNS = ['channel text', 'order_no text', 'entered_by integer'];
/** Migration 0024's columns (监督报告), also written by today's write path. */
const OBSERVATION_COLUMNS = ['reported_by integer', 'observed_day text', 'project_no text', 'walkthrough integer'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mspy-migrate-cases-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const schemaOf = (db: Db) =>
  rows<{ name: string; sql: string | null }>(
    db,
    sql`SELECT name, sql FROM sqlite_master WHERE tbl_name = 'cases' AND type = 'index' ORDER BY name`,
  );
const foreignKeys = (db: Db, table: string) =>
  rows(db, sql.raw(`SELECT "table", "from", "to" FROM pragma_foreign_key_list('${table}') ORDER BY "from"`));

describe.skipIf(driverUnderTest === 'pg')('migration 0022 lets a case have no rating', () => {
  it('keeps every case, its timeline, indexes and foreign keys, and the old cases still work', async () => {
    const db = databaseBefore('_cases_without_rating', dir);
    const notNull = await firstRow<{ notnull: number }>(db, sql`SELECT "notnull" FROM pragma_table_info('cases') WHERE name = 'rating_id'`);
    expect(notNull!.notnull).toBe(1);
    const w = await makeWorld(db);
    // Today's write path writes today's case columns: they are there while it writes and gone again
    // before the migration runs, as in a database of that time.
    for (const c of [...NEW_COLUMNS, ...COMPLAINT_COLUMNS, ...OBSERVATION_COLUMNS])
      await writeSql(db, sql.raw(`ALTER TABLE cases ADD ${c}`));
    // So are today's rollup of the stored ratings (migration 0035), the organisation-unit rollups (0041)
    // and the department running totals (0042), which migrateDb then fills anew.
    await writeSql(db, sql.raw(firstStatementOf('_code_stored_stats')));
    await createLaterRollups(db);
    const t = await makeTestApp({ db });
    const made = [];
    for (const score of [1, 2, 1, 5]) made.push(await makeRating(t.services, { codeId: w.codeA.id, score, phone: '13912345678' }));
    for (const c of [...NEW_COLUMNS, ...COMPLAINT_COLUMNS, ...OBSERVATION_COLUMNS])
      await writeSql(db, sql.raw(`ALTER TABLE cases DROP COLUMN ${c.split(' ')[0]}`));
    await writeSql(db, sql.raw('DROP TABLE daily_code_stored_stats'));
    await dropLaterRollups(db);
    const before = await rows(db, sql`SELECT * FROM cases ORDER BY id`);
    const events = await rows(db, sql`SELECT * FROM case_events ORDER BY id`);
    const indexes = await schemaOf(db);
    const fks = await foreignKeys(db, 'cases');
    const childFks = await foreignKeys(db, 'case_events');
    expect(before).toHaveLength(3);

    await migrateDb(db);
    expect(
      (await firstRow<{ notnull: number }>(db, sql`SELECT "notnull" FROM pragma_table_info('cases') WHERE name = 'rating_id'`))!.notnull,
    ).toBe(0);
    const after = await rows<Record<string, unknown>>(db, sql`SELECT * FROM cases ORDER BY id`);
    expect(
      after.map(
        ({
          subject,
          description,
          phone_enc,
          phone_erased_at,
          handling,
          channel,
          order_no,
          entered_by,
          reported_by,
          observed_day,
          project_no,
          walkthrough,
          ...old
        }) => old,
      ),
    ).toEqual(before);
    expect(after.every((r) => r.subject === null && r.handling === null && r.channel === null && r.order_no === null)).toBe(true);
    expect(await rows(db, sql`SELECT * FROM case_events ORDER BY id`)).toEqual(events);
    // Migrations 0023 (投诉) and 0024 (监督报告), run by migrateDb too, add an index and a foreign key each; 0027, 0029 and 0044 an index.
    const later = [
      'cases_channel_order_idx',
      'cases_reported_by_idx',
      'cases_project_no_idx',
      'cases_kind_dept_day_idx',
      'cases_kind_created_idx',
    ];
    expect((await schemaOf(db)).filter((i) => !later.includes(i.name))).toEqual(indexes);
    expect((await foreignKeys(db, 'cases')).filter((f) => !['entered_by', 'reported_by'].includes((f as { from: string }).from))).toEqual(
      fks,
    );
    expect(
      (await firstRow<{ notnull: number }>(db, sql`SELECT "notnull" FROM pragma_table_info('cases') WHERE name = 'code_id'`))!.notnull,
    ).toBe(0);
    expect(await foreignKeys(db, 'case_events')).toEqual(childFks);
    expect(childFks).toContainEqual({ table: 'cases', from: 'case_id', to: 'id' });
    expect(await rows(db, sql`PRAGMA foreign_key_check`)).toEqual([]);
    expect((await verifyRollups(db)).mismatches).toEqual([]);

    // The old cases are listed, shown and moved as before.
    const h = bearerFor(t.app, w.supervisor);
    const list = (await t.app.inject({ url: '/api/cases', headers: h })).json();
    expect(list.total).toBe(3);
    const id = made[0]!.case!.id;
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/transitions`,
      headers: h,
      payload: { to: 'visited', classification: 'valid' },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().rating.score).toBe(1);
    await t.close();
  });
});
