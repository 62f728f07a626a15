import { beforeEach, describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { buildNovember, NOVEMBER } from './dataset.js';

const { t } = useTestWorld({ world: false });
let d: Awaited<ReturnType<typeof buildNovember>>;
beforeEach(async () => {
  d = await buildNovember(t);
});

async function call(user: { id: number; role: string } | null, path: string, query: Record<string, string | number> = {}) {
  const qs = new URLSearchParams(Object.entries({ ...NOVEMBER, ...query }).map(([k, v]) => [k, String(v)]));
  return t.app.inject({ url: `${path}?${qs}`, headers: user ? bearerFor(t.app, user) : {} });
}

const ROUTES = ['departments', 'summary', 'trend', 'codes', 'tags', 'heatmap', 'cases', 'comments', 'ratings'] as const;

describe('Scope: a head sees only their departments (docs/architecture.md §9)', () => {
  it("head A's stats, trends, breakdowns and ratings are department A's only", async () => {
    const A = d.w.deptA.id;
    const deps = (await call(d.w.headA, '/api/stats/departments')).json();
    expect(deps.departments.map((x: any) => x.id)).toEqual([A]);
    expect((await call(d.w.headA, '/api/stats/summary')).json()).toMatchObject({ total: 10, departments: 1, orgUnits: [] });
    const trend = (await call(d.w.headA, '/api/stats/trend')).json();
    expect(trend.points.reduce((n: number, p: any) => n + p.total, 0)).toBe(10);
    const codes = (await call(d.w.headA, '/api/stats/codes')).json();
    expect(new Set(codes.codes.map((c: any) => c.departmentId))).toEqual(new Set([A]));
    const cases = (await call(d.w.headA, '/api/stats/cases')).json();
    expect(cases.departments.map((x: any) => x.id)).toEqual([A]);
    const comments = (await call(d.w.headA, '/api/stats/comments')).json();
    expect(comments.comments.every((c: any) => c.departmentId === A)).toBe(true);
    expect(JSON.stringify(comments)).not.toContain('部门B的留言');
    const ratings = (await call(d.w.headA, '/api/stats/ratings', { includeExcluded: 'true' })).json();
    expect(ratings.total).toBe(11);
    expect(ratings.ratings.every((r: any) => r.departmentId === A)).toBe(true);
    const heat = (await call(d.w.headA, '/api/stats/heatmap')).json();
    expect(heat.total.flat().reduce((n: number, x: number) => n + x, 0)).toBe(10);
  });

  it('a head of another department gets nothing of department A: asking for it is 404', async () => {
    for (const r of ROUTES.filter((x) => x !== 'departments')) {
      const res = await call(d.w.headB, `/api/stats/${r}`, { departmentId: d.w.deptA.id });
      expect(res.statusCode, r).toBe(404);
      expect(res.json()).toMatchObject({ error: 'NotFound' });
    }
    const own = (await call(d.w.headB, '/api/stats/ratings', { includeExcluded: 'true' })).json();
    expect(own.total).toBe(3);
    expect(own.ratings.every((r: any) => r.departmentId === d.w.deptB.id)).toBe(true);
    const code = await call(d.w.headB, '/api/stats/ratings', { codeId: d.w.codeA.id });
    expect(code.statusCode).toBe(404);
    const csv = await call(d.w.headB, '/api/stats/export.csv', { sheet: 'ratings' });
    expect(csv.body).not.toContain(d.w.deptA.name);
  });

  it('a supervisor of another county gets nothing of this county', async () => {
    const deps = (await call(d.w.otherSupervisor, '/api/stats/departments')).json();
    expect(deps.departments.map((x: any) => x.id)).toEqual([d.w.deptC.id]);
    const summary = (await call(d.w.otherSupervisor, '/api/stats/summary')).json();
    expect(summary.total).toBe(2);
    expect(summary.orgUnits.map((u: any) => u.id)).toEqual([d.w.otherCounty.id]);
    for (const r of ROUTES.filter((x) => x !== 'departments')) {
      expect((await call(d.w.otherSupervisor, `/api/stats/${r}`, { departmentId: d.w.deptA.id })).statusCode, r).toBe(404);
    }
    const xlsx = await call(d.w.otherSupervisor, '/api/stats/export.csv');
    expect(xlsx.body).not.toContain(d.w.deptA.name);
    expect(xlsx.body).toContain(d.w.deptC.name);
  });

  it('every stats route needs a login', async () => {
    for (const r of [...ROUTES, 'export.xlsx', 'export.csv']) {
      expect((await call(null, `/api/stats/${r}`)).statusCode, r).toBe(401);
    }
  });
});
