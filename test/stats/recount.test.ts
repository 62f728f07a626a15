import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, firstRow, openDb } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import { getCase } from '../../db/queries/cases.js';
import { runRecount } from '../../server/cli/recount.js';
import { AppError } from '../../server/errors.js';
import type { Actor } from '../../server/modules/auth/actor.js';
import type { MoveInput } from '../../server/modules/cases/workflow.js';
import { stateOf, MOVES as WORKFLOW } from '../../server/modules/cases/workflow.js';
import { chinaDay } from '../../shared/china-time.js';
import { bearerFor, makeTestApp, T0, type TestApp, writeSql } from '../helpers/app.js';
import { makeRating, makeWorld } from '../helpers/factories.js';
import { buildNovember } from './dataset.js';

const HOUR = 3_600_000;
const TAGS = ['服务态度差', '办事效率低/等候时间长', '态度热情', '其他'];

// Every move a stream may try; illegal ones answer 409/400/403 and change nothing.
const MOVES: { input: MoveInput; by: 'head' | 'supervisor' }[] = [
  { input: { to: 'visited', classification: 'valid', note: '核实' }, by: 'head' },
  { input: { to: 'visited', classification: 'mistaken', note: '核实' }, by: 'head' },
  { input: { to: 'visited', classification: 'malicious', note: '核实' }, by: 'supervisor' },
  { input: { to: 'visited', classification: 'no_basis', note: '核实' }, by: 'supervisor' },
  { input: { to: 'rectifying' }, by: 'head' },
  { input: { to: 'rectifying' }, by: 'supervisor' },
  { input: { to: 'appealed', note: '申诉理由' }, by: 'head' },
  { input: { to: 'answered', note: '解释说明', satisfaction: 'basic' }, by: 'head' },
  { input: { to: 'answered', note: '解释说明' }, by: 'head' },
  { input: { to: 'rectified', note: '整改措施' }, by: 'head' },
  { input: { to: 'answered', satisfaction: 'satisfied' }, by: 'supervisor' },
  { input: { to: 'answered', satisfaction: 'unsatisfied' }, by: 'supervisor' },
  { input: { to: 'closed' }, by: 'supervisor' },
];

const command = fc.oneof(
  fc.record({
    kind: fc.constant('rate' as const),
    code: fc.integer({ min: 0, max: 2 }),
    score: fc.integer({ min: 1, max: 5 }),
    phone: fc.boolean(),
    tags: fc.subarray(TAGS),
    advanceHours: fc.integer({ min: 0, max: 30 }),
    // A rating stored for an earlier day (a back-dated import): the running totals of the code's
    // later days must move with it.
    backDays: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 5 })),
  }),
  // A landing-page open (scan funnel): no raw row, but department and running totals carry it.
  fc.record({ kind: fc.constant('open' as const), code: fc.integer({ min: 0, max: 2 }), advanceHours: fc.integer({ min: 0, max: 30 }) }),
  // A legal next move of the workflow, with random field values.
  fc.record({
    kind: fc.constant('move' as const),
    pick: fc.nat(),
    move: fc.nat(),
    variant: fc.nat(),
    advanceHours: fc.integer({ min: 0, max: 80 }),
  }),
  // Any move, legal or not: illegal ones must change nothing.
  fc.record({
    kind: fc.constant('try' as const),
    pick: fc.nat(),
    move: fc.integer({ min: 0, max: MOVES.length - 1 }),
    variant: fc.nat(),
    advanceHours: fc.integer({ min: 0, max: 80 }),
  }),
);

const CLASSES = ['valid', 'mistaken', 'malicious', 'no_basis'] as const;
const SATS = ['satisfied', 'basic', 'unsatisfied'] as const;

/** A legal move from the case's current status (the workflow table), or the listed one for 'try'. */
async function pickMove(
  t: TestApp,
  caseId: number,
  c: { kind: 'move' | 'try'; move: number; variant: number },
): Promise<{ input: MoveInput; by: 'head' | 'supervisor' } | null> {
  if (c.kind === 'try') return MOVES[c.move]!;
  const row = (await getCase(t.db, caseId))!;
  const legal = WORKFLOW.filter((m) => m.kind === row.kind && m.from === row.status && (!m.when || m.when(stateOf(row))));
  if (!legal.length) return null;
  const m = legal[c.move % legal.length]!;
  const need = m.requires(stateOf(row));
  const input: MoveInput = { to: m.to };
  if (need.includes('classification')) input.classification = CLASSES[c.variant % CLASSES.length];
  if (need.includes('satisfaction') || (m.accepts.includes('satisfaction') && c.variant % 2 === 0))
    input.satisfaction = SATS[c.variant % SATS.length];
  if (need.includes('note')) input.note = '说明';
  return { input, by: m.roles.includes('dept_head') ? 'head' : 'supervisor' };
}

describe('Rollups agree exactly with a recount from raw rows', () => {
  it('after a randomized stream of ratings and case moves (seeded)', async () => {
    let excludedSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 80 }), async (cmds) => {
        const t = await makeTestApp();
        try {
          const w = await makeWorld(t.db);
          const actor = async (id: number): Promise<Actor> => (await t.services.auth.resolveActor(id))!;
          const heads = new Map([
            [w.deptA.id, await actor(w.headA.id)],
            [w.deptB.id, await actor(w.headB.id)],
          ]);
          const supervisor = await actor(w.supervisor.id);
          const codes = [w.codeA, w.codeB, w.codeC];
          const caseIds: { id: number; departmentId: number }[] = [];
          for (const c of cmds) {
            t.clock.advance(c.advanceHours * HOUR);
            if (c.kind === 'open') {
              const code = codes[c.code]!;
              await t.services.stats.recordOpen(t.db, code.id, code.departmentId, chinaDay(t.clock.now()));
            } else if (c.kind === 'rate') {
              const code = codes[c.code]!;
              const createdAt = t.clock.now() - c.backDays * 24 * HOUR;
              const r = await makeRating(t.services, {
                codeId: code.id,
                score: c.score,
                phone: c.phone ? '13700001111' : null,
                tags: c.tags,
                createdAt,
              });
              if (r.case && code.departmentId !== w.deptC.id) caseIds.push({ id: r.case.id, departmentId: code.departmentId });
            } else if (caseIds.length) {
              const target = caseIds[c.pick % caseIds.length]!;
              const m = await pickMove(t, target.id, c);
              if (!m) continue;
              try {
                await t.services.cases.transition(m.by === 'head' ? heads.get(target.departmentId)! : supervisor, target.id, m.input);
              } catch (err) {
                if (!(err instanceof AppError)) throw err;
              }
            }
          }
          const result = await t.services.stats.verifyRollups();
          expect(result.mismatches).toEqual([]);
          expect(result.ok).toBe(true);
          // And the API's total equals a raw count of the counted ratings.
          excludedSeen += (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE excluded = 1`))!.n;
          const raw = (await firstRow<{ n: number }>(
            t.db,
            sql`SELECT count(*) AS n FROM ratings WHERE excluded = 0 AND department_id IN (${w.deptA.id}, ${w.deptB.id})`,
          ))!.n;
          const res = await t.app.inject({
            url: `/api/stats/summary?from=2026-11-01&to=2027-02-28`,
            headers: bearerFor(t.app, w.supervisor),
          });
          expect(res.json().total).toBe(raw);
        } finally {
          await t.close();
        }
      }),
      { seed: 20261123, numRuns: 25 },
    );
    // The seeded stream does reach approved appeals (exclusions), not only the easy paths.
    expect(excludedSeen).toBeGreaterThan(0);
    // 25 apps, each on a database of its own: about 7 s alone on PostgreSQL, over 30 s in a CI run.
  }, 120_000);

  it('verify finds a corrupted rollup and rebuild repairs it in one transaction, keeping opens', async () => {
    const t = await makeTestApp();
    try {
      const d = await buildNovember(t);
      expect((await t.services.stats.verifyRollups()).ok).toBe(true);
      await t.services.stats.recordOpen(t.db, d.w.codeA.id, d.w.deptA.id, '2026-11-02');
      await writeSql(t.db, sql`UPDATE daily_code_stats SET s5 = s5 + 3 WHERE code_id = ${d.w.codeA.id} AND day = '2026-11-02'`);
      await writeSql(t.db, sql`DELETE FROM daily_tag_stats WHERE tag = '态度热情'`);
      await writeSql(
        t.db,
        sql`UPDATE daily_case_stats SET closed_on_time = closed_on_time + 1 WHERE department_id = ${d.w.deptA.id} AND day = '2026-11-05'`,
      );
      await writeSql(t.db, sql`INSERT INTO daily_department_stats (department_id, day, h3) VALUES (${d.w.deptB.id}, '2026-11-09', 1)`);
      await writeSql(t.db, sql`UPDATE cumulative_code_stats SET s4 = s4 + 1 WHERE code_id = ${d.w.codeA.id} AND day = '2026-11-20'`);
      await writeSql(
        t.db,
        sql`UPDATE case_status_counts SET count = count + 2 WHERE department_id = ${d.w.deptA.id} AND status = 'closed'`,
      );
      // A 办件 count with no 办件 behind it.
      await writeSql(t.db, sql`INSERT INTO matter_status_counts (department_id, status, count) VALUES (${d.w.deptB.id}, 'accepted', 1)`);
      // The unit rollups, on their own: a department's change above is not one of theirs.
      const unitA = sql`(SELECT org_unit_id FROM departments WHERE id = ${d.w.deptA.id})`;
      await writeSql(t.db, sql`UPDATE daily_org_unit_stats SET b9 = b9 + 1 WHERE org_unit_id = ${unitA} AND day = '2026-11-02'`);
      await writeSql(
        t.db,
        sql`DELETE FROM daily_org_unit_tag_stats WHERE (tag, org_unit_id, day) IN
          (SELECT tag, org_unit_id, day FROM daily_org_unit_tag_stats WHERE tag = '服务态度差' ORDER BY day LIMIT 1)`,
      );
      await writeSql(t.db, sql`UPDATE daily_org_unit_case_stats SET cases = cases + 1 WHERE org_unit_id = ${unitA} AND day = '2026-11-05'`);
      // The department running totals, on their own too: each department's last row.
      const lastDay = (table: string, id: number) => sql`(SELECT max(day) FROM ${sql.raw(table)} WHERE department_id = ${id})`;
      await writeSql(
        t.db,
        sql`UPDATE cumulative_department_stats SET s3 = s3 + 1
        WHERE department_id = ${d.w.deptB.id} AND day = ${lastDay('cumulative_department_stats', d.w.deptB.id)}`,
      );
      await writeSql(
        t.db,
        sql`UPDATE cumulative_department_case_stats SET cases = cases + 1
        WHERE department_id = ${d.w.deptA.id} AND day = ${lastDay('cumulative_department_case_stats', d.w.deptA.id)}`,
      );
      // The unit running totals, on their own too: the last row of department A's unit.
      const lastUnitDay = (table: string) => sql`(SELECT max(day) FROM ${sql.raw(table)} WHERE org_unit_id = ${unitA})`;
      await writeSql(
        t.db,
        sql`UPDATE cumulative_org_unit_stats SET s2 = s2 + 1 WHERE org_unit_id = ${unitA} AND day = ${lastUnitDay('cumulative_org_unit_stats')}`,
      );
      await writeSql(
        t.db,
        sql`UPDATE cumulative_org_unit_case_stats SET closed = closed + 1
        WHERE org_unit_id = ${unitA} AND day = ${lastUnitDay('cumulative_org_unit_case_stats')}`,
      );
      const bad = await t.services.stats.verifyRollups();
      expect(bad.ok).toBe(false);
      expect(bad.mismatchCount).toBe(14);
      expect(bad.mismatches.map((m) => m.table).sort()).toEqual([
        'case_status_counts',
        'cumulative_code_stats',
        'cumulative_department_case_stats',
        'cumulative_department_stats',
        'cumulative_org_unit_case_stats',
        'cumulative_org_unit_stats',
        'daily_case_stats',
        'daily_code_stats',
        'daily_department_stats',
        'daily_org_unit_case_stats',
        'daily_org_unit_stats',
        'daily_org_unit_tag_stats',
        'daily_tag_stats',
        'matter_status_counts',
      ]);
      const unitDay = bad.mismatches.find((m) => m.table === 'daily_org_unit_stats')!;
      expect(unitDay.key).toMatchObject({ day: '2026-11-02' });
      expect(unitDay.actual!.b9).toBe((unitDay.expected!.b9 as number) + 1);
      const code = bad.mismatches.find((m) => m.table === 'daily_code_stats')!;
      expect(code.expected!.s5).toBe(2);
      expect(code.actual!.s5).toBe(5);
      const running = bad.mismatches.find((m) => m.table === 'cumulative_code_stats')!;
      expect(running.key).toEqual({ codeId: d.w.codeA.id, day: '2026-11-20' });
      expect(running.actual!.s4).toBe((running.expected!.s4 as number) + 1);
      const departmentTotals = bad.mismatches.find((m) => m.table === 'cumulative_department_stats')!;
      expect(departmentTotals.key).toMatchObject({ departmentId: d.w.deptB.id });
      expect(departmentTotals.actual!.s3).toBe((departmentTotals.expected!.s3 as number) + 1);
      const unitTotals = bad.mismatches.find((m) => m.table === 'cumulative_org_unit_stats')!;
      expect(unitTotals.key).toMatchObject({ orgUnitId: d.w.deptA.orgUnitId });
      expect(unitTotals.actual!.s2).toBe((unitTotals.expected!.s2 as number) + 1);

      const fixed = await t.services.stats.rebuildRollups();
      expect(fixed.ok).toBe(true);
      const opens = await firstRow<{ opens: number; s5: number }>(
        t.db,
        sql`SELECT opens, s5 FROM daily_code_stats WHERE code_id = ${d.w.codeA.id} AND day = '2026-11-02'`,
      );
      expect(opens).toEqual({ opens: 1, s5: 2 });
      // The open survives in the department's day and in the code's running totals too.
      expect(
        await firstRow(t.db, sql`SELECT opens FROM daily_department_stats WHERE department_id = ${d.w.deptA.id} AND day = '2026-11-02'`),
      ).toEqual({
        opens: 1,
      });
      expect(
        await firstRow(
          t.db,
          sql`SELECT opens, last_open_day AS "lastOpenDay" FROM cumulative_code_stats WHERE code_id = ${d.w.codeA.id} AND day = '2026-12-01'`,
        ),
      ).toEqual({
        opens: 1,
        lastOpenDay: '2026-11-02',
      });
      // The indicators read from the rebuilt rollups are the hand-counted ones again.
      const res = await t.app.inject({ url: '/api/stats/departments?from=2026-11-01&to=2026-11-30', headers: bearerFor(t.app, d.w.headA) });
      expect(res.json().departments[0]).toMatchObject({ total: 10, closedOnTime: 2, score: 58 });
    } finally {
      await t.close();
    }
  });

  it('POST /api/stats/verify is for administrators', async () => {
    const t = await makeTestApp();
    try {
      const w = await makeWorld(t.db);
      await makeRating(t.services, { codeId: w.codeA.id, score: 2, createdAt: T0 });
      const ok = await t.app.inject({ method: 'POST', url: '/api/stats/verify', headers: bearerFor(t.app, w.admin) });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ ok: true, mismatchCount: 0, mismatches: [] });
      const sup = await t.app.inject({ method: 'POST', url: '/api/stats/verify', headers: bearerFor(t.app, w.supervisor) });
      expect(sup.statusCode).toBe(403);
      const anon = await t.app.inject({ method: 'POST', url: '/api/stats/verify' });
      expect(anon.statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('npm run recount', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mspy-recount-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies (exit 0), reports a mismatch (exit 1), and --fix rebuilds (exit 0)', async () => {
    const file = join(dir, 'app.db');
    const db = openDb(file);
    await migrateDb(db);
    const t = await makeTestApp({ db });
    const w = await makeWorld(t.db);
    await makeRating(t.services, { codeId: w.codeA.id, score: 1, createdAt: T0, tags: ['其他'] });
    await makeRating(t.services, { codeId: w.codeA.id, score: 4, createdAt: T0 + 1000 });
    await t.close();

    const env = { NODE_ENV: 'test', DB_FILE: file, JWT_SECRET: 'x'.repeat(40), DATA_KEY: '0'.repeat(64) };
    const lines: string[] = [];
    expect(await runRecount([], env, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('OK');

    const raw = openDb(file);
    await writeSql(raw, sql`UPDATE daily_code_stats SET s1 = 7`);
    await closeDb(raw);
    lines.length = 0;
    expect(await runRecount([], env, (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain('daily_code_stats');

    lines.length = 0;
    expect(await runRecount(['--fix'], env, (l) => lines.push(l))).toBe(0);
    expect(await runRecount([], env, () => {})).toBe(0);
    expect(await runRecount(['--frobnicate'], env, () => {})).toBe(2);
    expect(await runRecount([], { ...env, DB_FILE: join(dir, 'missing.db') }, () => {})).toBe(1);
  });
});
