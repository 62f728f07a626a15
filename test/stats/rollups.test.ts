// The dashboard rollups of issue 7 (daily_department_stats with the heat map's hours, and the codes'
// running totals in cumulative_code_stats): every route answer equals a count made here straight from
// the ratings (and the opens this test sent), over many periods of a hand-built set whose ratings are
// stored out of day order (back-dated writes) and include an exclusion on appeal.
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { CASE_COLUMNS, RATING_COLUMNS } from '../../db/queries/rollups.js';
import type { Actor } from '../../server/modules/auth/actor.js';
import { bearerFor, writeSql } from '../helpers/app.js';
import { makeCode, makeRating, useTestWorld } from '../helpers/factories.js';

const DAY = 86_400_000;
const CHINA = 8 * 3_600_000;
/** 2026-10-01 00:00 China time. */
const START = Date.parse('2026-10-01T00:00:00+08:00');
const DAYS = 60;

interface RawRating {
  codeId: string;
  departmentId: number;
  day: string;
  createdAt: number;
  score: number;
  realName: number;
  excluded: number;
}

// Today: 2026-12-05 (China), a few days after the set's last day.
const { t, w } = useTestWorld({ now: Date.parse('2026-12-05T12:00:00+08:00') });
let codes: { id: string; departmentId: number }[];
/** Opens sent through the service, per code and China day. */
let opens: { codeId: string; day: string }[];

/** A small deterministic generator (the set must be the same on every run). */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return Math.floor(((s >>> 8) / 2 ** 24) * n);
  };
}

const dayOf = (ms: number) => new Date(ms + CHINA).toISOString().slice(0, 10);
const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

beforeEach(async () => {
  const codeA2 = await makeCode(t.db, { departmentId: w.deptA.id });
  const codeB2 = await makeCode(t.db, { departmentId: w.deptB.id });
  await makeCode(t.db, { departmentId: w.deptB.id }); // never rated nor opened: zeros everywhere
  codes = [w.codeA, codeA2, w.codeB, codeB2, w.codeC].map((c) => ({ id: c.id, departmentId: c.departmentId }));
  const pick = lcg(20261123);
  const supervisor: Actor = (await t.services.auth.resolveActor(w.supervisor.id))!;
  const heads = new Map([
    [w.deptA.id, (await t.services.auth.resolveActor(w.headA.id))!],
    [w.deptB.id, (await t.services.auth.resolveActor(w.headB.id))!],
  ]);
  // Stored in random order of time: most ratings land on a day before rows the code already has.
  const appealed: { id: number; departmentId: number }[] = [];
  for (let i = 0; i < 160; i++) {
    const code = codes[pick(codes.length)]!;
    const createdAt = START + pick(DAYS) * DAY + pick(24) * 3_600_000 + pick(3_600_000);
    const score = [1, 2, 3, 4, 5, 5, 5, 4][pick(8)]!;
    const r = await makeRating(t.services, {
      codeId: code.id,
      score,
      createdAt,
      phone: pick(3) === 0 ? '13700001111' : null,
      tags: score <= 2 ? ['服务态度差'] : [],
    });
    if (r.case && code.departmentId !== w.deptC.id && appealed.length < 4 && pick(2) === 0)
      appealed.push({ id: r.case.id, departmentId: code.departmentId });
  }
  // 误评 on appeal, approved: these ratings leave every counted figure (not the submissions).
  for (const c of appealed) {
    await t.services.cases.transition(heads.get(c.departmentId)!, c.id, { to: 'visited', classification: 'mistaken', note: '核实' });
    await t.services.cases.transition(heads.get(c.departmentId)!, c.id, { to: 'appealed', note: '误操作' });
    await t.services.cases.transition(supervisor, c.id, { to: 'closed', note: '同意' });
  }
  // Opens, also on days without ratings and out of order.
  opens = [];
  for (let i = 0; i < 120; i++) {
    const code = codes[pick(codes.length)]!;
    const day = dayOf(START + pick(DAYS + 5) * DAY);
    await t.services.stats.recordOpen(t.db, code.id, code.departmentId, day);
    opens.push({ codeId: code.id, day });
  }
});

async function rawRatings(): Promise<RawRating[]> {
  return await rows<RawRating>(
    t.db,
    sql`
    SELECT code_id AS "codeId", department_id AS "departmentId", day, created_at AS "createdAt", score, real_name AS "realName", excluded
    FROM ratings`,
  );
}

const get = async (path: string, as: { id: number; role: string } = w.supervisor) => {
  const res = await t.app.inject({ url: path, headers: bearerFor(t.app, as) });
  expect(res.statusCode, `${path} ${res.body}`).toBe(200);
  return res.json();
};

function byScore(rows: RawRating[]) {
  const counted = rows.filter((r) => r.excluded === 0);
  return {
    total: counted.length,
    byScore: Object.fromEntries([1, 2, 3, 4, 5].map((s) => [String(s), counted.filter((r) => r.score === s).length])),
    realNameCount: counted.filter((r) => r.realName === 1).length,
  };
}

/** Periods: whole months, single days, spans over the month end, before and after the data. */
function periods(): { from: string; to: string }[] {
  const pick = lcg(7);
  const out = [
    { from: '2026-10-01', to: '2026-10-31' },
    { from: '2026-11-01', to: '2026-11-30' },
    { from: '2026-09-01', to: '2026-09-30' },
    { from: '2026-10-15', to: '2026-10-15' },
    { from: '2026-09-20', to: '2026-12-05' },
    { from: '2026-08-01', to: '2026-12-05' },
  ];
  for (let i = 0; i < 8; i++) {
    const from = addDays('2026-09-28', pick(DAYS));
    out.push({ from, to: addDays(from, pick(40)) });
  }
  return out;
}

describe('dashboard rollups answer exactly what a raw count of the ratings says', () => {
  it('departments, summary, trend and the ratings total, for every period', async () => {
    const raw = await rawRatings();
    expect(raw.some((r) => r.excluded === 1)).toBe(true);
    const inScope = (r: RawRating) => r.departmentId === w.deptA.id || r.departmentId === w.deptB.id;
    for (const p of periods()) {
      const inPeriod = raw.filter((r) => r.day >= p.from && r.day <= p.to);
      const qs = `from=${p.from}&to=${p.to}`;
      const depts = (await get(`/api/stats/departments?${qs}`)).departments as {
        id: number;
        total: number;
        byScore: object;
        realNameCount: number;
      }[];
      for (const d of [w.deptA, w.deptB]) {
        expect(
          depts.find((x) => x.id === d.id),
          `${qs} dept ${d.id}`,
        ).toMatchObject(byScore(inPeriod.filter((r) => r.departmentId === d.id)));
      }
      expect(await get(`/api/stats/summary?${qs}`), qs).toMatchObject(byScore(inPeriod.filter(inScope)));
      const trend = (await get(`/api/stats/trend?${qs}`)).points as { from: string; total: number; cases: number }[];
      for (const point of trend)
        expect(point.total, `${qs} ${point.from}`).toBe(byScore(inPeriod.filter((r) => inScope(r) && r.day === point.from)).total);
      // By week and by month (the running totals at the buckets' ends): each bucket's own ratings.
      for (const granularity of ['week', 'month']) {
        const points = (await get(`/api/stats/trend?${qs}&granularity=${granularity}`)).points as {
          from: string;
          to: string;
          cases: number;
        }[];
        expect(points.length, `${qs} ${granularity}`).toBeGreaterThan(0);
        for (const point of points) {
          expect(point, `${qs} ${granularity} ${point.from}`).toMatchObject(
            byScore(inPeriod.filter((r) => inScope(r) && r.day >= point.from && r.day <= point.to)),
          );
          // Its 差评 cases: those of its days (the daily rows).
          const days = trend.filter((d) => d.from >= point.from && d.from <= point.to);
          expect(point.cases, `${qs} ${granularity} ${point.from} cases`).toBe(days.reduce((n, d) => n + d.cases, 0));
        }
        // One department: its own running totals.
        const mine = (await get(`/api/stats/trend?${qs}&granularity=${granularity}&departmentId=${w.deptA.id}`)).points as {
          from: string;
          to: string;
        }[];
        for (const point of mine)
          expect(point, `${qs} ${granularity} ${point.from} department`).toMatchObject(
            byScore(inPeriod.filter((r) => r.departmentId === w.deptA.id && r.day >= point.from && r.day <= point.to)),
          );
      }
      expect((await get(`/api/stats/ratings?${qs}&limit=1`)).total, qs).toBe(byScore(inPeriod.filter(inScope)).total);
      expect((await get(`/api/stats/ratings?${qs}&kind=bad&limit=1`)).total, qs).toBe(
        inPeriod.filter((r) => inScope(r) && r.excluded === 0 && r.score <= 2).length,
      );
      // Every 差评 of the set, and only those, carries this tag.
      expect((await get(`/api/stats/ratings?${qs}&tag=${encodeURIComponent('服务态度差')}&limit=1`)).total, qs).toBe(
        inPeriod.filter((r) => inScope(r) && r.excluded === 0 && r.score <= 2).length,
      );
    }
  });

  it('the weekday × hour heat map, per scope and per department', async () => {
    const raw = (await rawRatings()).filter((r) => r.excluded === 0);
    for (const p of periods()) {
      for (const dept of [undefined, w.deptA.id]) {
        const rows = raw.filter(
          (r) => r.day >= p.from && r.day <= p.to && (dept === undefined ? r.departmentId !== w.deptC.id : r.departmentId === dept),
        );
        const total = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
        const bad = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
        for (const r of rows) {
          const hour = new Date(r.createdAt + CHINA).getUTCHours();
          total[weekday(r.day)]![hour]!++;
          if (r.score <= 2) bad[weekday(r.day)]![hour]!++;
        }
        const map = await get(`/api/stats/heatmap?from=${p.from}&to=${p.to}${dept ? `&departmentId=${dept}` : ''}`);
        expect(map.total, `${p.from}..${p.to}`).toEqual(total);
        expect(map.bad, `${p.from}..${p.to}`).toEqual(bad);
      }
    }
  });

  it('per code over any period: counted ratings, submissions and opens (running totals)', async () => {
    const raw = await rawRatings();
    for (const p of periods()) {
      const list = (await get(`/api/stats/codes?from=${p.from}&to=${p.to}`)).codes as {
        codeId: string;
        total: number;
        byScore: object;
        submissions: number;
        opens: number;
      }[];
      expect(list).toHaveLength(5); // the county's codes, the unused one included
      for (const c of list) {
        const rows = raw.filter((r) => r.codeId === c.codeId && r.day >= p.from && r.day <= p.to);
        expect(c, `${c.codeId} ${p.from}..${p.to}`).toMatchObject({
          ...byScore(rows),
          submissions: rows.length,
          opens: opens.filter((o) => o.codeId === c.codeId && o.day >= p.from && o.day <= p.to).length,
        });
        const one = await get(`/api/stats/ratings?from=${p.from}&to=${p.to}&codeId=${c.codeId}&limit=1`);
        expect(one.total).toBe(byScore(rows).total);
      }
    }
  });

  it('the scan funnel of /api/codes: last 30 days, whole history, last open and submission days', async () => {
    const raw = await rawRatings();
    const since = '2026-11-06'; // today 2026-12-05 and the 29 days before
    const list = (await get('/api/codes')).codes as { code: string; funnel: Record<string, unknown> }[];
    for (const c of list) {
      const mine = raw.filter((r) => r.codeId === c.code);
      const myOpens = opens.filter((o) => o.codeId === c.code);
      const last = (days: string[]) => (days.length ? days.sort().at(-1)! : null);
      expect(c.funnel, c.code).toMatchObject({
        opens30d: myOpens.filter((o) => o.day >= since).length,
        submissions30d: mine.filter((r) => r.day >= since).length,
        opensTotal: myOpens.length,
        submissionsTotal: mine.length,
        lastOpenDay: last(myOpens.map((o) => o.day)),
        lastSubmissionDay: last(mine.map((r) => r.day)),
      });
    }
  });
});

describe('case counts come from case_status_counts and equal a count of the cases', () => {
  it('unclosed and overdue cases per department, and the totals of the case list', async () => {
    const today = '2026-12-05';
    const raw = await rows<{ departmentId: number; status: string; dueDate: string; kind: string }>(
      t.db,
      sql`
      SELECT department_id AS "departmentId", status, due_date AS "dueDate", kind FROM cases`,
    );
    const inScope = raw.filter((c) => c.departmentId !== w.deptC.id);
    expect(inScope.some((c) => c.status === 'closed') && inScope.some((c) => c.status !== 'closed')).toBe(true);
    const report = await get('/api/stats/cases?from=2026-10-01&to=2026-11-30');
    for (const d of [w.deptA, w.deptB]) {
      const mine = inScope.filter((c) => c.departmentId === d.id && c.status !== 'closed');
      expect(report.departments.find((x: { id: number }) => x.id === d.id)).toMatchObject({
        unclosed: mine.length,
        overdue: mine.filter((c) => c.dueDate < today).length,
      });
    }
    expect(report.unclosed).toBe(inScope.filter((c) => c.status !== 'closed').length);
    const total = async (qs: string, user: { id: number; role: string } = w.supervisor) =>
      (await t.app.inject({ url: `/api/cases?${qs}`, headers: bearerFor(t.app, user) })).json().total as number;
    expect(await total('sort=queue&limit=1')).toBe(inScope.filter((c) => c.status !== 'closed').length);
    expect(await total('status=closed&limit=1')).toBe(inScope.filter((c) => c.status === 'closed').length);
    expect(await total(`sort=queue&departmentId=${w.deptB.id}&limit=1`)).toBe(
      inScope.filter((c) => c.departmentId === w.deptB.id && c.status !== 'closed').length,
    );
    // 好评抽查 draws open spot-check cases: counted per kind too.
    const draw = await t.app.inject({
      method: 'POST',
      url: '/api/spot-checks/draw',
      headers: bearerFor(t.app, w.supervisor),
      payload: { month: '2026-11', seed: 'x' },
    });
    expect(draw.statusCode).toBe(201);
    const drawn = (draw.json().cases as unknown[]).length;
    expect(drawn).toBeGreaterThan(0);
    expect(await total('kind=spot_check&limit=1')).toBe(drawn);
    expect((await t.services.stats.verifyRollups()).mismatches).toEqual([]);
    expect(await total('sort=queue&limit=1', w.headA)).toBe(
      inScope.filter((c) => c.departmentId === w.deptA.id && c.status !== 'closed').length,
    );
    expect(await total('limit=1', w.headA)).toBe(inScope.filter((c) => c.departmentId === w.deptA.id).length);
  });
});

describe('the routes read the new rollups (a change there shows in the answer)', () => {
  it("department figures come from the department running totals, a department's heat map from daily_department_stats", async () => {
    const day = '2026-10-14'; // a Wednesday
    const qs = `from=${day}&to=${day}`;
    const heatmap = `/api/stats/heatmap?${qs}&departmentId=${w.deptA.id}`;
    const before = { d: await get(`/api/stats/departments?${qs}`), h: await get(heatmap) };
    await writeSql(
      t.db,
      sql`INSERT INTO daily_department_stats (department_id, day, s5, h9, b9) VALUES (${w.deptA.id}, ${day}, 0, 0, 0)
      ON CONFLICT (department_id, day) DO NOTHING`,
    );
    await writeSql(
      t.db,
      sql`UPDATE daily_department_stats SET h9 = h9 + 7, b9 = b9 + 2 WHERE department_id = ${w.deptA.id} AND day = ${day}`,
    );
    // The day's running total (a copy of the day before's, if it has none yet) and every later one gain 7.
    const columns = sql.raw(RATING_COLUMNS.join(', '));
    await writeSql(
      t.db,
      sql`INSERT INTO cumulative_department_stats (department_id, day, ${columns})
      SELECT department_id, ${day}, ${columns} FROM cumulative_department_stats
      WHERE department_id = ${w.deptA.id} AND day = (SELECT max(day) FROM cumulative_department_stats
        WHERE department_id = ${w.deptA.id} AND day < ${day})
      ON CONFLICT (department_id, day) DO NOTHING`,
    );
    await writeSql(t.db, sql`UPDATE cumulative_department_stats SET s5 = s5 + 7 WHERE department_id = ${w.deptA.id} AND day >= ${day}`);
    const after = { d: await get(`/api/stats/departments?${qs}`), h: await get(heatmap) };
    const total = (r: { departments: { id: number; total: number }[] }) => r.departments.find((x) => x.id === w.deptA.id)!.total;
    expect(total(after.d)).toBe(total(before.d) + 7);
    expect(after.h.total[2][9]).toBe(before.h.total[2][9] + 7);
    expect(after.h.bad[2][9]).toBe(before.h.bad[2][9] + 2);
  });

  it("the whole scope's heat map, trend by day and tags come from the organisation-unit rollups", async () => {
    const day = '2026-10-15'; // a Thursday
    const qs = `from=${day}&to=${day}`;
    const read = async () => ({
      h: await get(`/api/stats/heatmap?${qs}`),
      t: await get(`/api/stats/trend?${qs}`),
      tags: await get(`/api/stats/tags?${qs}`),
    });
    const before = await read();
    const unit = sql`(SELECT org_unit_id FROM departments WHERE id = ${w.deptA.id})`;
    await writeSql(
      t.db,
      sql`INSERT INTO daily_org_unit_stats (org_unit_id, day, s1, h10, b10) VALUES (${unit}, ${day}, 5, 5, 5)
      ON CONFLICT (org_unit_id, day) DO UPDATE SET s1 = daily_org_unit_stats.s1 + 5, h10 = daily_org_unit_stats.h10 + 5,
        b10 = daily_org_unit_stats.b10 + 5`,
    );
    await writeSql(
      t.db,
      sql`INSERT INTO daily_org_unit_tag_stats (tag, org_unit_id, day, count) VALUES ('只在单位汇总里', ${unit}, ${day}, 4)`,
    );
    const after = await read();
    expect(after.h.total[3][10]).toBe(before.h.total[3][10] + 5);
    expect(after.h.bad[3][10]).toBe(before.h.bad[3][10] + 5);
    expect(after.t.points[0].total).toBe(before.t.points[0].total + 5);
    expect(after.tags.tags).toContainEqual({ tag: '只在单位汇总里', kind: 'other', count: 4 });
    // The list of a tag counts its ratings from the same rows.
    expect((await get(`/api/stats/ratings?${qs}&tag=${encodeURIComponent('只在单位汇总里')}&limit=1`)).total).toBe(4);
    expect(before.tags.tags.map((x: { tag: string }) => x.tag)).not.toContain('只在单位汇总里');
  });

  it("the whole scope's summary, trend by week or month and list total come from the unit running totals, a head's list total from the department ones", async () => {
    const month = 'from=2026-11-01&to=2026-11-30';
    const read = async () => ({
      month: await get(`/api/stats/summary?${month}`),
      year: await get('/api/stats/summary?from=2025-12-06&to=2026-12-05'),
      weeks: await get('/api/stats/trend?from=2026-10-01&to=2026-11-30&granularity=week'),
      months: await get('/api/stats/trend?from=2026-09-15&to=2026-12-05&granularity=month'),
      days: await get('/api/stats/trend?from=2026-11-19&to=2026-11-21'),
      ratings: await get(`/api/stats/ratings?${month}&limit=1`),
      headRatings: await get(`/api/stats/ratings?${month}&limit=1`, w.headA),
    });
    const before = await read();
    expect(before.month.cases).toBeGreaterThan(0);
    // Only running totals change, from 2026-11-20 on: the unit of department A gains 6 5★ and 2 cases;
    // department A's own totals gain 3 5★.
    const unit = (await firstRow<{ id: number }>(t.db, sql`SELECT org_unit_id AS id FROM departments WHERE id = ${w.deptA.id}`))!.id;
    const day = '2026-11-20';
    for (const [table, key, id, columns, set] of [
      ['cumulative_org_unit_stats', 'org_unit_id', unit, RATING_COLUMNS, 's5 = s5 + 6'],
      ['cumulative_org_unit_case_stats', 'org_unit_id', unit, CASE_COLUMNS, 'cases = cases + 2'],
      ['cumulative_department_stats', 'department_id', w.deptA.id, RATING_COLUMNS, 's5 = s5 + 3'],
    ] as const) {
      const [tbl, k, cols] = [sql.raw(table), sql.raw(key), sql.raw(columns.join(', '))];
      await writeSql(
        t.db,
        sql`INSERT INTO ${tbl} (${k}, day, ${cols})
        SELECT ${k}, ${day}, ${cols} FROM ${tbl}
        WHERE ${k} = ${id} AND day = (SELECT max(day) FROM ${tbl} WHERE ${k} = ${id} AND day < ${day})
        ON CONFLICT (${k}, day) DO NOTHING`,
      );
      await writeSql(t.db, sql`UPDATE ${tbl} SET ${sql.raw(set)} WHERE ${k} = ${id} AND day >= ${day}`);
    }
    const after = await read();
    for (const period of ['month', 'year'] as const) {
      expect(after[period].total, period).toBe(before[period].total + 6);
      expect(after[period].cases, period).toBe(before[period].cases + 2);
    }
    type Point = { from: string; total: number; cases: number };
    const gained = (b: Point[], a: Point[]) =>
      a.map((p, i) => ({ from: p.from, total: p.total - b[i]!.total, cases: p.cases - b[i]!.cases }));
    // The week and the month of 2026-11-20 gain them, no other.
    expect(gained(before.weeks.points, after.weeks.points).filter((p) => p.total || p.cases)).toEqual([
      { from: '2026-11-16', total: 6, cases: 2 },
    ]);
    expect(gained(before.months.points, after.months.points).filter((p) => p.total || p.cases)).toEqual([
      { from: '2026-11-01', total: 6, cases: 2 },
    ]);
    // By day, the trend still reads the daily unit rows, which did not change.
    expect(after.days.points).toEqual(before.days.points);
    expect(after.ratings.total).toBe(before.ratings.total + 6);
    expect(after.headRatings.total).toBe(before.headRatings.total + 3);
  });

  it('unclosed counts and the queue total come from case_status_counts', async () => {
    const before = { report: await get('/api/stats/cases'), queue: await get('/api/cases?sort=queue&limit=1') };
    await writeSql(
      t.db,
      sql`INSERT INTO case_status_counts (department_id, kind, status, count) VALUES (${w.deptB.id}, 'bad_rating', 'visited', 4)
      ON CONFLICT (department_id, kind, status) DO UPDATE SET count = case_status_counts.count + 4`,
    );
    const after = { report: await get('/api/stats/cases'), queue: await get('/api/cases?sort=queue&limit=1') };
    expect(after.report.unclosed).toBe(before.report.unclosed + 4);
    expect(after.queue.total).toBe(before.queue.total + 4);
  });

  it('per-code figures and the funnel come from cumulative_code_stats', async () => {
    const code = codes[0]!.id;
    const last = (await firstRow<{ day: string }>(t.db, sql`SELECT max(day) AS day FROM cumulative_code_stats WHERE code_id = ${code}`))!
      .day;
    const before = await get(`/api/stats/codes?from=${last}&to=${last}`);
    const funnelBefore = ((await get('/api/codes')).codes as { code: string; funnel: { submissionsTotal: number } }[]).find(
      (c) => c.code === code,
    )!.funnel;
    await writeSql(
      t.db,
      sql`UPDATE cumulative_code_stats SET s4 = s4 + 3, submissions = submissions + 3 WHERE code_id = ${code} AND day = ${last}`,
    );
    const after = await get(`/api/stats/codes?from=${last}&to=${last}`);
    const total = (r: { codes: { codeId: string; total: number }[] }) => r.codes.find((c) => c.codeId === code)!.total;
    expect(total(after)).toBe(total(before) + 3);
    const funnelAfter = ((await get('/api/codes')).codes as { code: string; funnel: { submissionsTotal: number } }[]).find(
      (c) => c.code === code,
    )!.funnel;
    expect(funnelAfter.submissionsTotal).toBe(funnelBefore.submissionsTotal + 3);
  });
});
