import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
const DAY = Date.parse('2026-11-10T10:00:00+08:00');
const PERIOD = 'from=2026-11-01&to=2026-11-30';

async function rateMany(codeId: string, good: number, bad: number) {
  for (let i = 0; i < good; i++) await makeRating(t.services, { codeId, score: 5, createdAt: DAY + i * 1000 });
  for (let i = 0; i < bad; i++) await makeRating(t.services, { codeId, score: 1, createdAt: DAY + (good + i) * 1000 });
}

const departments = async (user: { id: number; role: string }) =>
  (await t.app.inject({ url: `/api/stats/departments?${PERIOD}`, headers: bearerFor(t.app, user) })).json();

describe('Fair rankings', () => {
  it('1/1 好评 does not outrank 95/100 even when both are ranked (Wilson lower bound)', async () => {
    await t.services.settings.update((await t.services.auth.resolveActor(w.admin.id))!, { ranking: { minSample: 1 } });
    await rateMany(w.codeA.id, 95, 5);
    await rateMany(w.codeB.id, 1, 0);
    const body = await departments(w.supervisor);
    expect(body.minSample).toBe(1);
    expect(body.departments.map((d: any) => [d.id, d.rank, d.goodRate])).toEqual([
      [w.deptA.id, 1, 0.95],
      [w.deptB.id, 2, 1],
    ]);
    expect(body.departments[0].goodRateLower).toBeCloseTo(0.88825, 5);
    expect(body.rankedAmong).toBe(2);
  });

  it('样本不足 below settings.ranking.minSample (default 10): shown, not ranked', async () => {
    await rateMany(w.codeA.id, 9, 1); // 10 → ranked
    await rateMany(w.codeB.id, 9, 0); // 9 → 样本不足
    const body = await departments(w.supervisor);
    const a = body.departments.find((d: any) => d.id === w.deptA.id);
    const b = body.departments.find((d: any) => d.id === w.deptB.id);
    expect(a).toMatchObject({ rank: 1, insufficient: false });
    expect(b).toMatchObject({ rank: null, insufficient: true, total: 9, goodRate: 1 });
    expect(body.rankedAmong).toBe(1);
  });

  it("a head sees their own department ranked among the county's departments, and only their own", async () => {
    await t.services.settings.update((await t.services.auth.resolveActor(w.admin.id))!, { ranking: { minSample: 1 } });
    await rateMany(w.codeA.id, 10, 0);
    await rateMany(w.codeB.id, 5, 5);
    await rateMany(w.codeC.id, 1, 9); // another county: not a peer
    const body = await departments(w.headB);
    expect(body.departments.map((d: any) => d.id)).toEqual([w.deptB.id]);
    expect(body.departments[0].rank).toBe(2);
    expect(body.rankedAmong).toBe(2);
  });
});
