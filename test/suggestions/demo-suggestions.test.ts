// The demo county's 金点子: about 20 suggestions, most answered, published on the public page.
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../db/seed.js';
import { makeTestApp, T0 } from '../helpers/app.js';
import { testPasswordHash } from '../helpers/factories.js';

describe('demo suggestions', () => {
  it('the demo county carries 20 suggestions, most answered, some pending', async () => {
    const t = await makeTestApp();
    try {
      await seedDemo(t.db, { passwordHash: await testPasswordHash(), now: T0 });
      const body = (await t.app.inject({ url: '/api/public/suggestions?limit=100' })).json();
      expect(body.figures.total).toBe(20);
      expect(body.figures.answered).toBeGreaterThanOrEqual(14);
      expect(body.figures.answered).toBeLessThan(20);
      expect(body.suggestions).toHaveLength(body.figures.answered);
      expect(body.figures.departments.length).toBeGreaterThanOrEqual(10);
      for (const s of body.suggestions) expect(s.reason.length, s.title).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
