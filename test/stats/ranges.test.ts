import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld(); // today: 2026-11-23 (China)
const get = (url: string) => t.app.inject({ url, headers: bearerFor(t.app, w.supervisor) });

describe('Periods: YYYY-MM-DD, from ≤ to, at most 366 days, default the last 30 days', () => {
  it.each([
    ['from after to', 'from=2026-11-10&to=2026-11-01'],
    ['367 days', 'from=2025-01-01&to=2026-01-02'],
    ['not a day', 'from=2026-02-30&to=2026-03-01'],
    ['wrong format', 'from=2026/11/01&to=2026-11-30'],
    ['garbage', 'from=yesterday'],
  ])('%s → 400 JSON', async (_name, qs) => {
    for (const path of ['departments', 'summary', 'trend', 'ratings', 'export.xlsx', 'export.csv']) {
      const res = await get(`/api/stats/${path}?${qs}`);
      expect(res.statusCode, path).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
    }
  });

  it('366 days is allowed (a leap year)', async () => {
    expect((await get('/api/stats/departments?from=2024-01-01&to=2024-12-31')).statusCode).toBe(200);
  });

  it('defaults to the last 30 China days up to today', async () => {
    await makeRating(t.services, { codeId: w.codeA.id, score: 5, createdAt: Date.parse('2026-10-25T12:00:00+08:00') });
    await makeRating(t.services, { codeId: w.codeA.id, score: 5, createdAt: Date.parse('2026-10-24T12:00:00+08:00') });
    const body = (await get('/api/stats/departments')).json();
    expect(body).toMatchObject({ from: '2026-10-25', to: '2026-11-23' });
    expect(body.departments.find((d: any) => d.id === w.deptA.id).total).toBe(1);
    expect((await get('/api/stats/trend')).json().points).toHaveLength(30);
    expect((await get('/api/stats/summary?from=2026-11-01')).json()).toMatchObject({ from: '2026-11-01', to: '2026-11-23' });
    expect((await get('/api/stats/summary?to=2026-10-31')).json()).toMatchObject({ from: '2026-10-02', to: '2026-10-31' });
  });

  it('bad filters → 400', async () => {
    expect((await get('/api/stats/trend?granularity=year')).statusCode).toBe(400);
    expect((await get('/api/stats/ratings?score=6')).statusCode).toBe(400);
    expect((await get('/api/stats/ratings?limit=1000')).statusCode).toBe(400);
    expect((await get('/api/stats/ratings?departmentId=abc')).statusCode).toBe(400);
  });
});
