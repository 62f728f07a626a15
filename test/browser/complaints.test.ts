// 录入投诉 in Debian chromium at 1440 px: a supervisor types a 12345 work order from the keyboard, gets
// its case number, and finds it in the case list with its channel's case kind.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';

const s = useBrowserWorld();
const shots = process.env.SCREENSHOT_DIR;

describe('录入投诉', () => {
  it('a 12345 work order typed from the keyboard opens a complaint case that the case list shows', async () => {
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginAs(page, s.t.url, s.w.supervisor.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '录入投诉' }).click();
    const form = page.getByRole('form', { name: '录入一件投诉' });
    await form.waitFor();
    // The channel has the focus: keys only from here.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('label')?.textContent ?? '')).toContain('来源渠道');
    await page.getByLabel('来源渠道').selectOption('12345');
    await page.getByLabel('工单编号').fill('GD20261123-0042');
    await page.getByLabel('收到日期').fill('2026-11-20');
    await page.getByLabel('被投诉部门').selectOption(String(s.w.deptA.id));
    await page.getByLabel('窗口（可不选）').selectOption(s.w.codeA.id);
    await page.getByLabel('事项（可不填）').fill('社保卡补办');
    await page.getByLabel('群众反映的内容').fill('来电反映社保卡补办跑了三趟还没办好');
    await page.getByLabel('群众手机号（可不填）').fill('13912345678');
    await page.getByLabel('群众同意回访').check();
    expect(await axeViolations(page)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/complaint-entry-1440.png`, fullPage: true });
    await page.getByLabel('群众手机号（可不填）').press('Enter');

    const done = page.getByTestId('complaint-done');
    await expect.poll(() => done.textContent()).toContain('TS20261123-0001');
    // The form is empty again for the next one, the channel kept.
    expect(await page.getByLabel('群众反映的内容').inputValue()).toBe('');
    expect(await page.getByLabel('来源渠道').inputValue()).toBe('12345');
    const stored = await firstRow<Record<string, unknown>>(s.t.db, sql`SELECT kind, channel, order_no, entered_by FROM cases`);
    expect(stored).toEqual({ kind: 'complaint', channel: '12345', order_no: 'GD20261123-0042', entered_by: s.w.supervisor.id });

    // The same order again: the 409 names the existing case, nothing is lost from the form.
    await page.getByLabel('工单编号').fill('GD20261123-0042');
    await page.getByLabel('群众反映的内容').fill('重复录入');
    await page.getByLabel('群众反映的内容').press('Control+Enter');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('TS20261123-0001');
    expect(await page.getByLabel('群众反映的内容').inputValue()).toBe('重复录入');

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '案件' }).click();
    const row = page.getByRole('row', { name: /TS20261123-0001/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('投诉');
    if (shots) await page.screenshot({ path: `${shots}/complaint-list-1440.png`, fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
