// The 好评抽查 page in Debian chromium: what each draw did, in words, and the month's share so far.
// Needs the built client (npm run build).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeRating } from '../helpers/factories.js';
import { PHONE } from './helpers.js';

const s = useBrowserWorld();
const NOV = Date.parse('2026-11-02T09:00:00+08:00');

const status = (page: Page) => page.getByRole('status').first().textContent();

describe('the spot-check page in chromium', () => {
  it('says what each draw found new and drew, and plainly when a month was already drawn', async () => {
    for (let i = 0; i < 40; i++)
      await makeRating(s.t.services, { codeId: s.w.codeA.id, score: 5, phone: PHONE, createdAt: NOV + i * 600_000 });
    const page = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } })).newPage();
    await loginAs(page, s.t.url, s.w.supervisor.username);
    await page.goto(`${s.t.url}/admin/spot-checks`);
    await page.getByLabel('月份').fill('2026-11');
    await page.getByLabel('随机种子（选填）').fill('page');
    const draw = page.getByRole('button', { name: '抽取' });
    await draw.click();
    await expect.poll(() => status(page)).toContain('新增符合条件的实名好评 40 条，本次抽取 2 条');
    expect(await status(page)).toContain('2026-11 累计：符合条件的实名好评 40 条，已抽查 2 条（5%；设定比例 5%）');
    expect(await axeViolations(page)).toEqual([]);

    await draw.click();
    await expect.poll(() => status(page)).toContain('2026-11 已抽查过，新增符合条件的好评 0 条，本次未抽取。');
    expect(await status(page)).toContain('已抽查 2 条');
    // The records: one row per draw (new eligible, drawn), and the month's totals.
    const months = page.locator('table.spot-months tbody tr');
    await expect.poll(() => months.first().locator('td').allTextContents()).toEqual(['2026-11', '40', '2', '5%']);
    const draws = page.locator('table.spot-draws tbody tr');
    await expect.poll(() => draws.count()).toBe(2);
    expect((await draws.nth(0).locator('td').allTextContents()).slice(2, 4)).toEqual(['0', '0']);
    expect((await draws.nth(1).locator('td').allTextContents()).slice(2, 4)).toEqual(['40', '2']);
    expect(await axeViolations(page)).toEqual([]);
  });
});
