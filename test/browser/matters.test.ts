// 系统对接 and 办件 in Debian chromium, at a phone's 390 px and a desk's 1440 px: an administrator makes
// a key (shown once) and revokes it; staff find a 办件, see its ratings, and get its rating link and QR.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { T0, writeSql } from '../helpers/app.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeIntegration, matterBody, putMatter } from '../integrations/keys.js';

const s = useBrowserWorld();
const WIDTHS = [390, 1440] as const;
/** Where the pages' screenshots go, when asked for (SCREENSHOT_DIR): for a person to look at. */
const SHOTS = process.env.SCREENSHOT_DIR;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** No element wider than the viewport makes the page itself scroll sideways (tables scroll in their box). */
async function pageScrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

describe('系统对接 and 办件 in chromium', () => {
  for (const width of WIDTHS) {
    it(`an administrator makes a key, sees it once, and revokes it (${width} px)`, async () => {
      const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width, height: 900 } });
      const page = await ctx.newPage();
      page.on('dialog', (d) => void d.accept());
      await loginAs(page, s.t.url, s.w.admin.username);
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '系统对接' }).click();
      const form = page.getByRole('form', { name: '新建对接' });
      await form.getByLabel('业务系统名称').fill('一窗受理系统');
      await form.getByRole('button', { name: '新建对接并生成密钥' }).click();
      const key = page.getByTestId('api-key');
      await expect.poll(() => key.textContent()).toMatch(/^mspy_[A-Za-z0-9_-]{43}$/);
      const apiKey = (await key.textContent())!;
      await expect.poll(() => page.locator('main table').textContent()).toContain(apiKey.slice(0, 12));
      expect(await page.locator('main').textContent()).toContain('密钥只显示这一次');
      // The key works; the call shows in the list once the page is loaded again.
      expect((await putMatter(s.t.app, apiKey, 'UI-1', matterBody(s.w.codeA.id))).statusCode).toBe(201);
      expect(await axeViolations(page)).toEqual([]);
      expect(await pageScrollsSideways(page)).toBe(false);
      await shot(page, `integrations-created-${width}`);

      await page.getByRole('button', { name: '我已保存，关闭' }).click();
      expect(await page.locator('main').textContent()).not.toContain(apiKey);
      await page.reload();
      await expect.poll(() => page.locator('main table').textContent()).not.toContain('从未调用');
      await page.getByRole('button', { name: '撤销' }).click();
      await expect.poll(() => page.locator('main table').textContent()).toContain('已撤销');
      expect((await putMatter(s.t.app, apiKey, 'UI-2', matterBody(s.w.codeA.id))).statusCode).toBe(401);
      await shot(page, `integrations-revoked-${width}`);
      await ctx.close();
    });

    it(`staff find a 办件, see its ratings and get its rating link with QR and SMS (${width} px)`, async () => {
      const { apiKey } = await makeIntegration(s.t.app, s.w.admin);
      for (let i = 1; i <= 3; i++) await putMatter(s.t.app, apiKey, `GD2026-00${i}`, matterBody(s.w.codeB.id));
      const body = matterBody(s.w.codeA.id, {
        status: 'finished',
        finishedAt: '2026-11-23T09:40:00+08:00',
        applicantPhone: '13800138000',
        promisedDate: '2026-11-30',
        source: 'window',
      });
      expect((await putMatter(s.t.app, apiKey, 'GD2026-0100', body)).statusCode).toBe(201);
      const row = (await firstRow<{ id: number }>(s.t.db, sql`SELECT id FROM matters WHERE project_no = 'GD2026-0100'`))!;
      await writeSql(
        s.t.db,
        sql`INSERT INTO ratings (code_id, department_id, score, tags, channel, created_at, day, matter_id, assess_number, superseded)
          VALUES (${s.w.codeA.id}, ${s.w.deptA.id}, 2, '[]', 'link', ${T0}, '2026-11-23', ${row.id}, 1, 1),
                 (${s.w.codeA.id}, ${s.w.deptA.id}, 4, '[]', 'link', ${T0 + 60_000}, '2026-11-23', ${row.id}, 2, 0)`,
      );

      const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width, height: 900 } });
      const page = await ctx.newPage();
      await loginAs(page, s.t.url, s.w.supervisor.username);
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '办件' }).click();
      await expect.poll(() => page.locator('main p[role="status"]').textContent()).toBe('共 4 件');
      expect(await axeViolations(page)).toEqual([]);
      expect(await pageScrollsSideways(page)).toBe(false);
      await shot(page, `matters-list-${width}`);

      await page.getByRole('search', { name: '按办件编号查找' }).getByLabel('办件编号').fill('GD2026-0100');
      await page.getByRole('button', { name: '查找' }).click();
      await expect.poll(() => page.locator('h1').textContent()).toBe('办件 GD2026-0100');
      const main = page.locator('main');
      await expect.poll(() => main.textContent()).toContain('已被追评取代');
      const text = (await main.textContent())!;
      expect(text).toContain('138****8000');
      expect(text).not.toContain('13800138000');
      expect(text).toContain('城乡居民基本养老保险参保登记');
      expect(text).toContain('追评');
      expect(text).toContain('满意');

      await page.getByRole('button', { name: '获取评价链接' }).click();
      const link = page.locator('a.link-url');
      await expect.poll(() => link.textContent()).toMatch(/\/e\/[A-Za-z0-9_-]{32}$/);
      expect(await page.locator('img.link-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect(await main.textContent()).toContain('已办结，请对本次服务评价');
      await shot(page, `matter-detail-${width}`);
      expect(await axeViolations(page)).toEqual([]);
      expect(await pageScrollsSideways(page)).toBe(false);

      // A department head sees the 办件 of their department, without the link button; another's is 404.
      const head = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width, height: 900 } })).newPage();
      await loginAs(head, s.t.url, s.w.headA.username);
      await head.goto(`${s.t.url}/admin/matters/GD2026-0100`);
      await expect.poll(() => head.locator('h1').textContent()).toBe('办件 GD2026-0100');
      expect(await head.getByRole('button', { name: '获取评价链接' }).count()).toBe(0);
      await head.goto(`${s.t.url}/admin/matters/GD2026-001`);
      await expect.poll(() => head.locator('main').textContent()).toContain('办件不存在或不在您的管辖范围内');
      await ctx.close();
    });
  }

  it('the settings page sets the rating link’s validity and the SMS sign (390 px)', async () => {
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/settings`);
    const days = page.getByLabel('评价链接有效期（办结后自然日）');
    await days.fill('10');
    await page.getByLabel(/评价短信签名/).fill('示例县政务服务中心');
    await page.getByLabel('默认评价等级').selectOption('3');
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('设置已保存');
    const rules = (await s.t.services.settings.forDepartment(s.w.deptA.id)).matters;
    expect(rules).toEqual({ linkValidDays: 10, smsSign: '示例县政务服务中心', defaultRating: { enabled: false, score: 3 } });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('heading', { name: '办件评价' }).scrollIntoViewIfNeeded();
    await shot(page, 'settings-matters-390');
    await ctx.close();
  });
});
