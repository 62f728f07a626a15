// 办件评价 in Debian chromium: the department head's dashboard shows 评价率 and 主动评价好评率 beside
// 好评率 and leads to the department's 办件 by 经办人 and by 事项; the 差评 case shows its 办件.
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { exec, firstRow } from '../../db/client.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeMatter } from '../helpers/matters.js';

// The pages default to "the last 30 days" by the browser's clock, so the 办件 finish today.
const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
const PHONE = '13912345678';
let n = 0;

async function rate(token: string, score: number): Promise<number> {
  const res = await s.t.app.inject({
    method: 'POST',
    url: `/api/e/${token}/ratings`,
    payload: { score, tags: score <= 2 ? ['服务态度差'] : [], idempotencyKey: `browser-matter-${String(++n).padStart(6, '0')}` },
    remoteAddress: '10.9.9.9',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

let badRatingId = 0;
beforeEach(async () => {
  const now = s.t.clock.now();
  const at = (staffName: string | null, taskCode: string, taskName: string, finishedAt = now - 3600_000) =>
    makeMatter(s.t.db, { codeId: s.w.codeA.id, departmentId: s.w.deptA.id, staffName, taskCode, taskName, finishedAt });
  // 张敏: two 办件 rated 5 and 4; 李强: a 差评 and one not rated; no 经办人: not rated, given the county's
  // default rating (4) when its link ran out.
  await rate((await at('张敏', 'T-001', '个体工商户设立登记')).linkToken!, 5);
  await rate((await at('张敏', 'T-002', '食品经营许可')).linkToken!, 4);
  const bad = await at('李强', 'T-001', '个体工商户设立登记');
  await s.t.db.transaction((tx) =>
    exec(tx, sql`UPDATE matters SET applicant_phone_enc = ${s.t.services.crypto.encryptPhone(PHONE)} WHERE id = ${bad.id}`),
  );
  badRatingId = await rate(bad.linkToken!, 1);
  await at('李强', 'T-003', '税务登记');
  await at(null, 'T-003', '税务登记', now - 10 * 86_400_000);
  await s.t.services.ratings.flush();
  const admin = (await s.t.services.auth.resolveActor(s.w.admin.id))!;
  await s.t.services.settings.update(admin, { matters: { linkValidDays: 7, defaultRating: { enabled: true, score: 4 }, smsSign: '' } });
  expect(await s.t.services.ratings.giveDefaultRatings()).toBe(1);
});

const login = (page: Page, username: string) => loginAs(page, s.t.url, username);

describe('办件评价 pages', () => {
  for (const viewport of [
    { width: 390, height: 844, isMobile: true },
    { width: 1440, height: 900, isMobile: false },
  ]) {
    it(`at ${viewport.width} px: the dashboard's 评价率 leads to the 办件 by 经办人 (most 差评 first) and by 事项`, async () => {
      const page = await (
        await s.browser.newContext({
          locale: 'zh-CN',
          viewport: { width: viewport.width, height: viewport.height },
          isMobile: viewport.isMobile,
        })
      ).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await login(page, s.w.headA.username);
      await page.goto(`${s.t.url}/admin/dashboard`);
      // 5 finished, 3 rated: 评价率 60.0%. Ratings 5, 4, 1 and the default 4: 好评率 3/4; without the
      // default, 主动评价好评率 2/3.
      await expect.poll(() => page.getByTestId('kpi-ratingRate-value').textContent()).toBe('60.0%');
      expect(await page.getByTestId('kpi-ratingRate').textContent()).toContain('3 / 5 办件');
      expect(await page.getByTestId('kpi-ratingRate').textContent()).toContain('未评价率 40.0%');
      expect(await page.getByTestId('kpi-goodRate-value').textContent()).toBe('75.0%');
      expect(await page.getByTestId('kpi-goodRate').textContent()).toContain('默认评价 1 条');
      expect(await page.getByTestId('kpi-activeGoodRate-value').textContent()).toBe('66.7%');
      expect(await page.getByTestId('figure-legend').textContent()).toContain('主动评价好评率：群众主动评价中的好评占比，不含系统默认评价');
      expect(await axeViolations(page)).toEqual([]);

      if (process.env.SCREENSHOT_DIR) {
        await page.getByTestId('kpi-activeGoodRate').scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/dashboard-${viewport.width}.png` });
        await page.getByTestId('matters-link').evaluate((e) => e.scrollIntoView({ block: 'center' }));
        await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/dashboard-legend-${viewport.width}.png` });
      }
      await page.getByTestId('matters-link').getByRole('link', { name: '按经办人' }).click();
      const table = page.getByTestId('matters-table');
      const rows = table.locator('tbody tr');
      await expect.poll(() => rows.count()).toBe(3);
      expect(await rows.nth(0).locator('th').textContent()).toBe('李强');
      expect(await rows.nth(0).textContent()).toContain('50.0%');
      expect(await rows.nth(1).locator('th').textContent()).toBe('张敏');
      expect(await rows.nth(2).locator('th').textContent()).toBe('（未登记经办人）');
      expect(await page.getByTestId('matters-totals').textContent()).toContain(
        '办结办件 5 件，群众评价 3 件（评价率 60.0%，未评价率 40.0%）',
      );
      expect(await page.getByTestId('matters-totals').textContent()).toContain('默认评价 1 条');
      expect(await table.locator('th[aria-sort]').textContent()).toBe('差评▼');
      // By 评价率: highest first, then the other way.
      await table.getByRole('button', { name: '评价率' }).click();
      await expect.poll(() => rows.nth(0).locator('th').textContent()).toBe('张敏');
      await table.getByRole('button', { name: '评价率' }).click();
      await expect.poll(() => rows.nth(0).locator('th').textContent()).toBe('（未登记经办人）');
      expect(await axeViolations(page)).toEqual([]);
      if (process.env.SCREENSHOT_DIR)
        await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/staff-${viewport.width}.png`, fullPage: true });

      await page.getByTestId('view-tasks').click();
      await expect.poll(() => rows.nth(0).locator('th').textContent()).toContain('个体工商户设立登记');
      expect(await rows.count()).toBe(3);
      expect(await rows.nth(0).textContent()).toContain('T-001');
      expect(await page.getByTestId('view-tasks').getAttribute('aria-current')).toBe('page');
      expect(await axeViolations(page)).toEqual([]);
      if (process.env.SCREENSHOT_DIR)
        await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/tasks-${viewport.width}.png`, fullPage: true });
      // The page never widens past the screen: the table scrolls inside its box.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      expect(errors).toEqual([]);
    });
  }

  it('the 差评 case page shows its 办件, the applicant’s phone masked', async () => {
    const page = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await login(page, s.w.supervisor.username);
    const kase = (await firstRow<{ id: number }>(s.t.db, sql`SELECT id FROM cases WHERE rating_id = ${badRatingId}`))!;
    await page.goto(`${s.t.url}/admin/cases/${kase.id}`);
    const matter = page.getByTestId('case-matter');
    await expect.poll(() => matter.textContent()).toContain('个体工商户设立登记');
    const text = (await matter.textContent()) ?? '';
    for (const part of ['李强', 'T-001', '个人', '139****5678', '已办结']) expect(text).toContain(part);
    expect(await page.getByTestId('rating-channel').textContent()).toBe('评价链接（首次评价）');
    expect(await page.locator('body').textContent()).not.toContain(PHONE);
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/case-390.png`, fullPage: true });
  });
});
