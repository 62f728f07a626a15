// Migrations on a database that existed before them: 0007 (dashboard rollups) fills the new tables from
// the rollups the database already had, so its figures stay what they were and a recount agrees; 0015
// keeps daily_matter_stats' rows; 0035 fills the stored figures of 评价可信度 from the ratings; 0041 sums
// the department rollups per organisation unit; 0042 makes the department running totals from them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, firstRow, rows } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { readMatterStatuses, readStoredDays, recountMatterStatuses, recountStoredDays } from '../../db/queries/recount.js';
import { ratings } from '../../db/schema.js';
import { verifyRollups } from '../../server/modules/stats/recount.js';
import { bearerFor, driverUnderTest, makeTestApp, writeSql } from '../helpers/app.js';
import { makeCode, makeUser, makeWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';
import { createLaterRollups, databaseBefore, dropLaterRollups } from '../helpers/migrations.js';

const CHINA = 8 * 3_600_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mspy-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * An org unit and a department as their tables stood before migration 0018 added the report codes
 * (today's factories would write those columns): raw rows of the old columns.
 */
let oldSeq = 0;
async function oldOrgUnit(db: Db, kind: 'city' | 'county', parentId: number | null): Promise<{ id: number }> {
  const name = `旧${kind}${++oldSeq}`;
  await writeSql(db, sql`INSERT INTO org_units (kind, name, parent_id, created_at) VALUES (${kind}, ${name}, ${parentId}, 0)`);
  return (await firstRow<{ id: number }>(db, sql`SELECT id FROM org_units WHERE name = ${name}`))!;
}
const oldCounty = async (db: Db) => oldOrgUnit(db, 'county', (await oldOrgUnit(db, 'city', null)).id);
async function oldDepartment(db: Db, orgUnitId: number): Promise<{ id: number }> {
  const name = `旧县测试局${++oldSeq}`;
  await writeSql(db, sql`INSERT INTO departments (org_unit_id, name, sort_order, created_at) VALUES (${orgUnitId}, ${name}, ${oldSeq}, 0)`);
  return (await firstRow<{ id: number }>(db, sql`SELECT id FROM departments WHERE name = ${name}`))!;
}

/** Today's factories write while the later rollups' tables are there (createLaterRollups). */
async function withLaterRollupTables(db: Db, write: () => Promise<void>): Promise<void> {
  await createLaterRollups(db);
  await write();
  await dropLaterRollups(db);
}

// Old SQLite databases (a drizzle SQLite migrator, sqlite_master, WITHOUT ROWID): SQLite only.
describe.skipIf(driverUnderTest === 'pg')('migration 0007 keeps the figures of an existing database', () => {
  it('fills the department days (heat-map hours included) and the running totals from the old rollups', async () => {
    const db = databaseBefore('_dashboard_rollups', dir);
    expect(await firstRow(db, sql`SELECT name FROM sqlite_master WHERE name = 'hourly_department_stats'`)).toBeTruthy();
    // Org units and departments as raw rows of their old columns, codes through today's factory (their
    // table is unchanged since); users only once the database is migrated (later migrations add columns).
    const county = await oldCounty(db);
    const otherCounty = await oldCounty(db);
    const [deptA, deptB, deptC] = [
      await oldDepartment(db, county.id),
      await oldDepartment(db, county.id),
      await oldDepartment(db, otherCounty.id),
    ];
    const w = {
      deptA,
      deptB,
      deptC,
      codeA: await makeCode(db, { departmentId: deptA.id }),
      codeB: await makeCode(db, { departmentId: deptB.id }),
      codeC: await makeCode(db, { departmentId: deptC.id }),
    };
    // Ratings as the old write path left them: raw rows plus its rollups, and landing-page opens.
    const ratings: [string, number, string, number, number, number][] = [
      // code, department, China time, score, real name, excluded
      [w.codeA.id, w.deptA.id, '2026-11-02T09:15:00', 5, 1, 0],
      [w.codeA.id, w.deptA.id, '2026-11-02T09:40:00', 1, 0, 0],
      [w.codeA.id, w.deptA.id, '2026-11-02T15:05:00', 2, 1, 1],
      [w.codeA.id, w.deptA.id, '2026-11-05T10:00:00', 4, 0, 0],
      [w.codeB.id, w.deptB.id, '2026-11-02T23:30:00', 3, 0, 0],
      [w.codeC.id, w.deptC.id, '2026-11-03T08:00:00', 2, 1, 0],
    ];
    for (const [code, dept, time, score, realName, excluded] of ratings) {
      const at = Date.parse(`${time}+08:00`);
      await writeSql(
        db,
        sql`INSERT INTO ratings (code_id, department_id, score, tags, real_name, created_at, day, excluded)
        VALUES (${code}, ${dept}, ${score}, '[]', ${realName}, ${at}, ${new Date(at + CHINA).toISOString().slice(0, 10)}, ${excluded})`,
      );
    }
    await writeSql(
      db,
      sql`INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions, opens)
      SELECT code_id, day, department_id, sum(score = 1 AND excluded = 0), sum(score = 2 AND excluded = 0), sum(score = 3 AND excluded = 0),
        sum(score = 4 AND excluded = 0), sum(score = 5 AND excluded = 0), sum(real_name = 1 AND excluded = 0), count(*), 0
      FROM ratings GROUP BY code_id, day`,
    );
    await writeSql(
      db,
      sql`INSERT INTO hourly_department_stats (department_id, day, hour, total, bad)
      SELECT department_id, day, ((created_at + 28800000) / 3600000) % 24, count(*), sum(score <= 2)
      FROM ratings WHERE excluded = 0 GROUP BY 1, 2, 3`,
    );
    await writeSql(db, sql`UPDATE daily_code_stats SET opens = 4 WHERE code_id = ${w.codeA.id} AND day = '2026-11-02'`);
    // Two 好评抽查 cases (spot checks carry no case indicators), one still open.
    for (const [no, status, ratingId] of [
      ['SC1', 'open', 1],
      ['SC2', 'closed', 4],
    ] as const) {
      await writeSql(
        db,
        sql`INSERT INTO cases (case_no, kind, status, rating_id, department_id, code_id, rating_day, anonymous, contact_due_date, due_date, status_token, created_at, updated_at)
        VALUES (${no}, 'spot_check', ${status}, ${ratingId}, ${w.deptA.id}, ${w.codeA.id}, '2026-11-02', 0, '2026-11-03', '2026-11-20', ${`token-${no}`}, 0, 0)`,
      );
    }
    await writeSql(
      db,
      sql`INSERT INTO daily_code_stats (code_id, day, department_id, opens) VALUES (${w.codeA.id}, '2026-11-04', ${w.deptA.id}, 2)`,
    );

    await migrateDb(db);
    expect(await firstRow(db, sql`SELECT name FROM sqlite_master WHERE name = 'hourly_department_stats'`)).toBeUndefined();
    expect((await firstRow<{ sql: string }>(db, sql`SELECT sql FROM sqlite_master WHERE name = 'daily_department_stats'`))!.sql).toMatch(
      /WITHOUT ROWID/,
    );
    expect((await firstRow<{ sql: string }>(db, sql`SELECT sql FROM sqlite_master WHERE name = 'cumulative_code_stats'`))!.sql).toMatch(
      /WITHOUT ROWID/,
    );
    const verified = await verifyRollups(db);
    expect(verified.mismatches).toEqual([]);
    expect(verified.checked).toMatchObject({ daily_department_stats: 5, cumulative_code_stats: 5, case_status_counts: 2 });
    expect(await rows(db, sql`SELECT kind, status, count FROM case_status_counts ORDER BY status`)).toEqual([
      { kind: 'spot_check', status: 'closed', count: 1 },
      { kind: 'spot_check', status: 'open', count: 1 },
    ]);

    expect(
      await firstRow(
        db,
        sql`SELECT s1, s2, s5, real_name AS realName, submissions, opens, h9, b9, h15, b15 FROM daily_department_stats
      WHERE department_id = ${w.deptA.id} AND day = '2026-11-02'`,
      ),
    ).toEqual({ s1: 1, s2: 0, s5: 1, realName: 1, submissions: 3, opens: 4, h9: 2, b9: 1, h15: 0, b15: 0 });
    expect(
      await rows(
        db,
        sql`SELECT day, s4, submissions, opens, last_submission_day AS lastSubmission, last_open_day AS lastOpen
      FROM cumulative_code_stats WHERE code_id = ${w.codeA.id} ORDER BY day`,
      ),
    ).toEqual([
      { day: '2026-11-02', s4: 0, submissions: 3, opens: 4, lastSubmission: '2026-11-02', lastOpen: '2026-11-02' },
      { day: '2026-11-04', s4: 0, submissions: 3, opens: 6, lastSubmission: '2026-11-02', lastOpen: '2026-11-04' },
      { day: '2026-11-05', s4: 1, submissions: 4, opens: 6, lastSubmission: '2026-11-05', lastOpen: '2026-11-04' },
    ]);

    // The app on the migrated database answers from the new tables, and keeps writing them.
    const t = await makeTestApp({ db, now: Date.parse('2026-11-06T12:00:00+08:00') });
    try {
      const supervisor = await makeUser(db, { role: 'supervisor', orgUnitId: county.id });
      const auth = { headers: bearerFor(t.app, supervisor) };
      const map = (await t.app.inject({ url: '/api/stats/heatmap?from=2026-11-01&to=2026-11-30', ...auth })).json();
      expect(map.total[0][9]).toBe(2); // Monday 2026-11-02, 09:00–10:00: the 5 and the 1
      expect(map.bad[0][9]).toBe(1);
      expect(map.total[0][23]).toBe(1); // department B's 3 at 23:30
      const funnel = (await t.app.inject({ url: '/api/codes', ...auth }))
        .json()
        .codes.find((c: { code: string }) => c.code === w.codeA.id).funnel;
      expect(funnel).toMatchObject({ opensTotal: 6, submissionsTotal: 4, lastOpenDay: '2026-11-04', lastSubmissionDay: '2026-11-05' });
      await t.app.inject({ method: 'POST', url: `/api/codes/${w.codeA.id}/opened` });
      expect((await t.services.stats.verifyRollups()).ok).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(driverUnderTest === 'pg')('migration 0015 clusters daily_matter_stats on its key', () => {
  it('keeps every row of an existing database, and the figures read from them', async () => {
    const db = databaseBefore('_matter_stats_without_rowid', dir);
    expect((await firstRow<{ sql: string }>(db, sql`SELECT sql FROM sqlite_master WHERE name = 'daily_matter_stats'`))!.sql).not.toMatch(
      /WITHOUT ROWID/,
    );
    const county = await oldCounty(db);
    const dept = await oldDepartment(db, county.id);
    const code = await makeCode(db, { departmentId: dept.id });
    const at = Date.parse('2026-11-02T10:00:00+08:00');
    // Today's factory writes today's columns: the rollups' `held` counter (migration 0016) and the
    // 办件's `first_rated_at` (0036) are there for it to write and gone again before the migrations
    // run, as in a database of that time.
    const rollupTables = ['daily_code_stats', 'daily_department_stats', 'cumulative_code_stats'];
    for (const table of rollupTables) await writeSql(db, sql.raw(`ALTER TABLE ${table} ADD held integer DEFAULT 0 NOT NULL`));
    await writeSql(db, sql.raw('ALTER TABLE matters ADD first_rated_at integer'));
    await withLaterRollupTables(db, async () => {
      for (const [staffName, taskCode, finishedAt] of [
        ['张敏', 'T-1', at],
        ['张敏', 'T-1', at],
        ['李强', 'T-2', at + 86_400_000],
        [null, 'T-2', at],
      ] as const)
        await makeMatter(db, { codeId: code.id, departmentId: dept.id, staffName, taskCode, finishedAt });
    });
    for (const table of rollupTables) await writeSql(db, sql.raw(`ALTER TABLE ${table} DROP COLUMN held`));
    await writeSql(db, sql.raw('ALTER TABLE matters DROP COLUMN first_rated_at'));
    const before = await rows(db, sql`SELECT * FROM daily_matter_stats ORDER BY department_id, day, code_id, task_code, staff_name`);
    expect(before).toHaveLength(3);

    await migrateDb(db);
    expect((await firstRow<{ sql: string }>(db, sql`SELECT sql FROM sqlite_master WHERE name = 'daily_matter_stats'`))!.sql).toMatch(
      /WITHOUT ROWID/,
    );
    expect(await rows(db, sql`SELECT * FROM daily_matter_stats ORDER BY department_id, day, code_id, task_code, staff_name`)).toEqual(
      before,
    );
    expect((await verifyRollups(db)).mismatches).toEqual([]);
    const t = await makeTestApp({ db, now: Date.parse('2026-11-06T12:00:00+08:00') });
    try {
      const supervisor = await makeUser(db, { role: 'supervisor', orgUnitId: county.id });
      const staff = (
        await t.app.inject({
          url: `/api/stats/matters/staff?from=2026-11-01&to=2026-11-30&departmentId=${dept.id}&sort=name`,
          headers: bearerFor(t.app, supervisor),
        })
      ).json();
      expect(staff.staff.map((r: { staffName: string | null; finishedMatters: number }) => [r.staffName, r.finishedMatters])).toEqual([
        ['李强', 1],
        ['张敏', 2],
        [null, 1],
      ]);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(driverUnderTest === 'pg')('migration 0035 fills the stored figures of 评价可信度 from the ratings', () => {
  it('one row per code and day, as a recount makes them', async () => {
    const db = databaseBefore('_code_stored_stats', dir);
    expect(await firstRow(db, sql`SELECT name FROM sqlite_master WHERE name = 'daily_code_stored_stats'`)).toBeUndefined();
    const w = await makeWorld(db);
    // Today's factory writes the 办件's `first_rated_at` (migration 0036): there while it writes.
    await writeSql(db, sql.raw('ALTER TABLE matters ADD first_rated_at integer'));
    let matter = { id: 0 };
    await withLaterRollupTables(db, async () => {
      matter = await makeMatter(db, { codeId: w.codeA.id, departmentId: w.deptA.id });
    });
    await writeSql(db, sql.raw('ALTER TABLE matters DROP COLUMN first_rated_at'));
    const at = Date.parse('2026-11-02T10:00:00+08:00');
    let n = 0;
    // Raw rows of the ratings table (unchanged by the migration): what the view read before it.
    const rating = (codeId: string, departmentId: number, day: string, over: Partial<typeof ratings.$inferInsert> = {}) => ({
      codeId,
      departmentId,
      score: 5,
      tags: [],
      comment: null,
      channel: 'qr' as const,
      createdAt: at + ++n,
      day,
      clientHash: `device-${n}`,
      ...over,
    });
    await db.transaction(async (tx) => {
      await tx
        .insert(ratings)
        .values([
          rating(w.codeA.id, w.deptA.id, '2026-11-02'),
          rating(w.codeA.id, w.deptA.id, '2026-11-02', { tags: ['态度热情'] }),
          rating(w.codeA.id, w.deptA.id, '2026-11-02', { score: 1, comment: '太慢', flagged: true, held: true }),
          rating(w.codeA.id, w.deptA.id, '2026-11-02', { channel: 'default', matterId: matter.id }),
          rating(w.codeA.id, w.deptA.id, '2026-11-02', { excluded: true }),
          rating(w.codeA.id, w.deptA.id, '2026-11-03', { score: 4, comment: '' }),
          rating(w.codeB.id, w.deptB.id, '2026-11-02', { channel: 'link', matterId: matter.id }),
        ]);
    });

    await migrateDb(db);
    const stored = await readStoredDays(db);
    expect(stored).toEqual(await recountStoredDays(db));
    const of = (codeId: string, day: string) => stored.find((r) => r.codeId === codeId && r.day === day);
    expect(of(w.codeA.id, '2026-11-02')).toEqual({
      codeId: w.codeA.id,
      day: '2026-11-02',
      departmentId: w.deptA.id,
      ratings: 5,
      citizen: 4,
      flagged: 1,
      bound: 1,
      detailed: 2,
      bareFive: 2,
    });
    expect(of(w.codeA.id, '2026-11-03')).toMatchObject({ ratings: 1, citizen: 1, detailed: 0, bareFive: 0 });
    expect(of(w.codeB.id, '2026-11-02')).toMatchObject({ ratings: 1, citizen: 1, bound: 1, bareFive: 1 });
    expect(stored).toHaveLength(3);
  });
});

describe.skipIf(driverUnderTest === 'pg')('migration 0036 gives each 办件 the time a citizen first rated it', () => {
  it('from its ratings, the system default rating left out; none for a 办件 nobody rated', async () => {
    const db = databaseBefore('_matters_first_rated', dir);
    const w = await makeWorld(db);
    // 办件 rows as they stood before the migration (today's factory would write the new column).
    const at = Date.parse('2026-11-02T10:00:00+08:00');
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      await writeSql(
        db,
        sql`INSERT INTO matters (project_no, code_id, department_id, task_code, task_name, status, accepted_at, finished_at,
          finished_day, rating_count, rated, created_at, updated_at)
        VALUES (${`OLD-${i}`}, ${w.codeA.id}, ${w.deptA.id}, 'T-1', '事项', 'finished', ${at - 3600_000}, ${at}, '2026-11-02',
          ${i === 3 ? 0 : i === 2 ? 1 : 2}, ${i === 3 || i === 2 ? 0 : 1}, 0, 0)`,
      );
      ids.push((await firstRow<{ id: number }>(db, sql`SELECT id FROM matters WHERE project_no = ${`OLD-${i}`}`))!.id);
    }
    const rating = (matterId: number, assessNumber: number, createdAt: number, channel: 'link' | 'kiosk' | 'default') => ({
      codeId: w.codeA.id,
      departmentId: w.deptA.id,
      score: 5,
      tags: [],
      channel,
      createdAt,
      day: '2026-11-02',
      matterId,
      assessNumber,
    });
    await db.transaction(async (tx) => {
      await tx
        .insert(ratings)
        .values([
          rating(ids[0]!, 1, at + 30_000, 'link'),
          rating(ids[0]!, 2, at + 600_000, 'link'),
          rating(ids[1]!, 1, at + 5_000, 'kiosk'),
          rating(ids[1]!, 2, at + 7_200_000, 'link'),
          rating(ids[2]!, 1, at + 86_400_000, 'default'),
        ]);
    });

    await migrateDb(db);
    const firsts = await rows<{ first: number | null }>(
      db,
      sql`SELECT first_rated_at AS first FROM matters WHERE project_no LIKE 'OLD-%' ORDER BY project_no`,
    );
    expect(firsts.map((r) => r.first)).toEqual([at + 30_000, at + 5_000, null, null]);
    expect(await firstRow(db, sql`SELECT name FROM sqlite_master WHERE name = 'matters_quick_idx'`)).toBeTruthy();
  });
});

describe.skipIf(driverUnderTest === 'pg')('migration 0041 sums the department rollups per organisation unit', () => {
  it("one row per unit and day (and tag): the sums of the unit's own departments", async () => {
    const db = databaseBefore('_org_unit_rollups', dir);
    expect(await firstRow(db, sql`SELECT name FROM sqlite_master WHERE name = 'daily_org_unit_stats'`)).toBeUndefined();
    const county = await oldCounty(db);
    const other = await oldCounty(db);
    const [a, b, c] = [await oldDepartment(db, county.id), await oldDepartment(db, county.id), await oldDepartment(db, other.id)];
    // Department rollup rows as an older server wrote them: two departments of one county on one day.
    for (const [dept, day, s5, h9, tag, cases] of [
      [a.id, '2026-11-02', 3, 2, '态度热情', 1],
      [b.id, '2026-11-02', 4, 1, '态度热情', 2],
      [b.id, '2026-11-03', 1, 0, '办事高效', 0],
      [c.id, '2026-11-02', 7, 7, '态度热情', 1],
    ] as const) {
      await writeSql(db, sql`INSERT INTO daily_department_stats (department_id, day, s5, h9) VALUES (${dept}, ${day}, ${s5}, ${h9})`);
      await writeSql(db, sql`INSERT INTO daily_tag_stats (department_id, day, tag, count) VALUES (${dept}, ${day}, ${tag}, ${s5})`);
      await writeSql(db, sql`INSERT INTO daily_case_stats (department_id, day, cases, open) VALUES (${dept}, ${day}, ${cases}, ${cases})`);
    }

    await migrateDb(db);
    expect(await rows(db, sql`SELECT org_unit_id AS unit, day, s5, h9, h10 FROM daily_org_unit_stats ORDER BY org_unit_id, day`)).toEqual([
      { unit: county.id, day: '2026-11-02', s5: 7, h9: 3, h10: 0 },
      { unit: county.id, day: '2026-11-03', s5: 1, h9: 0, h10: 0 },
      { unit: other.id, day: '2026-11-02', s5: 7, h9: 7, h10: 0 },
    ]);
    expect(
      await rows(db, sql`SELECT org_unit_id AS unit, day, tag, count FROM daily_org_unit_tag_stats ORDER BY org_unit_id, day`),
    ).toEqual([
      { unit: county.id, day: '2026-11-02', tag: '态度热情', count: 7 },
      { unit: county.id, day: '2026-11-03', tag: '办事高效', count: 1 },
      { unit: other.id, day: '2026-11-02', tag: '态度热情', count: 7 },
    ]);
    expect(
      await rows(db, sql`SELECT org_unit_id AS unit, day, cases, open FROM daily_org_unit_case_stats ORDER BY org_unit_id, day`),
    ).toEqual([
      { unit: county.id, day: '2026-11-02', cases: 3, open: 3 },
      { unit: county.id, day: '2026-11-03', cases: 0, open: 0 },
      { unit: other.id, day: '2026-11-02', cases: 1, open: 1 },
    ]);
    expect((await firstRow<{ sql: string }>(db, sql`SELECT sql FROM sqlite_master WHERE name = 'daily_org_unit_stats'`))!.sql).toMatch(
      /WITHOUT ROWID/,
    );
  });
});

/** The migrations that make running totals of older daily rollups: which keys, which tables. */
const RUNNING_TOTALS_MIGRATIONS = [
  {
    name: '0042 makes the department running totals of the department rollups',
    tag: '_department_running_totals',
    key: 'department_id',
    ratings: ['daily_department_stats', 'cumulative_department_stats'],
    cases: ['daily_case_stats', 'cumulative_department_case_stats'],
    // Two departments of one county, as raw rows of their old columns.
    keys: async (db: Db) => {
      const county = await oldCounty(db);
      return [(await oldDepartment(db, county.id)).id, (await oldDepartment(db, county.id)).id];
    },
  },
  {
    name: '0043 makes the unit running totals of the unit rollups',
    tag: '_org_unit_running_totals',
    key: 'org_unit_id',
    ratings: ['daily_org_unit_stats', 'cumulative_org_unit_stats'],
    cases: ['daily_org_unit_case_stats', 'cumulative_org_unit_case_stats'],
    keys: async (db: Db) => [(await oldCounty(db)).id, (await oldCounty(db)).id],
  },
] as const;

describe.skipIf(driverUnderTest === 'pg').each(RUNNING_TOTALS_MIGRATIONS.map((m) => [m.name, m] as const))('migration %s', (_name, m) => {
  it('one row per key and day it has a row: the sums of its rows up to that day', async () => {
    const db = databaseBefore(m.tag, dir);
    expect(await firstRow(db, sql`SELECT name FROM sqlite_master WHERE name = ${m.ratings[1]}`)).toBeUndefined();
    const [a, b] = await m.keys(db);
    const [key, ratings, cases] = [sql.raw(m.key), sql.raw(m.ratings[0]), sql.raw(m.cases[0])];
    // Rollup rows as an older server wrote them, with a day between them that has none.
    for (const [id, day, s5, s1, n] of [
      [a, '2026-11-02', 3, 1, 1],
      [a, '2026-11-04', 4, 0, 0],
      [a, '2026-11-05', 2, 2, 2],
      [b, '2026-11-03', 7, 0, 0],
    ] as const) {
      await writeSql(db, sql`INSERT INTO ${ratings} (${key}, day, s5, s1) VALUES (${id}, ${day}, ${s5}, ${s1})`);
      await writeSql(db, sql`INSERT INTO ${cases} (${key}, day, cases, open) VALUES (${id}, ${day}, ${n}, ${n})`);
    }

    await migrateDb(db);
    expect(await rows(db, sql`SELECT ${key} AS k, day, s5, s1, s2 FROM ${sql.raw(m.ratings[1])} ORDER BY k, day`)).toEqual([
      { k: a, day: '2026-11-02', s5: 3, s1: 1, s2: 0 },
      { k: a, day: '2026-11-04', s5: 7, s1: 1, s2: 0 },
      { k: a, day: '2026-11-05', s5: 9, s1: 3, s2: 0 },
      { k: b, day: '2026-11-03', s5: 7, s1: 0, s2: 0 },
    ]);
    expect(await rows(db, sql`SELECT ${key} AS k, day, cases, open, closed FROM ${sql.raw(m.cases[1])} ORDER BY k, day`)).toEqual([
      { k: a, day: '2026-11-02', cases: 1, open: 1, closed: 0 },
      { k: a, day: '2026-11-04', cases: 1, open: 1, closed: 0 },
      { k: a, day: '2026-11-05', cases: 3, open: 3, closed: 0 },
      { k: b, day: '2026-11-03', cases: 0, open: 0, closed: 0 },
    ]);
    for (const table of [m.ratings[1], m.cases[1]]) {
      expect((await firstRow<{ sql: string }>(db, sql`SELECT sql FROM sqlite_master WHERE name = ${table}`))!.sql).toMatch(/WITHOUT ROWID/);
    }
  });
});

describe.skipIf(driverUnderTest === 'pg')('migration 0045 counts the 办件 stored before it', () => {
  it('one row per department and status, the count of its 办件; the recount agrees', async () => {
    const db = databaseBefore('_matter_status_counts', dir);
    const w = await makeWorld(db);
    const at = Date.parse('2026-11-02T10:00:00+08:00');
    for (const [i, code, dept, status] of [
      [0, w.codeA.id, w.deptA.id, 'finished'],
      [1, w.codeA.id, w.deptA.id, 'finished'],
      [2, w.codeA.id, w.deptA.id, 'accepted'],
      [3, w.codeB.id, w.deptB.id, 'rejected'],
    ] as const) {
      const finished = status === 'accepted' ? null : at;
      await writeSql(
        db,
        sql`INSERT INTO matters (project_no, code_id, department_id, task_code, task_name, status, accepted_at, finished_at,
          finished_day, created_at, updated_at)
        VALUES (${`OLD-${i}`}, ${code}, ${dept}, 'T-1', '事项', ${status}, ${at - 3600_000}, ${finished},
          ${status === 'finished' ? '2026-11-02' : null}, 0, 0)`,
      );
    }
    await migrateDb(db);
    expect(await rows(db, sql`SELECT department_id AS d, status, count FROM matter_status_counts ORDER BY department_id, status`)).toEqual([
      { d: w.deptA.id, status: 'accepted', count: 1 },
      { d: w.deptA.id, status: 'finished', count: 2 },
      { d: w.deptB.id, status: 'rejected', count: 1 },
    ]);
    expect((await firstRow<{ sql: string }>(db, sql`SELECT sql FROM sqlite_master WHERE name = 'matter_status_counts'`))!.sql).toMatch(
      /WITHOUT ROWID/,
    );
    // What the recount counts from the 办件 (the raw rows above have no other rollups to agree with).
    const key = (r: { departmentId: number; status: string }) => `${r.departmentId}|${r.status}`;
    const sorted = <T extends { departmentId: number; status: string }>(list: T[]) => list.sort((x, y) => (key(x) < key(y) ? -1 : 1));
    expect(sorted(await readMatterStatuses(db))).toEqual(sorted(await recountMatterStatuses(db)));
  });
});
