// 好评抽查 (docs/domain.md): a configurable share (default 5%, at least one where any exist) of real-name
// good ratings per department per month, drawn reproducibly with a recorded seed.
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { exec, firstRow, rows, statement } from '../../db/client.js';
import { countNewCandidatesByMonth, NEW_CANDIDATES_BY_MONTH_SQL } from '../../db/queries/spot-checks.js';
import { drawCount, drawSample, seededRandom } from '../../server/modules/cases/prng.js';
import { bearerFor, driverUnderTest, type TestApp } from '../helpers/app.js';
import { makeRating, makeUser } from '../helpers/factories.js';
import { drive, move, PHONE, setup, type World } from './helpers.js';

const NOV = Date.parse('2026-11-02T09:00:00+08:00');
const OCT = Date.parse('2026-10-20T09:00:00+08:00');

const apps: TestApp[] = [];
afterEach(async () => {
  while (apps.length) await apps.pop()!.close();
});

/** The same data in every app: 45 eligible in A, 10 in B, 1 in C (other county) and noise. */
async function world() {
  const { t, w } = await setup();
  apps.push(t);
  for (let i = 0; i < 45; i++)
    await makeRating(t.services, { codeId: w.codeA.id, score: 3 + (i % 3), phone: PHONE, createdAt: NOV + i * 3600_000 });
  for (let i = 0; i < 10; i++) await makeRating(t.services, { codeId: w.codeB.id, score: 5, phone: PHONE, createdAt: NOV + i * 3600_000 });
  await makeRating(t.services, { codeId: w.codeC.id, score: 5, phone: PHONE, createdAt: NOV });
  // Not eligible: anonymous, bad, another month.
  await makeRating(t.services, { codeId: w.codeA.id, score: 5, createdAt: NOV });
  await makeRating(t.services, { codeId: w.codeA.id, score: 2, phone: PHONE, createdAt: NOV });
  await makeRating(t.services, { codeId: w.codeA.id, score: 5, phone: PHONE, createdAt: OCT });
  return { t, w };
}

const draw = (t: TestApp, w: World, payload: object, user: { id: number; role: string } = w.supervisor) =>
  t.app.inject({ method: 'POST', url: '/api/spot-checks/draw', headers: bearerFor(t.app, user), payload });

const picked = (body: { cases: { ratingId: number }[] }) => body.cases.map((c) => c.ratingId).sort((a, b) => a - b);

describe('好评抽查 draw', () => {
  it('draws ceil(5%) per department, at least one, real-name good ratings of the month in scope only', async () => {
    const { t, w } = await world();
    const res = await draw(t, w, { month: '2026-11', seed: 'county-2026-11' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.draw).toMatchObject({
      month: '2026-11',
      seed: 'county-2026-11',
      share: 0.05,
      eligible: 55,
      drawn: 4,
      drawnBy: w.supervisor.id,
    });
    const byDept = body.cases.reduce((m: Record<number, number>, c: { departmentId: number }) => {
      m[c.departmentId] = (m[c.departmentId] ?? 0) + 1;
      return m;
    }, {});
    // A: ceil(45 × 5%) = 3; B: ceil(10 × 5%) = 1 (at least one); C is another county.
    expect(byDept).toEqual({ [w.deptA.id]: 3, [w.deptB.id]: 1 });
    for (const c of body.cases) {
      expect(c).toMatchObject({ kind: 'spot_check', status: 'open', anonymous: false });
      expect(c.caseNo).toMatch(/^SC202611-\d{4}$/);
      expect(c.score).toBeGreaterThanOrEqual(3);
      expect(c.phoneMasked).toBe('139****5678');
      // Deadlines from the draw day (Monday 2026-11-23), from settings.
      expect(c.contactDueDate).toBe('2026-11-24');
      expect(c.dueDate).toBe('2026-12-14');
    }
    const ratings = await rows<{ id: number; day: string; real_name: number; score: number }>(
      t.db,
      sql`SELECT id, day, real_name, score FROM ratings WHERE id IN (${sql.join(
        picked(body).map((i) => sql`${i}`),
        sql`, `,
      )})`,
    );
    expect(ratings.every((r) => r.day.startsWith('2026-11') && r.real_name === 1 && r.score >= 3)).toBe(true);
    // The draw is recorded (who, when, seed, share, counts) and audited.
    const rec = await firstRow<Record<string, unknown>>(
      t.db,
      sql`SELECT month, seed, share, eligible_count, drawn_count, drawn_by, drawn_at FROM spot_check_draws`,
    );
    expect(rec).toEqual({
      month: '2026-11',
      seed: 'county-2026-11',
      share: 0.05,
      eligible_count: 55,
      drawn_count: 4,
      drawn_by: w.supervisor.id,
      drawn_at: t.clock.now(),
    });
    expect(
      (
        await firstRow<{ n: number }>(
          t.db,
          sql`SELECT count(*) AS n FROM audit_log WHERE action = 'spot_check.draw' AND user_id = ${w.supervisor.id}`,
        )
      )?.n,
    ).toBe(1);
    const list = await t.app.inject({ url: '/api/spot-checks', headers: bearerFor(t.app, w.supervisor) });
    expect(list.json().draws).toEqual([
      expect.objectContaining({ id: body.draw.id, seed: 'county-2026-11', eligible: 55, drawn: 4, drawnByName: w.supervisor.displayName }),
    ]);
    const other = await t.app.inject({ url: '/api/spot-checks', headers: bearerFor(t.app, w.otherSupervisor) });
    expect(other.json().draws).toEqual([]);
  });

  it('is reproducible with a seed and different without', async () => {
    const a = await world();
    const b = await world();
    const same1 = (await draw(a.t, a.w, { month: '2026-11', seed: 'abc' })).json();
    const same2 = (await draw(b.t, b.w, { month: '2026-11', seed: 'abc' })).json();
    expect(picked(same1)).toEqual(picked(same2));
    expect(picked(same1)).toHaveLength(4);

    const c = await world();
    const d = await world();
    const other = (await draw(c.t, c.w, { month: '2026-11', seed: 'xyz' })).json();
    expect(picked(other)).not.toEqual(picked(same1));
    const r1 = (await draw(d.t, d.w, { month: '2026-11' })).json();
    const e = await world();
    const r2 = (await draw(e.t, e.w, { month: '2026-11' })).json();
    // Without a seed one is generated from the random source and recorded, so it can be re-run.
    expect(r1.draw.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(r1.draw.seed).not.toBe(r2.draw.seed);
    expect(picked(r1)).not.toEqual(picked(r2));
    const f = await world();
    expect(picked((await draw(f.t, f.w, { month: '2026-11', seed: r1.draw.seed })).json())).toEqual(picked(r1));
  });

  it('the share is a setting; only supervisors draw; bad months are 400', async () => {
    const { t, w } = await world();
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.admin),
      payload: { spotCheck: { share: 0.1, minPerDepartment: 2 } },
    });
    expect(patched.statusCode).toBe(200);
    const body = (await draw(t, w, { month: '2026-11', seed: 's' })).json();
    // A: ceil(4.5) = 5; B: max(2, ceil(1)) = 2.
    expect(body.draw).toMatchObject({ share: 0.1, drawn: 7 });
    expect((await draw(t, w, { month: '2026-11' }, w.headA)).statusCode).toBe(403);
    expect((await draw(t, w, { month: '2026-11' }, w.admin)).statusCode).toBe(403);
    expect((await draw(t, w, { month: '2026-13' })).statusCode).toBe(400);
    expect((await draw(t, w, { month: '202611' })).statusCode).toBe(400);
    const empty = (await draw(t, w, { month: '2025-01' })).json();
    expect(empty).toMatchObject({ draw: { eligible: 0, drawn: 0 }, cases: [] });
  });

  it('a spot check is one return visit recording whether the rating was genuine, then closed', async () => {
    const { t, w } = await world();
    const c = (await draw(t, w, { month: '2026-11', seed: 'v' })).json().cases[0];
    const detail = (await t.app.inject({ url: `/api/cases/${c.id}`, headers: bearerFor(t.app, w.supervisor) })).json();
    expect(detail.allowedMoves).toEqual([
      {
        to: 'visited',
        event: 'visited',
        action: '记录回访',
        fields: [
          expect.objectContaining({ name: 'genuine', type: 'boolean', required: true }),
          expect.objectContaining({ name: 'note', required: false }),
        ],
      },
    ]);
    expect((await move(t, w.supervisor, c.id, { to: 'visited' })).statusCode).toBe(400);
    expect((await move(t, w.supervisor, c.id, { to: 'visited', genuine: false, classification: 'valid' })).statusCode).toBe(400);
    const visited = (await move(t, w.supervisor, c.id, { to: 'visited', genuine: false, note: '群众表示是窗口人员代为评价' })).json();
    expect(visited).toMatchObject({ status: 'visited', genuine: false });
    expect(visited.events.at(-1).data).toEqual({ genuine: false });
    await drive(t, w.supervisor, c.id, { to: 'closed' });
    // Spot checks never touch the 差评 case indicators.
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT coalesce(sum(cases), 0) AS n FROM daily_case_stats`))?.n).toBe(1);
  });
});

/** `n` eligible ratings of department A in November, hours apart from `from`; their ids. */
async function goodRatings(t: TestApp, w: World, n: number, from = NOV): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await makeRating(t.services, { codeId: w.codeA.id, score: 5, phone: PHONE, createdAt: from + i * 600_000 })).rating.id);
  return ids;
}

const spotChecks = async (t: TestApp, departmentId?: number) =>
  (
    await firstRow<{ n: number }>(
      t.db,
      departmentId === undefined
        ? sql`SELECT count(*) AS n FROM cases WHERE kind = 'spot_check'`
        : sql`SELECT count(*) AS n FROM cases WHERE kind = 'spot_check' AND department_id = ${departmentId}`,
    )
  )?.n;

describe('好评抽查 draws a month once: the share stays at the setting', () => {
  it('a second draw of the same month and scope without new ratings draws nothing (it drew another 5% before)', async () => {
    const { t, w } = await world();
    const first = (await draw(t, w, { month: '2026-11', seed: 'once' })).json();
    expect(first.draw).toMatchObject({ eligible: 55, drawn: 4 });
    for (const seed of ['once', 'again']) {
      const again = await draw(t, w, { month: '2026-11', seed });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toMatchObject({ draw: { eligible: 0, drawn: 0 }, cases: [] });
      expect(await spotChecks(t)).toBe(4);
      expect(again.json().monthTotal).toEqual({ eligible: 55, drawn: 4 });
    }
    expect(first.monthTotal).toEqual({ eligible: 55, drawn: 4 });
    // Every rating the draw considered is recorded against it, in the same transaction.
    expect(
      (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM spot_check_considered WHERE draw_id = ${first.draw.id}`))?.n,
    ).toBe(55);
    const list = (await t.app.inject({ url: '/api/spot-checks', headers: bearerFor(t.app, w.supervisor) })).json();
    expect(list.draws.map((d: { eligible: number; drawn: number }) => [d.eligible, d.drawn])).toEqual([
      [0, 0],
      [0, 0],
      [55, 4],
    ]);
  });

  it('a later draw takes only new ratings, its fair part: 100 → 5, then 40 new → 2 more (7 = 5% of 140); reproducible', async () => {
    const run = async () => {
      const { t, w } = await setup();
      apps.push(t);
      const old = await goodRatings(t, w, 100);
      const first = (await draw(t, w, { month: '2026-11', seed: 'fair' })).json();
      const fresh = await goodRatings(t, w, 40, NOV + 100 * 600_000);
      const second = (await draw(t, w, { month: '2026-11', seed: 'fair' })).json();
      return { t, w, old, fresh, first, second };
    };
    const a = await run();
    expect(a.first.draw).toMatchObject({ eligible: 100, drawn: 5 });
    expect(picked(a.first).every((id) => a.old.includes(id))).toBe(true);
    expect(a.second.draw).toMatchObject({ eligible: 40, drawn: 2 });
    expect(picked(a.second).every((id) => a.fresh.includes(id))).toBe(true);
    expect(await spotChecks(a.t, a.w.deptA.id)).toBe(7);
    expect(a.first.monthTotal).toEqual({ eligible: 100, drawn: 5 });
    expect(a.second.monthTotal).toEqual({ eligible: 140, drawn: 7 });
    // The same seed over the same data (another fresh database) draws the same ratings, both times.
    const b = await run();
    expect(picked(b.first)).toEqual(picked(a.first));
    expect(picked(b.second)).toEqual(picked(a.second));
  });

  it("a parent unit's draw after a county's draw does not reconsider the county's ratings", async () => {
    const { t, w } = await world();
    const citySupervisor = await makeUser(t.db, { role: 'supervisor', orgUnitId: w.city.id });
    const county = (await draw(t, w, { month: '2026-11', seed: 'c' })).json();
    expect(county.draw).toMatchObject({ eligible: 55, drawn: 4 });
    const city = (await draw(t, w, { month: '2026-11', seed: 'c' }, citySupervisor)).json();
    // Only department C (the other county) is new to the month: its one rating, at least one drawn.
    expect(city.draw).toMatchObject({ eligible: 1, drawn: 1 });
    expect(city.cases.map((c: { departmentId: number }) => c.departmentId)).toEqual([w.deptC.id]);
    expect(city.monthTotal).toEqual({ eligible: 56, drawn: 5 });
    expect([await spotChecks(t, w.deptA.id), await spotChecks(t, w.deptB.id), await spotChecks(t, w.deptC.id)]).toEqual([3, 1, 1]);
  });

  it('held and superseded ratings are never drawn nor considered; a released one is new to a later draw', async () => {
    const { t, w } = await setup();
    apps.push(t);
    await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.admin),
      payload: { spotCheck: { share: 1, minPerDepartment: 1 } },
    });
    const [ok, held, superseded] = await goodRatings(t, w, 3);
    await t.db.transaction(async (tx) => {
      await exec(tx, sql`UPDATE ratings SET held = 1 WHERE id = ${held}`);
      await exec(tx, sql`UPDATE ratings SET superseded = 1 WHERE id = ${superseded}`);
    });
    const first = (await draw(t, w, { month: '2026-11', seed: 'h' })).json();
    expect(first.draw).toMatchObject({ eligible: 1, drawn: 1 });
    expect(picked(first)).toEqual([ok]);
    const considered = await rows<{ rating_id: number }>(t.db, sql`SELECT rating_id FROM spot_check_considered`);
    expect(considered.map((r) => r.rating_id)).toEqual([ok]);
    // A supervisor's decision releases the held rating: it counts from then on, and is new to the month.
    await t.db.transaction(async (tx) => exec(tx, sql`UPDATE ratings SET held = 0 WHERE id = ${held}`));
    const second = (await draw(t, w, { month: '2026-11', seed: 'h' })).json();
    expect(second.draw).toMatchObject({ eligible: 1, drawn: 1 });
    expect(picked(second)).toEqual([held]);
    expect(second.monthTotal).toEqual({ eligible: 2, drawn: 2 });
  });
});

describe('好评抽查 candidates of a 首页', () => {
  it('counts the new candidates of each month from the real-name ratings (ratings_real_name_idx); an erased number takes one out', async () => {
    const { t, w } = await world();
    const ids = [w.deptA.id, w.deptB.id];
    expect(await countNewCandidatesByMonth(t.db, ids, '2026-10-01', '2026-11-30')).toEqual([
      { month: '2026-10', candidates: 1 },
      { month: '2026-11', candidates: 55 },
    ]);
    // The retention job erases a number: nobody to call back, no candidate.
    await t.db.transaction(async (tx) =>
      exec(tx, sql`UPDATE ratings SET phone_enc = NULL WHERE id = (SELECT max(id) FROM ratings WHERE department_id = ${w.deptB.id})`),
    );
    expect(await countNewCandidatesByMonth(t.db, ids, '2026-11-01', '2026-11-30')).toEqual([{ month: '2026-11', candidates: 54 }]);
    const drawn = (await draw(t, w, { month: '2026-11', seed: 'home' })).json();
    expect(drawn.draw.eligible).toBe(54);
    expect(await countNewCandidatesByMonth(t.db, ids, '2026-11-01', '2026-11-30')).toEqual([]);
    if (driverUnderTest === 'pg') return;
    // SQLite reads the real-name ones only (a few in a hundred), not every rating of the months.
    const plan = (
      await statement(t.db, `EXPLAIN QUERY PLAN ${NEW_CANDIDATES_BY_MONTH_SQL}`).all<{ detail: string }>({
        ids: JSON.stringify(ids),
        from: '2026-08-01',
        to: '2026-10-31',
      })
    ).map((r) => r.detail);
    expect(plan[0]).toMatch(/^SEARCH r USING (COVERING )?INDEX ratings_real_name_idx \(department_id=\? AND day>\? AND day<\?\)$/);
  });
});

describe('the seeded PRNG', () => {
  it('is a pure function of the seed', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    expect(drawSample(xs, 10, seededRandom('a'))).toEqual(drawSample(xs, 10, seededRandom('a')));
    expect(drawSample(xs, 10, seededRandom('a'))).not.toEqual(drawSample(xs, 10, seededRandom('b')));
    const r = seededRandom('range');
    for (let i = 0; i < 1000; i++) {
      const v = r();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(new Set(drawSample(xs, 100, seededRandom('all'))).size).toBe(100);
  });

  it('rounds the share up, with a minimum where any exist', () => {
    expect(drawCount(0, 0.05, 1)).toBe(0);
    expect(drawCount(1, 0.05, 1)).toBe(1);
    expect(drawCount(20, 0.05, 1)).toBe(1);
    expect(drawCount(21, 0.05, 1)).toBe(2);
    expect(drawCount(60, 0.05, 1)).toBe(3);
    expect(drawCount(3, 0.5, 5)).toBe(3);
    expect(drawCount(10, 0, 0)).toBe(0);
  });
});

describe('spot checks stay with the supervisors', () => {
  it("a department head never sees which of the department's good ratings were drawn", async () => {
    const { t, w } = await world();
    const c = (await draw(t, w, { month: '2026-11', seed: 'h' }))
      .json()
      .cases.find((x: { departmentId: number }) => x.departmentId === w.deptA.id);
    const head = (url: string) => t.app.inject({ url, headers: bearerFor(t.app, w.headA) });
    expect((await head('/api/cases?kind=spot_check')).json()).toEqual({ cases: [], total: 0 });
    expect((await head('/api/cases')).json().cases.every((x: { kind: string }) => x.kind === 'bad_rating')).toBe(true);
    expect((await head(`/api/cases/${c.id}`)).statusCode).toBe(404);
    expect((await head(`/api/ratings/${c.ratingId}/history`)).json().cases).toEqual([]);
    expect((await head('/api/spot-checks')).statusCode).toBe(403);
    const sup = await t.app.inject({ url: `/api/cases/${c.id}`, headers: bearerFor(t.app, w.supervisor) });
    expect(sup.statusCode).toBe(200);
  });

  it('a spot check cannot be assigned to the department head, who cannot see it (400), nor offered as assignee', async () => {
    const { t, w } = await world();
    const c = (await draw(t, w, { month: '2026-11', seed: 'a' }))
      .json()
      .cases.find((x: { departmentId: number }) => x.departmentId === w.deptA.id);
    const assign = (officerId: number) =>
      t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/assign`, headers: bearerFor(t.app, w.supervisor), payload: { officerId } });
    const toHead = await assign(w.headA.id);
    expect(toHead.statusCode).toBe(400);
    expect(toHead.json()).toMatchObject({ error: 'InvalidOfficer', message: expect.stringContaining('好评抽查') });
    const detail = await t.app.inject({ url: `/api/cases/${c.id}`, headers: bearerFor(t.app, w.supervisor) });
    expect(detail.json().officerId ?? null).toBeNull();
    const assignees = await t.app.inject({ url: `/api/cases/${c.id}/assignees`, headers: bearerFor(t.app, w.supervisor) });
    expect(assignees.json().users.map((u: { id: number }) => u.id)).not.toContain(w.headA.id);
    expect(assignees.json().users.map((u: { id: number }) => u.id)).toContain(w.supervisor.id);
    expect((await assign(w.supervisor.id)).statusCode).toBe(200);
  });

  it('escalate on their whole deadline only, not the contact deadline', async () => {
    const { t, w } = await world();
    await draw(t, w, { month: '2026-11', seed: 'e' });
    t.clock.set(Date.parse('2026-11-26T09:00:00+08:00'));
    // Only the one open 差评 of the world escalates.
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 1 });
    t.clock.set(Date.parse('2026-12-15T09:00:00+08:00'));
    expect(await t.services.cases.escalateOverdue()).toEqual({ escalated: 4 });
  });
});
