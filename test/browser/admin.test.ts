// The administrator's pages in Debian chromium: users, codes (disable a code), settings.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { makeCode } from '../helpers/factories.js';

const s = useBrowserWorld();

describe('the administrator in chromium', () => {
  it('creates a department head, who can then log in and sees only that department', async () => {
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '用户' }).click();
    const form = page.getByRole('form', { name: '新建用户' });
    await form.getByLabel('用户名').fill('newhead');
    await form.getByLabel('初始密码（至少 8 位）').fill('a-long-password');
    await form.getByLabel('角色').selectOption('dept_head');
    await form.getByLabel('负责部门').selectOption(String(s.w.deptB.id));
    await form.getByRole('button', { name: '新建用户' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('已创建用户 newhead');
    // The list reloads after the status shows (the reload is not awaited): wait for it.
    await expect.poll(() => page.locator('table').textContent()).toContain('newhead');
    expect(await axeViolations(page)).toEqual([]);

    const other = await (await s.browser.newContext({ locale: 'zh-CN' })).newPage();
    await other.goto(`${s.t.url}/admin/`);
    await other.getByLabel('用户名').fill('newhead');
    await other.getByLabel('密码').fill('a-long-password');
    await other.getByRole('button', { name: '登录' }).click();
    await other.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '评议码' }).click();
    await expect.poll(() => other.locator('main').textContent()).toContain(s.w.codeB.id);
    expect(await other.locator('main').textContent()).not.toContain(s.w.codeA.id);
    await ctx.close();
  });

  it('disables a code on the codes page; its landing page then says so', async () => {
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/codes`);
    await page.locator('button', { hasText: `停用（${s.w.codeA.id}）` }).click({ timeout: 10_000 });
    await expect
      .poll(async () => (await firstRow<{ active: number }>(s.t.db, sql`SELECT active FROM codes WHERE id = ${s.w.codeA.id}`))!.active)
      .toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    const phone = await ctx.newPage();
    const res = await phone.goto(`${s.t.url}/r/${s.w.codeA.id}`);
    expect(res?.status()).toBe(410);
    await expect.poll(() => phone.locator('main').textContent()).toContain('已停用');
    await ctx.close();
  });

  it('pages the codes list 50 at a time, and sorts it from a column heading', async () => {
    const more: string[] = [];
    for (let i = 0; i < 55; i++) more.push((await makeCode(s.t.db, { departmentId: s.w.deptA.id })).id);
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/codes`);
    const status = page.locator('main p[role="status"]');
    const rows = page.locator('main table tbody tr');
    // deptA: the world's code and 55 more; deptB: one. Print order puts deptB's code last, on page 2.
    await expect.poll(() => status.textContent()).toBe('共 57 个评议码 · 第 1/2 页');
    expect(await rows.count()).toBe(50);
    expect(await page.locator('main').textContent()).not.toContain(s.w.codeB.id);
    await page.getByRole('navigation', { name: '翻页' }).getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => status.textContent()).toBe('共 57 个评议码 · 第 2/2 页');
    expect(await rows.count()).toBe(7);
    expect(await page.locator('main table').textContent()).toContain(s.w.codeB.id);
    expect(await page.locator('main table').textContent()).toContain(more.at(-1));

    // A heading sorts (and starts again at page 1); pressing it again turns the order around.
    const heading = page.getByRole('columnheader', { name: '评议码' });
    await heading.getByRole('button').press('Enter');
    await expect.poll(() => heading.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => status.textContent()).toBe('共 57 个评议码 · 第 1/2 页');
    const sorted = [s.w.codeA.id, s.w.codeB.id, ...more].sort();
    await expect.poll(() => rows.first().locator('th').textContent()).toBe(sorted[0]);
    await heading.getByRole('button').click();
    await expect.poll(() => heading.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => rows.first().locator('th').textContent()).toBe(sorted.at(-1));
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();

    // On a phone the codes are cards (no column headings to press): the 排序 choice beside the filters.
    const phone = await (await phoneContext(s.browser)).newPage();
    await loginAs(phone, s.t.url, s.w.admin.username);
    await phone.goto(`${s.t.url}/admin/codes`);
    const cards = phone.locator('main table tbody tr');
    await expect.poll(() => cards.count()).toBe(50);
    await phone.getByLabel('排序').selectOption('code');
    await expect.poll(() => cards.first().locator('th').textContent()).toBe(sorted[0]);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    expect(await axeViolations(phone)).toEqual([]);
    await phone.context().close();
  });

  it('the settings page shows the rules and the holiday tables', async () => {
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    await expect.poll(() => page.getByLabel('差评办结时限（工作日）').inputValue()).toBe('15');
    expect(await page.locator('main').textContent()).toContain('节假日安排');
    expect(await axeViolations(page)).toEqual([]);
    // A county administrator edits their county: values inherited, holiday tables and platform keys read-only.
    const main = () => page.locator('main').textContent();
    expect(await main()).toContain(`正在编辑：${s.w.county.name}`);
    expect(await main()).toContain('继承自 平台默认值');
    expect(await main()).toContain('节假日表为全平台设置');
    expect(await page.getByRole('button', { name: '载入' }).count()).toBe(0);
    expect(await page.getByLabel('办结后手机号保留天数').isDisabled()).toBe(true);
    await page.getByLabel('差评办结时限（工作日）').fill('5');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(main).toContain('本单位设置');
    expect((await s.t.services.settings.forUnit(s.w.county.id)).deadlines.caseWorkingDays).toBe(5);
    expect((await s.t.services.settings.forUnit(s.w.otherCounty.id)).deadlines.caseWorkingDays).toBe(15);
    await ctx.close();
  });

  it('the top-level administrator picks the unit to edit and sees where its values come from', async () => {
    await s.t.services.settings.update((await s.t.services.auth.resolveActor(s.w.admin.id))!, { ranking: { minSample: 3 } });
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.cityAdmin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    const main = () => page.locator('main').textContent();
    await expect.poll(main).toContain(`正在编辑：${s.w.city.name}`);
    expect(await page.getByRole('button', { name: '载入' }).count()).toBe(1);
    await page.getByLabel('组织单位').selectOption(String(s.w.county.id));
    await expect.poll(main).toContain(`正在编辑：${s.w.county.name}`);
    await expect.poll(() => page.getByLabel('参与排名的最少评价数').inputValue()).toBe('3');
    expect(await main()).toContain('本单位设置');
    await page.getByRole('button', { name: '恢复继承' }).click();
    await expect.poll(() => page.getByLabel('参与排名的最少评价数').inputValue()).toBe('10');
    expect((await s.t.services.settings.forUnit(s.w.county.id)).ranking.minSample).toBe(10);
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();
  });
});
