// The demo county's 办事指南 (#9: ≥ 83 high-frequency 事项 of ≥ 17 departments on a 二维码墙), seeded
// with the county and served by the public routes like any other guide.
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed.js';
import { makeTestApp, T0 } from '../helpers/app.js';
import { testPasswordHash } from '../helpers/factories.js';

describe('demo guides', () => {
  it('the demo county carries at least 83 guides across 17 departments, each its own text, its windows and its history', async () => {
    const t = await makeTestApp({ env: { PUBLIC_BASE_URL: 'https://pingyi.example.gov.cn' } });
    try {
      await seedDemo(t.db, { passwordHash: await testPasswordHash(), now: T0 });
      const list = (await t.app.inject({ url: '/api/guides' })).json().guides as Array<{
        id: number;
        departmentId: number;
        taskName: string;
      }>;
      expect(list.length).toBeGreaterThanOrEqual(83);
      expect(new Set(list.map((g) => g.departmentId)).size).toBeGreaterThanOrEqual(17);
      expect(new Set(list.map((g) => g.taskName)).size).toBe(list.length);
      const texts = new Set<string>();
      for (const { id } of list) {
        const g = (await t.app.inject({ url: `/api/guides/${id}` })).json();
        expect(g.materials.length, g.taskName).toBeGreaterThan(0);
        expect(g.steps.length).toBe(4);
        expect(g.legalBasis).toMatch(/《.+》/);
        expect(g.windows.length, g.taskName).toBeGreaterThan(0);
        expect(g.phone).toMatch(/^0339-821\d{4}$/);
        texts.add(JSON.stringify([g.materials, g.steps]));
      }
      expect(texts.size).toBe(list.length);
      // The rating page of the first window of 公安 lists 公安's guides.
      const first = (await t.app.inject({ url: `/api/guides/${list[0]!.id}` })).json();
      const ofWindow = (await t.app.inject({ url: `/api/guides?code=${first.windows[0].code}` })).json().guides;
      expect(ofWindow.map((g: { taskName: string }) => g.taskName)).toContain('居民身份证换领');
    } finally {
      await t.close();
    }
  });
});
