import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../client/admin/routes.js';
import { bearerFor } from '../helpers/app.js';
import { loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { makeCode, makeDepartment, makeRating, makeUser } from '../helpers/factories.js';

const s = useBrowserWorld();

/** Markup that would run if any page put user text into the DOM as HTML. */
const hostile = (where: string) => `${where}<img src=x onerror="window.__xss='${where}'"><script>window.__xss='${where}'</script>`;

type Role = 'admin' | 'supervisor' | 'dept_head' | 'observer';
const ROLES: Role[] = ['admin', 'supervisor', 'dept_head', 'observer'];

/** A department, code, ratings, a case and its note, every text of them carrying markup. */
async function hostileWorld() {
  const dept = await makeDepartment(s.t.db, { orgUnitId: s.w.county.id, name: hostile('部门') });
  const code = await makeCode(s.t.db, { departmentId: dept.id, location: hostile('窗口'), staffName: hostile('工作人员') });
  const head = await makeUser(s.t.db, { role: 'dept_head', departmentIds: [dept.id] });
  const { case: kase } = await makeRating(s.t.services, { codeId: code.id, score: 1, comment: hostile('差评'), phone: '13912345678' });
  await makeRating(s.t.services, { codeId: code.id, score: 5, comment: hostile('好评') });
  const moved = await s.t.app.inject({
    method: 'POST',
    url: `/api/cases/${kase!.id}/transitions`,
    headers: bearerFor(s.t.app, s.w.supervisor),
    payload: { to: 'visited', classification: 'valid', note: hostile('回访记录') },
  });
  expect(moved.statusCode).toBe(200);
  // An observer's own report, its text carrying markup too (their 我的报告 shows it).
  const observer = await makeUser(s.t.db, { role: 'observer', orgUnitId: s.w.county.id });
  const filed = await s.t.app.inject({
    method: 'POST',
    url: '/api/observations',
    headers: bearerFor(s.t.app, observer),
    payload: { departmentId: dept.id, code: code.id, observedOn: '2026-11-20', description: hostile('监督报告') },
  });
  expect(filed.statusCode, filed.body).toBe(201);
  return { caseId: kase!.id, users: { admin: s.w.admin, supervisor: s.w.supervisor, dept_head: head, observer } };
}

// A route without roles is any staff member's; an observer only gets the routes naming theirs (main.tsx).
const pagesOf = (role: Role) => ROUTES.filter((r) => (r.roles ? r.roles.includes(role) : role !== 'observer'));

describe('user text is shown as text on every staff page', () => {
  it('every page of the page table is open to one of the roles below', () => {
    for (const route of ROUTES)
      expect(
        ROLES.some((role) => pagesOf(role).includes(route)),
        route.path,
      ).toBe(true);
  });

  for (const role of ROLES) {
    it(`markup in comments, notes, names and locations never runs on any page of the ${role}`, { timeout: 120_000 }, async () => {
      const { caseId, users } = await hostileWorld();
      const ctx = await phoneContext(s.browser);
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await loginAs(page, s.t.url, users[role].username);
      for (const route of pagesOf(role)) {
        const path = route.path.replace(':id', String(caseId));
        await page.goto(`${s.t.url}/admin${path}`);
        await page.waitForLoadState('networkidle');
        await page.locator('main').waitFor();
        expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss), path).toBeUndefined();
        // The markup arrived as text: no element was made from it.
        expect(await page.locator('img[src="x"]').count(), path).toBe(0);
      }
      // Where the texts are shown, they are shown literally.
      if (role === 'observer') {
        await page.goto(`${s.t.url}/admin/observations`);
        await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toContain('监督报告<img src=x');
        expect(errors).toEqual([]);
        await ctx.close();
        return;
      }
      await page.goto(`${s.t.url}/admin/cases/${caseId}`);
      await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toContain('差评<img src=x');
      expect(await page.locator('main').textContent()).toContain('回访记录<img src=x');
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }
});
