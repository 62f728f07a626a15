// The demo county's 金点子: about 20 suggestions, most answered, published on the public page.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { seedDemo } from '../../db/seed.js';
import { bearerFor, makeTestApp, T0 } from '../helpers/app.js';
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
      // Staff see who answered: the demo's answers are the system's.
      const sup = (await firstRow<{ id: number }>(t.db, sql`SELECT id FROM users WHERE username = 'supervisor'`))!;
      const staff = await t.app.inject({
        url: '/api/suggestions?status=answered&limit=1',
        headers: bearerFor(t.app, { id: sup.id, role: 'supervisor' }),
      });
      expect(staff.json().suggestions[0].answeredByName).toBe('系统');
    } finally {
      await t.close();
    }
  });
});
