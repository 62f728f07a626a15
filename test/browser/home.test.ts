// 首页 in Debian chromium, at a phone (390 px) and a desktop (1440 px): the head's home shows exactly the
// count GET /api/cases?actionable=true returns (the Done-when), and each role's home has no axe
// violation and no horizontal overflow. SCREENSHOTS=dir keeps a picture of each.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drive, PHONE } from '../cases/helpers.js';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeRating } from '../helpers/factories.js';

const s = useBrowserWorld();
const DAY = 86_400_000;
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

async function someCases() {
  const { t, w } = s;
  const bad = async (createdAt: number) =>
    (await makeRating(t.services, { codeId: w.codeA.id, score: 1, phone: PHONE, createdAt, comment: '态度差' })).case!;
  await bad(t.clock.now() - 30 * DAY); // open, overdue
  await bad(t.clock.now() - 3600_000); // open, contact due next working day
  const appealed = await bad(t.clock.now() - 30 * DAY); // waits on the supervisor, overdue
  await drive(t, w.headA, appealed.id, { to: 'visited', classification: 'mistaken', note: '误评' });
  await drive(t, w.headA, appealed.id, { to: 'appealed', note: '系误评' });
}

async function actionableTotal(user: { id: number; role: string }): Promise<number> {
  const res = await s.t.app.inject({ url: '/api/cases?actionable=true', headers: bearerFor(s.t.app, user) });
  expect(res.statusCode).toBe(200);
  return res.json().total;
}

async function noOverflow(page: import('playwright-core').Page) {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client);
}

function shotDir(): string | null {
  const dir = process.env.SCREENSHOTS;
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('首页: the work queue', () => {
  it("the head's home shows exactly GET /api/cases?actionable=true's total, and its overdue share, at 390 and 1440 px", async () => {
    await someCases();
    const expected = await actionableTotal(s.w.headA);
    expect(expected).toBe(2);
    for (const v of VIEWPORTS) {
      const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: v.width, height: v.height }, isMobile: v.width < 768 });
      const page = await ctx.newPage();
      await loginAs(page, s.t.url, s.w.headA.username);
      await expect.poll(() => page.getByTestId('home-actionable-count').textContent()).toBe(String(expected));
      expect(await page.getByTestId('home-overdue-count').textContent()).toBe('1');
      expect(await page.getByTestId('home-waiting-supervisor').textContent()).toContain('1 件');
      await noOverflow(page);
      expect(await axeViolations(page)).toEqual([]);
      const dir = shotDir();
      if (dir) await page.screenshot({ path: join(dir, `home-head-${v.name}.png`), fullPage: true });
      // The count links to the list it counts: the same total there.
      await page
        .getByTestId('home-actionable')
        .getByRole('link', { name: /待我处理/ })
        .click();
      await expect.poll(() => page.locator('main p[role="status"]').textContent()).toContain(`共 ${expected} 件`);
      expect(await page.locator('main table').textContent()).toContain('等待');
      // A case waiting on the supervisor is not shown to the head as the department's lateness.
      await page.goto(`${s.t.url}/admin/cases?waitingOn=supervisor&status=all`);
      await expect.poll(() => page.locator('main p[role="status"]').textContent()).toContain('共 1 件');
      expect(await page.locator('main table tbody').textContent()).toContain('已超期 · 等待督查');
      expect(await page.locator('main table tbody tr.overdue').count()).toBe(0);
      expect(await page.locator('main table tbody .badge.bad').count()).toBe(0);
      if (dir) await page.screenshot({ path: join(dir, `cases-head-waiting-${v.name}.png`), fullPage: true });
      await ctx.close();
    }
  });

  it('the supervisor and the admin: their queues, 暂无待办 where nothing waits, axe clean at both sizes', async () => {
    await someCases();
    for (const [role, user] of [
      ['supervisor', s.w.supervisor],
      ['admin', s.w.admin],
      ['head-empty', s.w.headB],
    ] as const) {
      for (const v of VIEWPORTS) {
        const ctx = await s.browser.newContext({
          locale: 'zh-CN',
          viewport: { width: v.width, height: v.height },
          isMobile: v.width < 768,
        });
        const page = await ctx.newPage();
        await loginAs(page, s.t.url, user.username);
        if (role === 'supervisor') {
          await expect.poll(() => page.getByTestId('home-actionable-count').textContent()).toBe(String(await actionableTotal(user)));
        } else if (role === 'admin') {
          // No case queue of their own. First login: the county's 差评 of the last week; the next login
          // (desktop) counts from the first, after which nothing came: 暂无待办.
          if (v.name === 'phone') await expect.poll(() => page.getByTestId('home-new-bad').textContent()).toContain('近 7 天新差评 1 件');
          else await expect.poll(() => page.getByTestId('home-empty').textContent()).toContain('暂无待办');
          expect(await page.getByTestId('home-actionable').count()).toBe(0);
        } else {
          await expect.poll(() => page.getByTestId('home-empty').textContent()).toContain('暂无待办');
        }
        await noOverflow(page);
        expect(await axeViolations(page)).toEqual([]);
        const dir = shotDir();
        if (dir) await page.screenshot({ path: join(dir, `home-${role}-${v.name}.png`), fullPage: true });
        await ctx.close();
      }
    }
  }, 120_000);
});
