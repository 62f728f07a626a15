// Report codes (#13) on the 部门 page at 390 px: an admin sees what each department lacks for reporting,
// is told a mistyped 统一社会信用代码's check character before anything is sent, and sets the codes.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';

const s = useBrowserWorld();

describe('the 部门 page’s report codes', () => {
  it('an admin on a phone sets a department’s credit code and the county’s area code', async () => {
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/departments`);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: s.w.deptA.name, exact: true }) });
    await expect.poll(() => row.textContent()).toContain('缺统一社会信用代码：上报时其评价暂缓');
    // The org units (their area codes) arrive by a request of their own: waited for, not raced.
    await expect.poll(() => row.textContent()).toContain(`${s.w.county.name}缺行政区划代码：上报时其评价暂缓`);

    await row.getByRole('button', { name: `修改${s.w.deptA.name}的统一社会信用代码` }).click();
    const input = row.getByLabel(`${s.w.deptA.name}的统一社会信用代码`);
    await input.fill('11100000000013127E');
    await row.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.getByRole('alert').textContent()).toBe('统一社会信用代码校验位不符：第 18 位应为 D');
    expect(
      (await firstRow<{ c: string | null }>(s.t.db, sql`SELECT credit_code AS c FROM departments WHERE id = ${s.w.deptA.id}`))!.c,
    ).toBeNull();
    await input.fill('11100000000013127d');
    await row.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row.textContent()).toContain('11100000000013127D');
    expect(
      (await firstRow<{ c: string | null }>(s.t.db, sql`SELECT credit_code AS c FROM departments WHERE id = ${s.w.deptA.id}`))!.c,
    ).toBe('11100000000013127D');
    expect(await row.textContent()).not.toContain('缺统一社会信用代码');

    const unitRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: s.w.county.name, exact: true }) });
    await unitRow.getByRole('button', { name: `修改${s.w.county.name}的行政区划代码` }).click();
    await unitRow.getByLabel(`${s.w.county.name}的行政区划代码`).fill('330302000000');
    await unitRow.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => unitRow.textContent()).toContain('330302000000');
    await expect.poll(() => row.textContent()).toContain('代码齐全');

    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/report-codes-390.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });
});

describe('the settings page’s 数据上报代码', () => {
  it('lists every current reason with its evalDetail code; a bad code is refused before saving, a good one saved', async () => {
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    const field = page.getByLabel('差评「服务态度差」的代码');
    await expect.poll(() => field.inputValue()).toBe('201');
    expect(await page.getByLabel('好评「态度热情」的代码').inputValue()).toBe('101');
    await field.fill('2 01');
    await expect.poll(() => page.locator('[data-detail-error]').count()).toBe(1);
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('有 1 处填写不符合要求');
    await field.fill('A-201');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('设置已保存');
    const saved = (
      await s.t.app.inject({ url: `/api/settings?orgUnitId=${s.w.county.id}`, headers: bearerFor(s.t.app, s.w.admin) })
    ).json();
    expect(saved.report.detailCodes).toMatchObject({ 服务态度差: 'A-201', 态度热情: '101' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.getByText('数据上报代码', { exact: true }).first().scrollIntoViewIfNeeded();
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/report-codes-settings-390.png` });
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });
});
