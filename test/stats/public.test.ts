import { beforeEach, describe, expect, it } from 'vitest';
import { makeRating, useTestWorld } from '../helpers/factories.js';
import { buildNovember } from './dataset.js';

const { t } = useTestWorld({ world: false });
let d: Awaited<ReturnType<typeof buildNovember>>;
beforeEach(async () => {
  d = await buildNovember(t);
});

const get = (qs: string) => t.app.inject({ url: `/api/public/rankings${qs}` });

describe('公开: GET /api/public/rankings (no login)', () => {
  it('ranks every department of the platform for the month, with rectifications and no personal data', async () => {
    const res = await get('?month=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const body = res.json();
    expect(body).toMatchObject({ month: '2026-11', from: '2026-11-01', to: '2026-11-30', minSample: 10, orgUnit: null });
    const names = body.departments.map((x: any) => x.name);
    expect(names).toEqual([d.w.deptA.name, d.w.deptB.name, d.w.deptC.name]);
    const a = body.departments[0];
    expect(a).toMatchObject({
      total: 10,
      goodRate: 0.5,
      score: 58,
      rank: 1,
      insufficient: false,
      badCount: 5,
      validBad: 3,
      rectifiedCount: 2,
    });
    expect(a.rectifyRate).toBeCloseTo(2 / 3, 12);
    expect(body.departments[1]).toMatchObject({ rank: null, insufficient: true, total: 3 });
    const text = res.body;
    for (const forbidden of ['phone', 'comment', 'tags', 'codeId', 'location', '138', '部门B的留言', 'HYPERLINK']) {
      expect(text, forbidden).not.toContain(forbidden);
    }
    for (const dep of body.departments) {
      expect(Object.keys(dep).sort()).toEqual(
        [
          'badCount',
          'badRate',
          'closed',
          'closedOnTime',
          'goodCount',
          'goodRate',
          'insufficient',
          'name',
          'onTimeRate',
          'orgUnitName',
          'overdueOpen',
          'rank',
          'rectifiedCount',
          'rectifyRate',
          'score',
          'total',
          'validBad',
          'finishedMatters',
          'ratedMatters',
          'ratingRate',
          'activeGoodRate',
          // 办不成事 of the month: counts only (test/stats/other-ways.test.ts).
          'cannotHandleReports',
          'cannotHandleClosed',
          'cannotHandleSolved',
        ].sort(),
      );
    }
  });

  it('per organisation unit, and 404 for an unknown one', async () => {
    const body = (await get(`?month=2026-11&orgUnitId=${d.w.county.id}`)).json();
    expect(body.orgUnit).toEqual({ id: d.w.county.id, name: d.w.county.name });
    expect(body.departments.map((x: any) => x.name)).toEqual([d.w.deptA.name, d.w.deptB.name]);
    const city = (await get(`?month=2026-11&orgUnitId=${d.w.city.id}`)).json();
    expect(city.departments).toHaveLength(3);
    const unknown = await get('?month=2026-11&orgUnitId=999999');
    expect(unknown.statusCode).toBe(404);
  });

  it('defaults to the current month; a bad month is a 400 JSON', async () => {
    // The dataset leaves the clock at 2026-12-02.
    expect((await get('')).json()).toMatchObject({ month: '2026-12' });
    for (const m of ['2026-13', '2026-1', 'abc', '2026-11-01', '1999-12']) {
      const res = await get(`?month=${m}`);
      expect(res.statusCode, m).toBe(400);
      expect(res.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
    }
  });

  it('is cached for about a minute', async () => {
    const first = (await get('?month=2026-11')).json();
    await makeRating(t.services, { codeId: d.w.codeB.id, score: 5, createdAt: Date.parse('2026-11-15T10:00:00+08:00') });
    expect((await get('?month=2026-11')).json()).toEqual(first);
    t.clock.advance(61_000);
    const later = (await get('?month=2026-11')).json();
    expect(later.departments.find((x: any) => x.name === d.w.deptB.name).total).toBe(4);
  });
});
