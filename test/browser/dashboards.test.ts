// The head's dashboard, the ratings behind a figure, and the public page, in Debian chromium.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeCode, makeRating } from '../helpers/factories.js';

// The pages default to "the last 30 days" by the browser's clock, so the data is made today.
const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
const XSS = '<img src=x onerror="window.__xss=1">差评<script>window.__xss=2</script>';

beforeEach(async () => {
  // Department A: 6×5, 2×4, 1×3, 1×1 → 10 ratings, 好评率 90.0%, 综合评分 (30+8+3+1)/10×20 = 84.0
  for (const score of [5, 5, 5, 5, 5, 5, 4, 4, 3]) await makeRating(s.t.services, { codeId: s.w.codeA.id, score });
  await makeRating(s.t.services, { codeId: s.w.codeA.id, score: 1, comment: XSS, phone: '13912345678' });
  // Department B: 2 ratings (样本不足 below the default minimum of 10)
  await makeRating(s.t.services, { codeId: s.w.codeB.id, score: 5 });
  await makeRating(s.t.services, { codeId: s.w.codeB.id, score: 2 });
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

  it('the windows table: 50 a page, a pager usable by keyboard, sortable headings; a new sort or period starts at page 1', async () => {
    for (let n = 1; n <= 54; n++) await makeCode(s.t.db, { departmentId: s.w.deptA.id, location: `县政务服务中心 B区 ${n}号窗口` });
    const page = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, s.w.headA.username);
    await page.goto(`${s.t.url}/admin/dashboard`);
    const table = page.getByTestId('windows-table');
    const pager = page.getByRole('navigation', { name: '各窗口翻页', exact: true });
    const status = () => pager.getByRole('status').textContent();
    const sorted = () =>
      table.locator('th[aria-sort]').evaluateAll((ths) => ths.map((th) => [th.textContent, th.getAttribute('aria-sort')]));
    const rows = table.locator('tbody tr');
    await expect.poll(status).toBe('共 55 个窗口 · 第 1/2 页');
    expect(await rows.count()).toBe(50);
    expect(await sorted()).toEqual([['位置▲', 'ascending']]);
    // By location as it reads: 2号 before 10号 (A区 before B区: code A is first).
    expect(await rows.nth(0).textContent()).toContain(s.w.codeA.id);
    expect(await rows.nth(2).textContent()).toContain('B区 2号窗口');
    expect(await rows.nth(10).textContent()).toContain('B区 10号窗口');
    // The next page, by keyboard: focus stays on the button, which is now at the end.
    const next = pager.getByRole('button', { name: '下一页' });
    await next.focus();
    await page.keyboard.press('Enter');
    await expect.poll(status).toBe('共 55 个窗口 · 第 2/2 页');
    expect(await rows.count()).toBe(5);
    expect(await rows.last().textContent()).toContain('B区 54号窗口');
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    expect(await next.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // A sort by 综合评分: highest first, from page 1; again: lowest first, unrated windows still last.
    await table.getByRole('button', { name: '综合评分' }).click();
    await expect.poll(status).toBe('共 55 个窗口 · 第 1/2 页');
    expect(await sorted()).toEqual([['综合评分▼', 'descending']]);
    expect(await rows.nth(0).textContent()).toContain('84.0');
    await table.getByRole('button', { name: '综合评分' }).click();
    await expect.poll(sorted).toEqual([['综合评分▲', 'ascending']]);
    await expect.poll(() => rows.nth(0).textContent()).toContain(s.w.codeA.id);
    // Page 2, then another period: page 1 again.
    await next.click();
    await expect.poll(status).toBe('共 55 个窗口 · 第 2/2 页');
    await page.getByRole('button', { name: '近7天' }).click();
    await expect.poll(status).toBe('共 55 个窗口 · 第 1/2 页');
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
