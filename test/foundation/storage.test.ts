import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, openDb, rows, writerOf } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { DEMO_AREA_CODES, DEMO_USERS, DEMO_WITHOUT_CREDIT_CODE, seedDemo } from '../../db/seed.js';
import { areaCodeProblem, creditCodeProblem } from '../../shared/report-codes.js';
import { driverUnderTest, makeTestApp, T0, writeSql } from '../helpers/app.js';
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

describe('demo activity', () => {
  it('gives the demo county a history made through the real services, with consistent rollups', async () => {
    const { seedDemoActivity } = await import('../../server/demo-activity.js');
    const { createServices } = await import('../../server/services.js');
    const { testConfig } = await import('../helpers/app.js');
    // A fresh migrated database of the driver under test.
    const t = await makeTestApp();
    const db = t.db;
    await seedDemo(db, { passwordHash: await testPasswordHash(), now: T0 });
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
    expect(channels).toEqual(['kiosk', 'link', 'qr']);
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
});
