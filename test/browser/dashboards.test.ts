// The head's dashboard, the ratings behind a figure, and the public page, in Debian chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { axeViolations, hasChromium, launchBrowser, loginAs, startServer } from '../helpers/browser.js';
import { makeRating, makeWorld } from '../helpers/factories.js';

let browser: Browser;
let t: TestApp & { url: string };
let w: Awaited<ReturnType<typeof makeWorld>>;
const XSS = '<img src=x onerror="window.__xss=1">差评<script>window.__xss=2</script>';

beforeAll(async () => {
  if (!hasChromium) throw new Error('Debian chromium is required for browser tests');
  browser = await launchBrowser();
});
afterAll(() => browser?.close());
beforeEach(async () => {
  // The pages default to "the last 30 days" by the browser's clock, so the data is made today.
  t = await startServer({ now: Date.now() - 60_000 });
  w = await makeWorld(t.db);
  // Department A: 6×5, 2×4, 1×3, 1×1 → 10 ratings, 好评率 90.0%, 综合评分 (30+8+3+1)/10×20 = 84.0
  for (const score of [5, 5, 5, 5, 5, 5, 4, 4, 3]) makeRating(t.services, { codeId: w.codeA.id, score });
  makeRating(t.services, { codeId: w.codeA.id, score: 1, comment: XSS, phone: '13912345678' });
  // Department B: 2 ratings (样本不足 below the default minimum of 10)
  makeRating(t.services, { codeId: w.codeB.id, score: 5 });
  makeRating(t.services, { codeId: w.codeB.id, score: 2 });
});
afterEach(() => t.close());

const login = (page: Page, username: string) => loginAs(page, t.url, username);

describe('dashboards and the public page', () => {
  it('the head sees their department’s figures, comments as text, and the ratings behind a figure', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, w.headA.username);
    await page.goto(`${t.url}/admin/dashboard`);
    await expect.poll(() => page.getByTestId('kpi-total-value').textContent()).toBe('10');
    expect(await page.getByTestId('kpi-goodRate-value').textContent()).toBe('90.0%');
    expect(await page.getByTestId('kpi-badRate-value').textContent()).toBe('10.0%');
    expect(await page.getByTestId('kpi-score-value').textContent()).toBe('84.0');
    // only their own department: nothing of department B on the page
    expect(await page.locator('body').textContent()).not.toContain(w.deptB.name);
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
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
    await login(page, w.supervisor.username);
    await page.goto(`${t.url}/admin/dashboard`);
    const table = page.getByTestId('ranking-table');
    await expect.poll(() => table.textContent()).toContain(w.deptA.name);
    expect(await table.getByTestId(`rank-row-${w.deptB.id}`).textContent()).toContain('样本不足');
    expect(await table.getByTestId(`rank-row-${w.deptA.id}`).textContent()).toContain('90.0%');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the public page shows the month’s ranking without personal data', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await page.goto(`${t.url}/public`);
    const table = page.getByTestId('public-rankings');
    await expect.poll(() => table.textContent()).toContain(w.deptA.name);
    const row = table.locator('tr', { hasText: w.deptA.name });
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('10');
    expect(text).toContain('90.0%');
    expect(text).toContain('84.0');
    expect(await table.locator('tr', { hasText: w.deptB.name }).textContent()).toContain('样本不足');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain('13912345678');
    expect(body).not.toContain('差评<script>');
    expect(await axeViolations(page)).toEqual([]);
  });
});
