// The head's dashboard, the ratings behind a figure, and the public page, in Debian chromium.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeRating } from '../helpers/factories.js';

// The pages default to "the last 30 days" by the browser's clock, so the data is made today.
const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
const XSS = '<img src=x onerror="window.__xss=1">差评<script>window.__xss=2</script>';

beforeEach(() => {
  // Department A: 6×5, 2×4, 1×3, 1×1 → 10 ratings, 好评率 90.0%, 综合评分 (30+8+3+1)/10×20 = 84.0
  for (const score of [5, 5, 5, 5, 5, 5, 4, 4, 3]) makeRating(s.t.services, { codeId: s.w.codeA.id, score });
  makeRating(s.t.services, { codeId: s.w.codeA.id, score: 1, comment: XSS, phone: '13912345678' });
  // Department B: 2 ratings (样本不足 below the default minimum of 10)
  makeRating(s.t.services, { codeId: s.w.codeB.id, score: 5 });
  makeRating(s.t.services, { codeId: s.w.codeB.id, score: 2 });
});

const login = (page: Page, username: string) => loginAs(page, s.t.url, username);

describe('dashboards and the public page', () => {
  it('the head sees their department’s figures, comments as text, and the ratings behind a figure', async () => {
    const page = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, s.w.headA.username);
    await page.goto(`${s.t.url}/admin/dashboard`);
    await expect.poll(() => page.getByTestId('kpi-total-value').textContent()).toBe('10');
    expect(await page.getByTestId('kpi-goodRate-value').textContent()).toBe('90.0%');
    expect(await page.getByTestId('kpi-badRate-value').textContent()).toBe('10.0%');
    expect(await page.getByTestId('kpi-score-value').textContent()).toBe('84.0');
    // only their own department: nothing of department B on the page
    expect(await page.locator('body').textContent()).not.toContain(s.w.deptB.name);
    // the comment is shown as text, never run
    await expect.poll(() => page.getByTestId('latest-comments').textContent()).toContain('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('body').textContent()).not.toContain('13912345678');
    expect(await axeViolations(page)).toEqual([]);
    // every figure links to the ratings behind it
    await page.getByTestId('kpi-badRate').getByRole('link').click();
    await page.getByTestId('ratings-table').waitFor();
    await expect.poll(() => page.getByTestId('ratings-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('ratings-table').textContent()).toContain('139****5678');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('the supervisor’s county page ranks A and marks B 样本不足', async () => {
    const page = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
    await login(page, s.w.supervisor.username);
    await page.goto(`${s.t.url}/admin/dashboard`);
    const table = page.getByTestId('ranking-table');
    await expect.poll(() => table.textContent()).toContain(s.w.deptA.name);
    expect(await table.getByTestId(`rank-row-${s.w.deptB.id}`).textContent()).toContain('样本不足');
    expect(await table.getByTestId(`rank-row-${s.w.deptA.id}`).textContent()).toContain('90.0%');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the public page shows the month’s ranking without personal data', async () => {
    const page = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await page.goto(`${s.t.url}/public`);
    const table = page.getByTestId('public-rankings');
    await expect.poll(() => table.textContent()).toContain(s.w.deptA.name);
    const row = table.locator('tr', { hasText: s.w.deptA.name });
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('10');
    expect(text).toContain('90.0%');
    expect(text).toContain('84.0');
    expect(await table.locator('tr', { hasText: s.w.deptB.name }).textContent()).toContain('样本不足');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain('13912345678');
    expect(body).not.toContain('差评<script>');
    expect(await axeViolations(page)).toEqual([]);
  });
});
