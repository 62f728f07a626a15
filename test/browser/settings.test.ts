// The 设置 page in Debian chromium: the reasons edited (added, moved up from the keyboard, saved) and
// offered in that order on the citizen page; the spot-check share typed as a percent; the holiday
// warning's link landing on the holiday tables; axe on a phone and on a desktop.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SETTINGS_DEFAULTS } from '../../shared/api/settings.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';

const s = useBrowserWorld();

const desktop = () => s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
const main = (page: Page) => page.locator('main').textContent();

describe('the settings page in chromium', () => {
  it('an administrator adds a 差评 reason, moves it up from the keyboard and saves; the citizen page offers it there for 非常不满意', async () => {
    const ctx = await desktop();
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    const bad = page.getByRole('group', { name: /^差评理由/ });
    await bad.getByLabel('新增差评理由').fill('材料被反复退回');
    await bad.getByRole('button', { name: '添加', exact: true }).click();
    const last = SETTINGS_DEFAULTS.tags.bad.length;
    await expect.poll(() => bad.getByLabel(`差评理由第 ${last + 1} 项`).inputValue()).toBe('材料被反复退回');
    // Up three places, from the keyboard: the focus stays on the moved reason's 上移 button.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await bad.getByRole('button', { name: '上移「材料被反复退回」' }).focus();
    for (let i = 1; i <= 3; i++) {
      await page.keyboard.press('Enter');
      await expect.poll(() => bad.getByLabel(`差评理由第 ${last + 1 - i} 项`).inputValue()).toBe('材料被反复退回');
      expect(await focused()).toBe('上移「材料被反复退回」');
    }
    // The page says which levels get which list, and what a rename does to stored ratings.
    expect(await main(page)).toContain('选“不满意”“非常不满意”时列出差评理由');
    expect(await main(page)).toContain('已提交的评价保留当时选的理由');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('设置已保存');
    const expected = [...SETTINGS_DEFAULTS.tags.bad];
    expected.splice(last - 3, 0, '材料被反复退回');
    expect((await s.t.services.settings.forUnit(s.w.county.id)).tags.bad).toEqual(expected);
    await ctx.close();

    const phone = await (await phoneContext(s.browser)).newPage();
    await phone.goto(`${s.t.url}/r/${s.w.codeA.id}`);
    await phone.getByRole('button', { name: '非常不满意', exact: true }).click();
    // The reasons offered: the toggle buttons of the group that holds them (not the page's other toggles).
    const chips = phone.locator('fieldset', { has: phone.getByRole('button', { name: '服务态度差' }) }).locator('button[aria-pressed]');
    await expect.poll(() => chips.allTextContents()).toEqual(expected);
  });

  it('refuses a reason listed twice before sending it, saying why', async () => {
    const ctx = await desktop();
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    const good = page.getByRole('group', { name: /^好评理由/ });
    await good.getByLabel('好评理由第 2 项').fill('态度热情');
    expect(await good.textContent()).toContain('与第 1 项重复');
    await good.getByLabel('新增好评理由').fill('其他');
    await good.getByRole('button', { name: '添加', exact: true }).click();
    expect(await good.textContent()).toContain('「其他」已列在差评理由中');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('填写不符合要求');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('好评理由第 2 项');
    expect((await s.t.services.settings.forUnit(s.w.county.id)).tags).toEqual(SETTINGS_DEFAULTS.tags);
    await ctx.close();
  });

  it('the spot-check share is shown and typed as a percent: 5 % shown, 8 typed is stored as 0.08; 150 is refused in percent', async () => {
    const ctx = await desktop();
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    const share = page.getByLabel('好评抽查比例（%）');
    await expect.poll(() => share.inputValue()).toBe('5');
    expect(await main(page)).toContain('允许 0–100 %');
    await share.fill('150');
    await expect.poll(() => share.getAttribute('aria-invalid')).toBe('true');
    expect(await main(page)).toContain('不能大于 100 %（允许 0–100 %）');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('填写不符合要求');
    expect((await s.t.services.settings.forUnit(s.w.county.id)).spotCheck.share).toBe(0.05);
    await share.fill('8');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('设置已保存');
    expect((await s.t.services.settings.forUnit(s.w.county.id)).spotCheck.share).toBe(0.08);
    await expect.poll(() => share.inputValue()).toBe('8');
    await ctx.close();
  });

  it('the holiday warning links to the holiday tables on the same page, and the home page’s warning to the same place', async () => {
    const ctx = await desktop();
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.cityAdmin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    // The world's today is 2026-11; deadlines reach into 2027, which has no official data yet.
    const warning = page.getByRole('alert').filter({ hasText: '2027 年尚无官方节假日安排数据' });
    await warning.getByRole('link', { name: '到本页下方「节假日安排」载入' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('holidays-title');
    expect(new URL(page.url()).hash).toBe('#holidays');
    expect(await page.getByRole('heading', { name: '节假日安排（工作日计算）' }).isVisible()).toBe(true);
    const top = await page.getByRole('heading', { name: '节假日安排（工作日计算）' }).boundingBox();
    expect(top!.y).toBeGreaterThanOrEqual(0);
    expect(top!.y).toBeLessThan(900);

    await page.goto(`${s.t.url}/admin/`);
    await page.getByRole('link', { name: '去载入' }).first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('holidays-title');
    expect(new URL(page.url()).pathname).toBe('/admin/settings');
    await ctx.close();
  });

  it('a supervisor sees every setting read-only, the 办件评价 checkbox and select included', async () => {
    const ctx = await desktop();
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.supervisor.username);
    await page.goto(`${s.t.url}/admin/settings`);
    await page.getByLabel('默认评价等级').waitFor();
    expect(await page.getByLabel('有效期内未评价的办件给系统默认评价').isDisabled()).toBe(true);
    expect(await page.getByLabel('默认评价等级').isDisabled()).toBe(true);
    expect(await page.getByLabel('评价链接有效期（办结后自然日）').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: '保存设置' }).count()).toBe(0);
    await ctx.close();
  });

  for (const [name, open] of [
    ['a phone (390)', (b: typeof s.browser) => phoneContext(b)],
    ['a desktop (1440)', () => desktop()],
  ] as const) {
    it(`axe finds nothing on ${name}, with the anti-abuse group closed and open; nothing overflows`, async () => {
      const ctx = await open(s.browser);
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await loginAs(page, s.t.url, s.w.admin.username);
      await page.goto(`${s.t.url}/admin/settings`);
      await page.getByRole('group', { name: /^差评理由/ }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.locator('details.abuse > summary').click();
      await page.getByLabel('突发检测窗口（分钟）').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }
});
