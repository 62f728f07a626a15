// 监督报告 in Debian chromium: an invited observer (特邀监督员), created by an administrator, files a
// report from a 390 px phone without naming a window, finds it in 「我的报告」 with its case number, and
// sees nothing of the staff app (no other nav entry, no case page, no call answered 403). A department
// head's 一把手走流程 at 1440 px opens the same kind of case, whose page shows who filed it and what.
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { TEST_PASSWORD } from '../helpers/factories.js';

const s = useBrowserWorld();
const shots = process.env.SCREENSHOT_DIR;

/** Every answer of the staff API the page got that was a 403 (an observer's page must cause none). */
function forbiddenCalls(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 403) seen.push(r.url());
  });
  return seen;
}

const navLinks = (page: Page) => page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents();
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function createObserver(): Promise<void> {
  const res = await s.t.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: bearerFor(s.t.app, s.w.admin),
    payload: { username: 'jiandu01', displayName: '王监督', password: TEST_PASSWORD, role: 'observer', orgUnitId: s.w.county.id },
  });
  expect(res.statusCode, res.body).toBe(201);
}

describe('监督报告', () => {
  it('an observer files a report on a phone without a window, sees it in 我的报告, and nothing else', async () => {
    await createObserver();
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const forbidden = forbiddenCalls(page);
    await loginAs(page, s.t.url, 'jiandu01');

    // The landing page is the form; the nav has the observer's entries only.
    const form = page.getByRole('form', { name: '监督报告' });
    await form.waitFor();
    expect(await navLinks(page)).toEqual(['提交监督报告', '我的报告', '公开数据']);
    expect(await page.getByRole('link', { name: '公开数据' }).getAttribute('href')).toBe('/public');

    await page.getByLabel('部门').selectOption(String(s.w.deptA.id));
    // The window stays unchosen: 不指定窗口.
    expect(await page.getByLabel('窗口（可不选）').inputValue()).toBe('');
    await page.getByLabel('看到的日期').fill('2026-11-20');
    await page.getByLabel('看到的情况').fill('大厅取号机故障半小时无人处理，群众排队无人引导');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/observation-form-390.png`, fullPage: true });
    await page.getByRole('button', { name: '提交报告' }).click();

    const done = page.getByTestId('observation-done');
    await expect.poll(() => done.textContent()).toContain('JD20261123-0001');
    expect(await page.getByLabel('看到的情况').inputValue()).toBe('');
    const stored = await firstRow<Record<string, unknown>>(s.t.db, sql`SELECT kind, code_id, department_id, walkthrough FROM cases`);
    expect(stored).toMatchObject({ kind: 'observation', code_id: null, department_id: s.w.deptA.id });
    expect(Boolean(stored!.walkthrough)).toBe(false);
    if (shots) await page.screenshot({ path: `${shots}/observation-done-390.png`, fullPage: true });

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的报告' }).click();
    const list = page.getByTestId('observation-list');
    await list.waitFor();
    const text = (await list.textContent()) ?? '';
    expect(text).toContain('JD20261123-0001');
    expect(text).toContain('未指定窗口');
    expect(text).toContain('大厅取号机故障');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/observation-list-390.png`, fullPage: true });

    // Straight to a staff page: no case data, a plain message, still the observer's nav.
    for (const path of ['/admin/cases', '/admin/dashboard']) {
      await page.goto(`${s.t.url}${path}`);
      await page.getByRole('navigation', { name: '主导航' }).waitFor();
      await expect.poll(() => page.locator('main.content').textContent()).toContain('页面不存在或无权访问');
      expect(await page.locator('table').count()).toBe(0);
      expect(await navLinks(page)).toEqual(['提交监督报告', '我的报告', '公开数据']);
    }
    expect(forbidden).toEqual([]);
    expect(errors).toEqual([]);

    // The same at a desktop width.
    const wide = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const desk = await wide.newPage();
    await loginAs(desk, s.t.url, 'jiandu01');
    await desk.getByRole('form', { name: '监督报告' }).waitFor();
    if (shots) await desk.screenshot({ path: `${shots}/observation-form-1440.png`, fullPage: true });
    await desk.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的报告' }).click();
    await desk.getByTestId('observation-list').waitFor();
    if (shots) await desk.screenshot({ path: `${shots}/observation-list-1440.png`, fullPage: true });
  });

  it('一把手走流程: a head files the report from the staff nav; the case page shows the reporter, day and window', async () => {
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, s.t.url, s.w.headA.username);
    const links = await navLinks(page);
    expect(links.at(-1)).toBe('走流程');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '走流程' }).click();
    await page.getByRole('form', { name: '监督报告' }).waitFor();
    // The head's one department is chosen already; their window is offered.
    await expect.poll(() => page.getByLabel('部门').inputValue()).toBe(String(s.w.deptA.id));
    await page.getByLabel('窗口（可不选）').selectOption(s.w.codeA.id);
    await page.getByLabel('看到的日期').fill('2026-11-23');
    await page.getByLabel('看到的情况').fill('以群众身份办理营业执照，取号后等候 40 分钟');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '提交报告' }).click();
    const done = page.getByTestId('observation-done');
    await expect.poll(() => done.textContent()).toContain('JD20261123-0001');
    await done.getByRole('link', { name: '查看这件案件' }).click();

    const facts = page.getByTestId('case-observation');
    await facts.waitFor();
    const text = (await facts.textContent()) ?? '';
    expect(text).toContain(s.w.headA.displayName);
    expect(text).toContain('一把手走流程');
    expect(text).toContain('2026-11-23');
    expect(text).toContain('取号后等候 40 分钟');
    expect(text).toContain('未填写');
    expect(await axeViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/observation-case-1440.png`, fullPage: true });

    const phone = await phoneContext(s.browser);
    const small = await phone.newPage();
    await loginAs(small, s.t.url, s.w.headA.username);
    await small.goto(`${s.t.url}/admin/walkthrough`);
    await small.getByRole('form', { name: '监督报告' }).waitFor();
    expect(await pageWidth(small)).toBeLessThanOrEqual(390);
    if (shots) await small.screenshot({ path: `${shots}/walkthrough-form-390.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
