import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, openDb, rows, writerOf } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { DEMO_AREA_CODES, DEMO_OBSERVERS, DEMO_USERS, DEMO_WITHOUT_CREDIT_CODE, seedDemo } from '../../db/seed.js';
import { chinaDay } from '../../shared/china-time.js';
import { areaCodeProblem, creditCodeProblem } from '../../shared/report-codes.js';
import { bearerFor, driverUnderTest, makeTestApp, T0, writeSql } from '../helpers/app.js';
import { testPasswordHash } from '../helpers/factories.js';

const count = async (db: ReturnType<typeof openDb>, table: string) =>
  (await firstRow<{ n: number }>(db, sql.raw(`SELECT count(*) AS n FROM ${table}`)))!.n;

describe('storage', () => {
  // SQLite's own mechanics: an in-memory database, sqlite_master, pragmas, WAL.
  it.skipIf(driverUnderTest === 'pg')('migrates an in-memory database with foreign keys on', async () => {
    const db = openDb(':memory:');
    await migrateDb(db);
    const tables = (await rows<{ name: string }>(db, sql`SELECT name FROM sqlite_master WHERE type='table'`)).map((t) => t.name);
    for (const t of [
      'org_units',
      'departments',
      'codes',
      'ratings',
      'cases',
      'case_events',
      'users',
      'audit_log',
      'settings',
      'daily_code_stats',
    ]) {
      expect(tables).toContain(t);
    }
    expect(writerOf(db).pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => writerOf(db).prepare("INSERT INTO departments (org_unit_id, name, created_at) VALUES (999, 'x', 0)").run()).toThrow(
      /FOREIGN KEY/,
    );
  });

  it.skipIf(driverUnderTest === 'pg')('uses WAL on a file database and migrating twice is harmless', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'db-')), 'app.db');
    const db = openDb(file);
    await migrateDb(db);
    await migrateDb(db);
    expect(writerOf(db).pragma('journal_mode', { simple: true })).toBe('wal');
    // Checkpoints every ~40 MB of WAL, not every 4 MB inside the ratings' commits (bench/).
    expect(writerOf(db).pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(writerOf(db).pragma('cache_size', { simple: true })).toBe(-32_768);
    expect(writerOf(db).pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    await db.close();
  });

  it('migrating twice is harmless, and foreign keys hold, on every driver', async () => {
    const t = await makeTestApp();
    try {
      await migrateDb(t.db);
      // drizzle wraps the driver's error: the constraint is named in its cause.
      const err = await writeSql(t.db, sql`INSERT INTO departments (org_unit_id, name, created_at) VALUES (999, 'x', 0)`).then(
        () => null,
        (e: Error) => e,
      );
      expect(`${err?.message} ${(err?.cause as Error | undefined)?.message}`).toMatch(/foreign key/i);
    } finally {
      await t.close();
    }
  });

  // A government cloud's database often has a locale as its default collation (the test template has
  // zh-Hans-CN: test/global-setup.ts). Every text column compares byte by byte all the same (migration
  // 0035): the lists' orders are SQLite's, and text keys are seeked without locale comparisons.
  it.skipIf(driverUnderTest === 'sqlite')(
    'PostgreSQL: every text column compares byte by byte (COLLATE "C"), whatever the default',
    async () => {
      const t = await makeTestApp();
      try {
        const columns = await rows<{ table: string; column: string; collation: string | null }>(
          t.db,
          sql`SELECT table_name AS "table", column_name AS "column", collation_name AS collation
          FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'text'`,
        );
        expect(columns.length).toBeGreaterThan(100);
        expect(columns.filter((c) => c.collation !== 'C')).toEqual([]);
        // The database's own default orders the other way (a before B): the columns' collation decides.
        const [defaults] = await rows<{ locale: boolean; bytes: boolean }>(
          t.db,
          sql`SELECT 'a' < 'B' AS locale, 'a' COLLATE "C" < 'B' AS bytes`,
        );
        expect(defaults, "the test database's default collation is zh-Hans-CN (test/global-setup.ts; PostgreSQL with ICU)").toEqual({
          locale: true,
          bytes: false,
        });
      } finally {
        await t.close();
      }
    },
  );

  it('seeds the demo county: 40 departments, 308 codes, three demo users — once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seed-')), 'app.db');
    const db = openDb(file);
    await migrateDb(db);
    const first = await seedDemo(db, { passwordHash: await testPasswordHash(), now: T0 });
    expect(first.seeded).toBe(true);
    expect(await count(db, 'departments')).toBe(40);
    expect(await count(db, 'codes')).toBe(308);
    expect(await rows<{ username: string; role: string }>(db, sql`SELECT username, role FROM users ORDER BY id`)).toEqual([
      { username: DEMO_USERS.admin.username, role: 'admin' },
      { username: DEMO_USERS.supervisor.username, role: 'supervisor' },
      { username: DEMO_USERS.head.username, role: 'dept_head' },
    ]);
    // codes are spread like a real county: the big service-centre departments have many, small offices 1–2
    const perDept = await rows<{ n: number }>(db, sql`SELECT count(*) AS n FROM codes GROUP BY department_id ORDER BY n DESC`);
    expect(perDept[0]!.n).toBeGreaterThanOrEqual(20);
    expect(perDept.at(-1)!.n).toBeLessThanOrEqual(2);
    const ids = (await rows<{ id: string }>(db, sql`SELECT id FROM codes`)).map((r) => r.id);
    expect(new Set(ids).size).toBe(308);
    for (const id of ids) expect(id).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    // Report codes (#13): both units carry a valid 行政区划代码; every department but the ones left out on
    // purpose a valid 统一社会信用代码 of its own, registered in the county.
    const units = await rows<{ areaCode: string | null }>(db, sql`SELECT area_code AS "areaCode" FROM org_units ORDER BY id`);
    expect(units.map((u) => u.areaCode)).toEqual([DEMO_AREA_CODES.city, DEMO_AREA_CODES.county]);
    for (const u of units) expect(areaCodeProblem(u.areaCode!)).toBeNull();
    const depts = await rows<{ name: string; creditCode: string | null }>(
      db,
      sql`SELECT name, credit_code AS "creditCode" FROM departments`,
    );
    expect(
      depts
        .filter((d) => d.creditCode === null)
        .map((d) => d.name)
        .sort(),
    ).toEqual([...DEMO_WITHOUT_CREDIT_CODE].sort());
    const credit = depts.flatMap((d) => (d.creditCode ? [d.creditCode] : []));
    for (const code of credit) {
      expect(creditCodeProblem(code), code).toBeNull();
      expect(code.slice(2, 8)).toBe(DEMO_AREA_CODES.county.slice(0, 6));
    }
    expect(new Set(credit).size).toBe(38);
    await db.close();

    const again = openDb(file);
    await migrateDb(again);
    expect((await seedDemo(again, { passwordHash: 'x', now: T0 })).seeded).toBe(false);
    expect(await count(again, 'departments')).toBe(40);
    expect(await count(again, 'codes')).toBe(308);
    expect(await count(again, 'users')).toBe(3);
    await again.close();
  });
});

// Seeding through the real services is slow on a shared two-core machine (PostgreSQL most).
describe('demo activity', { timeout: 120_000 }, () => {
  it('gives the demo county a history made through the real services, with consistent rollups', async () => {
    const { seedDemoActivity } = await import('../../server/demo-activity.js');
    const { createServices } = await import('../../server/services.js');
    const { testConfig } = await import('../helpers/app.js');
    // A fresh migrated database of the driver under test.
    const t = await makeTestApp();
    const db = t.db;
    // The codes were put up before the history (paper questionnaires are dated after a code's start).
    await seedDemo(db, { passwordHash: await testPasswordHash(), now: T0, history: { since: T0 - 61 * 86_400_000 } });
    const result = await seedDemoActivity(testConfig(), db, { now: T0, days: 12 });
    expect(result.ratings).toBeGreaterThan(100);
    expect(result.cases).toBeGreaterThan(0);
    expect(await count(db, 'ratings')).toBe(result.ratings);
    // Yesterday's scripted burst and 差评 flood are held: the supervisor's review queue has them.
    expect(result.held).toBe(86);
    expect(await count(db, 'rating_hold_groups')).toBe(2);
    const statuses = (await rows<{ status: string }>(db, sql`SELECT DISTINCT status FROM cases`)).map((r) => r.status);
    expect(statuses).toContain('open');
    expect(statuses.length).toBeGreaterThan(2);
    // 办件 of the windows, most rated through their links, some not, a few with a 追评; today's link open.
    expect(result.matters).toBeGreaterThan(50);
    expect(result.ratedMatters).toBeGreaterThan(result.matters / 2);
    expect(result.ratedMatters).toBeLessThan(result.matters);
    const bound = await rows<{ n: number; assess: number }>(
      db,
      sql`SELECT count(*) AS n, assess_number AS assess FROM ratings WHERE matter_id IS NOT NULL GROUP BY assess_number ORDER BY assess_number`,
    );
    expect(bound.map((b) => b.assess)).toEqual([1, 2]);
    expect(bound[0]!.n).toBe(result.ratedMatters);
    expect(result.openLink).toMatch(/^http:\/\/test\.local\/e\/[A-Za-z0-9_-]{32}$/);
    const linkPage = await t.app.inject({ url: new URL(result.openLink!).pathname });
    expect(linkPage.statusCode).toBe(200);
    const channels = (await rows<{ channel: string }>(db, sql`SELECT DISTINCT channel FROM ratings ORDER BY channel`)).map(
      (r) => r.channel,
    );
    expect(channels).toEqual(['kiosk', 'link', 'paper', 'qr']);
    expect(result.kioskUrl).toMatch(/^http:\/\/test\.local\/k\/[A-Za-z0-9_-]{32}$/);
    expect((await t.app.inject({ url: new URL(result.kioskUrl!).pathname })).statusCode).toBe(200);
    // The scan funnel: every window-code rating was a scan, and some scans rated nothing (the demo's
    // codes are not flagged 提交多于扫码 for want of scans). The scripted burst opened no page: held.
    const funnel = await rows<{ code: string; opens: number; scanned: number }>(
      db,
      sql`SELECT s.code_id AS code, sum(s.opens) AS opens,
            (SELECT count(*) FROM ratings r WHERE r.code_id = s.code_id AND r.channel = 'qr' AND r.held = 0) AS scanned
          FROM daily_code_stats s GROUP BY s.code_id`,
    );
    expect(funnel.filter((f) => Number(f.opens) < Number(f.scanned))).toEqual([]);
    expect(funnel.reduce((sum, f) => sum + Number(f.opens), 0)).toBeGreaterThan(funnel.reduce((sum, f) => sum + Number(f.scanned), 0));
    const services = await createServices({ config: testConfig(), db });
    expect((await services.stats.verifyRollups()).ok).toBe(true);
    await t.close();
  });

  it('gives the other ways in their history: 办不成事, complaints, paper questionnaires, observers, 金点子', async () => {
    const { seedDemoActivity } = await import('../../server/demo-activity.js');
    const { createServices } = await import('../../server/services.js');
    const { testConfig } = await import('../helpers/app.js');
    const t = await makeTestApp();
    const db = t.db;
    await seedDemo(db, { passwordHash: await testPasswordHash(), now: T0, history: { since: T0 - 61 * 86_400_000 } });
    // The other ways in are scripted over ~60 days whatever the ratings' history (kept short here).
    const { otherWays } = await seedDemoActivity(testConfig(), db, { now: T0, days: 3 });
    expect(otherWays).toEqual({ reports: 25, complaints: 15, paper: 60, observations: 8, walkthroughs: 2 });
    const today = chinaDay(T0);
    const spread = async (kind: string) =>
      (await firstRow<{ first: number; last: number }>(
        db,
        sql`SELECT min(created_at) AS first, max(created_at) AS last FROM cases WHERE kind = ${kind}`,
      ))!;

    // 办不成事: ~25 across ≥ 10 departments, most anonymous; open ones (one overdue), 不能办 closed with the
    // citizen's feedback, 不好办 with other departments whose parts are recorded, 不给办 under 督办.
    type Report = { status: string; handling: string | null; satisfaction: string | null; phone: number; dept: number; due: string };
    const reports = await rows<Report>(
      db,
      sql`SELECT status, handling, satisfaction, CASE WHEN phone_enc IS NULL THEN 0 ELSE 1 END AS phone,
            department_id AS dept, due_date AS due
          FROM cases WHERE kind = 'cannot_handle'`,
    );
    expect(reports).toHaveLength(25);
    expect(new Set(reports.map((r) => r.dept)).size).toBeGreaterThanOrEqual(10);
    const phones = reports.filter((r) => Number(r.phone) === 1).length;
    expect(phones).toBeGreaterThan(0);
    expect(phones).toBeLessThan(reports.length / 2);
    expect(reports.filter((r) => r.status === 'open').length).toBeGreaterThanOrEqual(3);
    expect(reports.filter((r) => r.status === 'open' && r.due < today)).toHaveLength(1);
    expect(
      reports.filter((r) => r.handling === 'cannot' && r.status === 'closed' && r.satisfaction !== null).length,
    ).toBeGreaterThanOrEqual(4);
    expect(reports.filter((r) => r.handling === 'refused' && r.status === 'rectifying')).toHaveLength(2);
    const hardClosed = await rows<{ id: number; parts: number; recorded: number }>(
      db,
      sql`SELECT c.id, count(p.department_id) AS parts, count(p.part_note) AS recorded
          FROM cases c JOIN case_departments p ON p.case_id = c.id
          WHERE c.kind = 'cannot_handle' AND c.handling = 'hard' AND c.status = 'closed' GROUP BY c.id`,
    );
    expect(hardClosed.length).toBeGreaterThanOrEqual(2);
    for (const h of hardClosed) expect(Number(h.recorded)).toBe(Number(h.parts));
    const reportSpread = await spread('cannot_handle');
    expect(T0 - reportSpread.first).toBeGreaterThan(50 * 86_400_000);

    // 投诉 / 12345 / 信箱 / 来电: every 12345 order keeps its number; mixed states.
    const complaints = await rows<{ channel: string; status: string; orderNo: string | null }>(
      db,
      sql`SELECT channel, status, order_no AS "orderNo" FROM cases WHERE kind = 'complaint'`,
    );
    expect(complaints).toHaveLength(15);
    expect(new Set(complaints.map((c) => c.channel))).toEqual(new Set(['12345', 'mailbox', 'phone', 'letter']));
    for (const c of complaints) expect(c.orderNo !== null).toBe(c.channel === '12345');
    expect(new Set(complaints.map((c) => c.status)).size).toBeGreaterThanOrEqual(4);

    // 纸质问卷: 60, typed in by the demo supervisor over a few departments, dated over the period.
    const paper = await rows<{ by: string; dept: number; at: number }>(
      db,
      sql`SELECT u.username AS by, k.department_id AS dept, r.created_at AS at
          FROM ratings r JOIN users u ON u.id = r.entered_by JOIN codes k ON k.id = r.code_id WHERE r.channel = 'paper'`,
    );
    expect(paper).toHaveLength(60);
    expect(new Set(paper.map((p) => p.by))).toEqual(new Set([DEMO_USERS.supervisor.username]));
    expect(new Set(paper.map((p) => p.dept)).size).toBeGreaterThanOrEqual(3);
    expect(T0 - Math.min(...paper.map((p) => Number(p.at)))).toBeGreaterThan(50 * 86_400_000);

    // 特邀监督员: 3 observers of the county with 8 reports; 2 走流程 by the head and the supervisor.
    const observerUsers = await rows<{ username: string; unit: string }>(
      db,
      sql`SELECT u.username, o.name AS unit FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.role = 'observer' ORDER BY u.id`,
    );
    expect(observerUsers).toEqual(DEMO_OBSERVERS.map((o) => ({ username: o.username, unit: '示例县' })));
    const observations = await rows<{ by: string; role: string; walkthrough: boolean | number }>(
      db,
      sql`SELECT u.username AS by, u.role, c.walkthrough FROM cases c JOIN users u ON u.id = c.reported_by WHERE c.kind = 'observation'`,
    );
    expect(observations.filter((o) => o.role === 'observer')).toHaveLength(8);
    expect(new Set(observations.filter((o) => o.role === 'observer').map((o) => o.by)).size).toBe(3);
    expect(
      observations
        .filter((o) => Boolean(o.walkthrough))
        .map((o) => o.by)
        .sort(),
    ).toEqual([DEMO_USERS.head.username, DEMO_USERS.supervisor.username].sort());
    // The printed observer logs in to see their own reports and their answers.
    const observer = (await firstRow<{ id: number }>(db, sql`SELECT id FROM users WHERE username = ${DEMO_OBSERVERS[0]!.username}`))!;
    const mine = await t.app.inject({ url: '/api/observations', headers: bearerFor(t.app, { id: observer.id, role: 'observer' }) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().reports.length).toBeGreaterThanOrEqual(2);

    // 金点子: ~20, most answered.
    const suggestions = (await firstRow<{ n: number; answered: number }>(
      db,
      sql`SELECT count(*) AS n, count(answered_at) AS answered FROM suggestions`,
    ))!;
    expect(Number(suggestions.n)).toBe(20);
    expect(Number(suggestions.answered)).toBeGreaterThan(Number(suggestions.n) / 2);

    // Everything counted agrees with the recount.
    const services = await createServices({ config: testConfig(), db });
    expect((await services.stats.verifyRollups()).mismatches).toEqual([]);
    await t.close();
  });
});
