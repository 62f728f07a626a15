// 录入问卷 in Debian chromium: a supervisor picks a window once, types 20 paper questionnaires with the
// keyboard alone and sends them; the department's figures count exactly those 20 and the 差评 among
// them opened its case. A 400 marks the rows it names and keeps everything typed.
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { bearerFor, writeSql } from '../helpers/app.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';

// The server's clock stays at T0 (Monday 2026-11-23 10:00); the window's code is older.
const s = useBrowserWorld();
const shots = process.env.SCREENSHOT_DIR;

beforeEach(async () => {
  await writeSql(s.t.db, sql`UPDATE codes SET created_at = ${Date.parse('2026-10-01T09:00:00+08:00')}`);
});

async function open(width: number): Promise<{ page: Page; errors: string[] }> {
  const ctx = await s.browser.newContext({
    locale: 'zh-CN',
    viewport: { width, height: 900 },
    ...(width < 500 ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAs(page, s.t.url, s.w.supervisor.username);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '录入问卷' }).waitFor();
  await page.goto(`${s.t.url}/admin/paper`);
  await page.getByLabel('窗口（评议码）').selectOption(s.w.codeA.id);
  // Typing starts at the score once the window's reasons are loaded.
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('label')?.textContent ?? '')).toContain('评价等级');
  return { page, errors };
}

interface Form {
  score: number;
  tags?: string;
  comment?: string;
  date?: string;
}

/** One questionnaire, keys only: the score key moves on to the reasons; Tab, Tab, Enter. */
async function typeRow(page: Page, f: Form): Promise<void> {
  await page.keyboard.press(String(f.score));
  if (f.tags) await page.keyboard.type(f.tags);
  await page.keyboard.press('Tab');
  if (f.comment) await page.keyboard.type(f.comment);
  await page.keyboard.press('Tab');
  if (f.date) {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(f.date);
  }
  await page.keyboard.press('Enter');
}

// 20 forms: dates typed on three of them (the others keep the last one), one 差评 (reason 1 of the
// bad list: 服务态度差), reasons by number and by a few characters, a few comments.
const FORMS: Form[] = Array.from({ length: 20 }, (_, i) => ({
  score: i === 7 ? 2 : [5, 4, 5, 3, 5][i % 5]!,
  tags: i === 7 ? '1' : i % 3 === 0 ? '1 2' : i % 4 === 1 ? '高效' : undefined,
  comment: i === 7 ? '窗口人员态度冷淡' : i % 6 === 2 ? '很方便' : undefined,
  date: i === 0 ? '11-20' : i === 8 ? '2026-11-21' : i === 15 ? '11-23' : undefined,
}));

describe('录入问卷', () => {
  it('20 questionnaires typed from the keyboard alone count exactly in the department’s figures; the 差评 opened its case', async () => {
    const { page, errors } = await open(1440);
    for (const f of FORMS) await typeRow(page, f);
    const table = page.getByTestId('paper-rows');
    expect(await table.locator('tbody tr').count()).toBe(20);
    expect(await table.locator('tbody tr').nth(7).textContent()).toContain('2 不满意服务态度差窗口人员态度冷淡2026-11-20');
    expect(await table.locator('tbody tr').nth(1).textContent()).toContain('办事高效');
    expect(await table.locator('tbody tr').nth(14).textContent()).toContain('2026-11-21');
    expect(await table.locator('tbody tr').nth(19).textContent()).toContain('2026-11-23');
    expect(await axeViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/paper-1440.png`, fullPage: true });

    await page.keyboard.press('Control+Enter');
    const done = page.getByTestId('paper-done');
    await expect.poll(() => done.textContent()).toContain('20 条已录入（纸质问卷）');
    expect(await done.textContent()).toContain('第 8 条 CP20261120-0001');
    if (shots) await page.screenshot({ path: `${shots}/paper-done-1440.png`, fullPage: true });
    expect(errors).toEqual([]);

    const figures = await s.t.app.inject({
      url: '/api/stats/departments?from=2026-11-01&to=2026-11-30',
      headers: bearerFor(s.t.app, s.w.supervisor),
    });
    const a = figures.json().departments.find((d: { id: number }) => d.id === s.w.deptA.id);
    expect(a).toMatchObject({ total: 20, badCount: 1, goodCount: 19, cases: 1 });
    const byDay = await rows<{ day: string; n: number }>(
      s.t.db,
      sql`SELECT day, count(*) AS n FROM ratings WHERE channel = 'paper' AND entered_by = ${s.w.supervisor.id} GROUP BY day ORDER BY day`,
    );
    expect(byDay.map((r) => [r.day, Number(r.n)])).toEqual([
      ['2026-11-20', 8],
      ['2026-11-21', 7],
      ['2026-11-23', 5],
    ]);
    const kase = await firstRow<{ caseNo: string; tags: string }>(
      s.t.db,
      sql`SELECT c.case_no AS "caseNo", r.tags FROM cases c JOIN ratings r ON r.id = c.rating_id`,
    );
    expect(kase).toEqual({ caseNo: 'CP20261120-0001', tags: '["服务态度差"]' });
    expect((await s.t.services.stats.verifyRollups()).mismatches).toEqual([]);
  });

  it('a 400 marks the rows it names and keeps what was typed; a row deleted from the keyboard is not sent', async () => {
    const { page } = await open(1440);
    await typeRow(page, { score: 5, date: '11-20' });
    await typeRow(page, { score: 4, date: '11-23' });
    await typeRow(page, { score: 1, tags: '服务态度', date: '11-22' });
    // The county shortens the window meanwhile: the form of 11-20 is now too old.
    const set = await s.t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      payload: { limits: { paperMaxAgeDays: 2 } },
      headers: bearerFor(s.t.app, s.w.admin),
    });
    expect(set.statusCode, set.body).toBe(200);
    await page.keyboard.press('Control+Enter');
    const table = page.getByTestId('paper-rows');
    await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain('第 1 条的日期 2026-11-20 已超过 2 天');
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await page.getByRole('alert').first().textContent()).toContain('均未录入');
    expect(Number((await firstRow<{ n: number }>(s.t.db, sql`SELECT count(*) AS n FROM ratings`))!.n)).toBe(0);
    if (shots) await page.screenshot({ path: `${shots}/paper-error-1440.png`, fullPage: true });

    // Keyboard only: to the first row's 删除 and press it; then send the other two.
    await page.getByRole('button', { name: '删除第 1 条' }).focus();
    await page.keyboard.press('Enter');
    expect(await table.locator('tbody tr').count()).toBe(2);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('paper-done').textContent()).toContain('2 条已录入');
    expect(await page.getByTestId('paper-done').textContent()).toContain('第 2 条 CP20261122-0001');
  });

  it('usable at 390 px: the same keys, the list and 提交 within the screen', async () => {
    const { page, errors } = await open(390);
    await typeRow(page, { score: 5, tags: '1', comment: '办理很快', date: '11-21' });
    // Mid-row: the score's reasons listed by number, the ones the filter picked marked.
    await page.keyboard.press('2');
    await page.keyboard.type('2 服务');
    expect(await page.locator('#paper-tag-list li.on').allTextContents()).toEqual(['服务态度差', '办事效率低/等候时间长']);
    if (shots) await page.screenshot({ path: `${shots}/paper-typing-390.png`, fullPage: true });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('paper-rows').locator('tbody tr').count()).toBe(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/paper-390.png`, fullPage: true });
    await page.getByRole('button', { name: /提交 2 条/ }).tap();
    await expect.poll(() => page.getByTestId('paper-done').textContent()).toContain('2 条已录入');
    expect(errors).toEqual([]);
  });
});
