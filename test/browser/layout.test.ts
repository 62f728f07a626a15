// Staff pages on a phone (390 px) and a desktop (1440 px), with data in them: no page scrolls sideways
// on a phone (tables become card lists, charts fit their box, the public ranking stays in its box);
// what identifies a thing or a moment stays on one line; one way of writing dates; the 评价 page's
// filters live in the URL and say so when nothing matches. axe finds nothing on any of them.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, staffPage, useBrowserWorld } from '../helpers/browser.js';
import { makeCode, makeRating } from '../helpers/factories.js';

// The pages default to "the last 30 days" by the browser's clock, so the data is made today.
const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
// SCREENSHOTS=dir saves each page as the test sees it, for a person to look at.
const SHOTS = process.env.SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const LONG_PLACE = '县政务服务中心二楼不动产登记与税费综合受理区第12号窗口';

beforeEach(async () => {
  const window12 = await makeCode(s.t.db, { departmentId: s.w.deptA.id, location: LONG_PLACE });
  for (const score of [5, 5, 4, 3]) await makeRating(s.t.services, { codeId: s.w.codeA.id, score, tags: ['态度热情'] });
  await makeRating(s.t.services, { codeId: window12.id, score: 5, comment: '工作人员非常耐心，一次就办好了，点赞！' });
  for (let i = 0; i < 3; i++)
    await makeRating(s.t.services, {
      codeId: i === 0 ? window12.id : s.w.codeA.id,
      score: 1 + (i % 2),
      tags: ['服务态度差', '办事效率低/等候时间长'],
      comment: '窗口人员长时间离岗，排队一个多小时没有人办理，希望尽快整改。',
      phone: `1391234567${i}`,
    });
  await makeRating(s.t.services, { codeId: s.w.codeB.id, score: 1, comment: '差', phone: '13700000000' });
  await makeRating(s.t.services, { codeId: s.w.codeB.id, score: 5 });
  // A flood held for review (the supervisor's 待核查评价).
  for (let i = 0; i < 70; i++) {
    await s.t.app.inject({
      method: 'POST',
      url: `/api/codes/${s.w.codeA.id}/ratings`,
      payload: { score: 5, clientId: `layout${String(i).padStart(8, '0')}` },
      remoteAddress: '10.7.7.9',
    });
  }
});

const open = (width: number, username: string) => staffPage(s, width, username);

/** How far the page scrolls sideways (0: not at all). */
const sideways = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth);

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The staff pages of this task, each with what shows it has loaded its data. */
const STAFF_PAGES = [
  { name: 'cases', path: '/admin/cases', user: 'supervisor', ready: 'table.case-list tbody tr' },
  { name: 'todo', path: '/admin/todo', user: 'headA', ready: 'table.case-list tbody tr' },
  { name: 'dashboard', path: '/admin/dashboard', user: 'headA', ready: '.chart-box canvas' },
  { name: 'dashboard-county', path: '/admin/dashboard', user: 'supervisor', ready: '.chart-box canvas' },
  { name: 'ratings', path: '/admin/ratings', user: 'supervisor', ready: '[data-testid=ratings-table] tbody tr' },
  { name: 'held', path: '/admin/held?view=list', user: 'supervisor', ready: 'table.held-ratings tbody tr' },
  { name: 'codes', path: '/admin/codes', user: 'headA', ready: 'table tbody tr' },
] as const;

describe('phone and desktop layouts', () => {
  for (const width of [390, 1440]) {
    it(`at ${width} px no staff page scrolls sideways, and axe finds nothing`, async () => {
      const sessions = new Map<string, { page: Page; errors: string[] }>();
      for (const p of STAFF_PAGES) {
        const user = s.w[p.user];
        if (!sessions.has(p.user)) sessions.set(p.user, await open(width, user.username));
        const { page, errors } = sessions.get(p.user)!;
        await page.goto(`${s.t.url}${p.path}`);
        await page.locator(p.ready).first().waitFor();
        expect(await sideways(page), `${p.name} at ${width}`).toBeLessThanOrEqual(0);
        expect(await axeViolations(page), `${p.name} at ${width}`).toEqual([]);
        await shot(page, `${p.name}-${width}`);
        expect(errors, p.name).toEqual([]);
      }
    }, 180_000);
  }

  it('the public ranking fits a phone: no column is off-screen and the page does not scroll sideways', async () => {
    for (const width of [390, 1440]) {
      const context = await s.browser.newContext({ locale: 'zh-CN', viewport: { width, height: 844 }, isMobile: width < 768 });
      const page = await context.newPage();
      await page.goto(`${s.t.url}/public`);
      const table = page.getByTestId('public-rankings');
      await table.locator('tbody tr').first().waitFor();
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      // Every figure of the first department, 差评整改 included, is inside the window.
      const offscreen = await table
        .locator('tbody tr')
        .first()
        .evaluate(
          (tr) =>
            [...tr.children]
              .map((c) => c.getBoundingClientRect())
              .filter((r) => r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5)).length,
        );
      expect(offscreen, `at ${width}`).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, `public-${width}`);
    }
  });

  it('at 1440 px a case number, a date and a pill each stay on one line; the case page writes dates one way', async () => {
    const { page, errors } = await open(1440, s.w.supervisor.username);
    await page.goto(`${s.t.url}/admin/cases`);
    const row = page.locator('table.case-list tbody tr').first();
    await row.waitFor();
    const lines = (selector: string) =>
      row
        .locator(selector)
        .first()
        .evaluate((el) => el.getClientRects().length);
    // One line: every box of the cell's text on the same line (a cell is as tall as its row).
    const oneLine = (selector: string) =>
      row
        .locator(selector)
        .first()
        .evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.bottom))).size === 1;
        });
    expect(await lines('th.case-no a')).toBe(1);
    expect(await oneLine('td[data-label="办结期限"]')).toBe(true);
    expect(await oneLine('td[data-label="立案时间"]')).toBe(true);
    expect(await lines('.pills > span')).toBe(1);
    await page.goto(`${s.t.url}/admin/ratings`);
    const rating = page.getByTestId('ratings-table').locator('tbody tr').first();
    await rating.waitFor();
    expect(
      await rating
        .locator('.badge')
        .first()
        .evaluate((el) => el.getClientRects().length),
    ).toBe(1);
    expect(await rating.locator('td.when').evaluate((el) => el.getClientRects().length)).toBe(1);

    await page.goto(`${s.t.url}/admin/cases`);
    await row.locator('th.case-no a').click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/\d{4}\/\d{1,2}\/\d{1,2}/);
    expect(text).not.toMatch(/\d{2}:\d{2}:\d{2}/);
    await shot(page, 'case-1440');
    expect(errors).toEqual([]);
  });

  it('评价: filters in the URL, newest first, paged with its total, an empty state', async () => {
    const { page, errors } = await open(390, s.w.supervisor.username);
    await page.goto(`${s.t.url}/admin/ratings`);
    const table = page.getByTestId('ratings-table');
    await table.locator('tbody tr').first().waitFor();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('共 10 条');
    const filters = page.getByRole('search', { name: '筛选评价' });
    await filters.getByLabel('等级').selectOption('kind:bad');
    await filters.getByLabel('留言').selectOption('true');
    await filters.getByRole('button', { name: '筛选' }).click();
    await expect.poll(() => page.url()).toContain('kind=bad');
    expect(page.url()).toContain('hasComment=true');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('共 4 条');
    expect(await table.locator('tbody tr').count()).toBe(4);
    // The link is the list: opened anew, the same filters and the same rows.
    await page.goto(page.url());
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    expect(await page.getByRole('search', { name: '筛选评价' }).getByLabel('等级').inputValue()).toBe('kind:bad');
    // Held for review: the flood.
    await page.goto(`${s.t.url}/admin/ratings?held=true`);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('共 70 条');
    expect(await page.getByRole('navigation', { name: '翻页' }).textContent()).toContain('第 1/2 页');
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    // Nothing matches: said so, with a way back.
    await page.goto(`${s.t.url}/admin/ratings?channel=kiosk`);
    await expect.poll(() => page.getByTestId('ratings-empty').textContent()).toContain('该条件下暂无评价');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'ratings-empty-390');
    expect(errors).toEqual([]);
  });
});
