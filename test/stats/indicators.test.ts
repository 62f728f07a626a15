import { beforeEach, describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { buildNovember, EXPECTED_A, EXPECTED_B, expectNoFullPhone, NOVEMBER } from './dataset.js';

const { t } = useTestWorld({ world: false });
let d: Awaited<ReturnType<typeof buildNovember>>;
beforeEach(async () => {
  d = await buildNovember(t);
});

const qs = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();

async function get<T = any>(
  path: string,
  user: { id: number; role: string },
  query: Record<string, string | number> = NOVEMBER,
): Promise<T> {
  const res = await t.app.inject({ method: 'GET', url: `${path}?${qs(query)}`, headers: bearerFor(t.app, user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
}

describe('Indicators (docs/domain.md) on a hand-built month', () => {
  it('GET /api/stats/departments gives every indicator of each department exactly', async () => {
    const body = await get('/api/stats/departments', d.w.supervisor);
    expect(body.departments.map((x: any) => x.id)).toEqual([d.w.deptA.id, d.w.deptB.id]);
    const [a, b] = body.departments;
    for (const [k, v] of Object.entries(EXPECTED_A)) {
      if (typeof v === 'number') expect(a[k], k).toBeCloseTo(v, 12);
      else expect(a[k], k).toEqual(v);
    }
    for (const [k, v] of Object.entries(EXPECTED_B)) {
      if (typeof v === 'number') expect(b[k], k).toBeCloseTo(v, 12);
      else expect(b[k], k).toEqual(v);
    }
    // Shares of each level.
    expect(a.shares).toEqual({ '1': 0.2, '2': 0.3, '3': 0.1, '4': 0.2, '5': 0.2 });
    // 10 counted ratings reach the default minimum sample of 10; B's 3 do not (样本不足).
    expect(a).toMatchObject({ rank: 1, insufficient: false });
    expect(b).toMatchObject({ rank: null, insufficient: true });
    expect(body.minSample).toBe(10);
    // docs/api.md shape
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['id', 'name', 'total', 'byScore', 'goodRate', 'badRate', 'score']));
  });

  it('an organisation unit sums its departments; rates are recomputed, never averaged', async () => {
    const s = await get('/api/stats/summary', d.w.supervisor);
    expect(s.total).toBe(13);
    expect(s.byScore).toEqual({ '1': 3, '2': 3, '3': 1, '4': 2, '5': 4 });
    expect(s.goodRate).toBeCloseTo(7 / 13, 12);
    expect(s.score).toBeCloseTo((40 * 20) / 13, 12);
    expect(s.cases).toBe(6);
    expect(s.visitRate).toBeCloseTo(0.75, 12);
    // Closed on time 2 (A) / (closed 3 (A) + overdue open 1 (A, c8) + 1 (B)).
    expect(s.overdueOpen).toBe(2);
    expect(s.onTimeRate).toBeCloseTo(2 / 5, 12);
    const county = s.orgUnits.find((u: any) => u.id === d.w.county.id);
    expect(county).toMatchObject({ departments: 2, total: 13, goodCount: 7, badCount: 6 });
    // A city admin's city sums both counties (A + B + C).
    const city = (await get('/api/stats/summary', d.w.cityAdmin)).orgUnits.find((u: any) => u.id === d.w.city.id);
    expect(city).toMatchObject({ departments: 3, total: 15, byScore: { '1': 3, '2': 4, '3': 1, '4': 2, '5': 5 } });
  });

  it('rates are null, never NaN, when nothing was counted', async () => {
    const body = await get('/api/stats/departments', d.w.supervisor, { from: '2025-01-01', to: '2025-01-31' });
    for (const dep of body.departments) {
      expect(dep).toMatchObject({
        total: 0,
        goodRate: null,
        badRate: null,
        score: null,
        visitRate: null,
        rectifyRate: null,
        satisfactionRate: null,
        onTimeRate: null,
        rank: null,
        insufficient: true,
      });
      expect(dep.shares).toEqual({ '1': null, '2': null, '3': null, '4': null, '5': null });
    }
  });

  it('per code (window): A1 holds nine counted ratings, A2 one', async () => {
    const body = await get('/api/stats/codes', d.w.headA, { ...NOVEMBER, departmentId: d.w.deptA.id });
    const a1 = body.codes.find((c: any) => c.codeId === d.w.codeA.id);
    const a2 = body.codes.find((c: any) => c.codeId === d.codeA2.id);
    expect(a1).toMatchObject({ total: 9, byScore: { '1': 2, '2': 3, '3': 1, '4': 1, '5': 2 }, submissions: 10 });
    expect(a1.score).toBeCloseTo((25 * 20) / 9, 12);
    expect(a2).toMatchObject({ total: 1, goodRate: 1, score: 80, submissions: 1, location: '县政务服务中心 A区 2号窗口' });
  });

  it('trend: weekly buckets start on Monday and are clipped to the period', async () => {
    const body = await get('/api/stats/trend', d.w.headA, { ...NOVEMBER, granularity: 'week' });
    expect(body.points.map((p: any) => [p.from, p.to])).toEqual([
      ['2026-11-01', '2026-11-01'],
      ['2026-11-02', '2026-11-08'],
      ['2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-22'],
      ['2026-11-23', '2026-11-29'],
      ['2026-11-30', '2026-11-30'],
    ]);
    // Week of 11-02: r1 r2 r3 r4 r5 r6 (r7 excluded) → 5,5,4,3,2,1
    expect(body.points[1]).toMatchObject({ total: 6, byScore: { '1': 1, '2': 1, '3': 1, '4': 1, '5': 2 }, cases: 2 });
    expect(body.points[2]).toMatchObject({ total: 3, byScore: { '2': 2, '4': 1 } });
    expect(body.points[3]).toMatchObject({ total: 1, byScore: { '1': 1 } });
    const daily = await get('/api/stats/trend', d.w.headA, NOVEMBER);
    expect(daily.points).toHaveLength(30);
    expect(daily.points.reduce((n: number, p: any) => n + p.total, 0)).toBe(10);
    const monthly = await get('/api/stats/trend', d.w.headA, { from: '2026-10-01', to: '2026-12-31', granularity: 'month' });
    expect(monthly.points.map((p: any) => p.total)).toEqual([1, 10, 1]);
  });

  it('tags count only counted ratings', async () => {
    const body = await get('/api/stats/tags', d.w.headA);
    expect(body.tags).toEqual([
      { tag: '服务态度差', kind: 'bad', count: 2 },
      { tag: '办事效率低/等候时间长', kind: 'bad', count: 1 },
      { tag: '态度热情', kind: 'good', count: 1 },
    ]);
  });

  it('heat map: weekday (Monday = 0) × China hour', async () => {
    const body = await get('/api/stats/heatmap', d.w.headA);
    // 2026-11-02 is a Monday: r1 at 09:15, r2 at 10:20, r6 (差评) at 11:00.
    expect(body.total[0][9]).toBe(1);
    expect(body.total[0][10]).toBe(2); // r2 and r8 (2026-11-09, Monday 10:00)
    expect(body.bad[0][10]).toBe(1);
    expect(body.total[0][11]).toBe(1);
    expect(body.bad[0][11]).toBe(1);
    // 2026-11-20 is a Friday: r11 at 08:30.
    expect(body.total[4][8]).toBe(1);
    const sum = body.total.flat().reduce((n: number, x: number) => n + x, 0);
    expect(sum).toBe(10);
  });

  it('case indicators per department, with overdue cases as of today', async () => {
    const body = await get('/api/stats/cases', d.w.supervisor);
    const a = body.departments.find((x: any) => x.id === d.w.deptA.id);
    expect(a).toMatchObject({
      cases: 5,
      openCases: 2,
      realNameBad: 4,
      realNameBadVisited: 3,
      validBad: 3,
      validRectified: 2,
      answered: 3,
      answeredSatisfied: 2,
      closed: 3,
      closedOnTime: 2,
    });
    // Today is 2026-12-02: c8 and c11 are open; c8 (due 11-30) and c11 (due 12-11)…
    const dues = [d.r.r8.case!.dueDate, d.r.r11.case!.dueDate, d.r.r6.case!.dueDate];
    expect(dues[2] < '2026-11-30').toBe(true); // c6 was closed after its deadline
    const expectedOverdue = [d.r.r8.case!, d.r.r11.case!].filter((c) => c.dueDate < '2026-12-02').length;
    // The October 差评 (not in the period) is open and overdue too: unclosed/overdue are as of today.
    expect(a.unclosed).toBe(3);
    expect(a.overdue).toBe(expectedOverdue + 1);
  });

  it('comments are text, newest first, with phone numbers inside them masked', async () => {
    const body = await get('/api/stats/comments', d.w.headA);
    expect(body.comments.map((c: any) => c.comment)).toEqual(['态度不好', '=HYPERLINK("http://evil") 请回电138****5678']);
    expectNoFullPhone(JSON.stringify(body));
  });

  it('the ratings behind a figure: counted, filtered, masked phones', async () => {
    const bad = await get('/api/stats/ratings', d.w.headA, { ...NOVEMBER, kind: 'bad' });
    expect(bad.total).toBe(5); // = badCount
    const two = await get('/api/stats/ratings', d.w.headA, { ...NOVEMBER, score: 2 });
    expect(two.total).toBe(3);
    expect(two.ratings.map((r: any) => r.phone)).toEqual(['138****0009', '138****0008', '138****0005']);
    const all = await get('/api/stats/ratings', d.w.headA, { ...NOVEMBER, includeExcluded: 'true' });
    expect(all.total).toBe(11);
    expect(all.ratings.filter((r: any) => r.excluded).map((r: any) => r.id)).toEqual([d.r.r7.rating.id]);
    const page = await get('/api/stats/ratings', d.w.headA, { ...NOVEMBER, limit: 4, offset: 8 });
    expect(page).toMatchObject({ total: 10, limit: 4, offset: 8 });
    expect(page.ratings).toHaveLength(2);
    const code = await get('/api/stats/ratings', d.w.headA, { ...NOVEMBER, codeId: d.codeA2.id });
    expect(code.ratings.map((r: any) => r.id)).toEqual([d.r.r10.rating.id]);
    expectNoFullPhone(JSON.stringify(all));
    expect(JSON.stringify(all)).not.toContain('phoneEnc');
  });
});
