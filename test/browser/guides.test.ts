// 办事指南 in Debian chromium (#14 item 4): a citizen opens a guide from its QR's URL at 390 px, reads
// it (长辈模式 too), follows its rating link to the window's page and back through 「办事指南」; the page
// opens again with no signal; an administrator edits a guide at 1440 px and restores its first version.
import { describe, expect, it } from 'vitest';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { makeGuide } from '../helpers/guides.js';
import { decodeSvg } from '../helpers/qr-decode.js';

const s = useBrowserWorld();
const shot = (name: string) => (process.env.SCREENSHOT_DIR ? `${process.env.SCREENSHOT_DIR}/${name}.png` : undefined);

describe('办事指南 in chromium', () => {
  it('a citizen opens a guide from its QR at 390 px, follows the rating link, comes back through 「办事指南」, and reads it offline', async () => {
    const g = await makeGuide(s);
    const qr = await s.t.app.inject({ url: `/api/guides/${g.id}/qr.svg` });
    const target = decodeSvg(qr.body)!;
    expect(target).toBe(`http://test.local/g/${g.id}`);
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `${s.t.url}${new URL(target).pathname}`;
    await page.goto(url);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('居民身份证换领');
    expect(await page.getByTestId('promised').textContent()).toBe('20 个工作日');
    expect(await page.getByTestId('materials').locator('li').count()).toBe(3);
    expect(await page.getByRole('link', { name: '0339-8210110' }).getAttribute('href')).toBe('tel:0339-8210110');
    const report = page.getByRole('link', { name: '办不成事？向我们反映' });
    expect(await report.getAttribute('href')).toBe(`/b/${s.w.codeA.id}?task=${encodeURIComponent('居民身份证换领')}`);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: shot('guide-390'), fullPage: true });
    await page.getByRole('button', { name: '长辈模式' }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: shot('guide-390-big'), fullPage: true });
    await page.getByRole('button', { name: '长辈模式' }).click();

    // The service worker keeps a copy for weak signal.
    await expect
      .poll(
        () => page.evaluate(async () => navigator.serviceWorker.controller !== null && (await caches.match(location.href)) !== undefined),
        { timeout: 15_000 },
      )
      .toBe(true);

    await page.getByRole('link', { name: '评价办理窗口' }).click();
    await page.waitForURL(`${s.t.url}/r/${s.w.codeA.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(s.w.deptA.name);
    await page.getByRole('link', { name: '办事指南' }).click();
    await page.waitForURL(`${s.t.url}/g/?code=${s.w.codeA.id}`);
    await page.screenshot({ path: shot('guide-list-390'), fullPage: true });
    await page.getByRole('link', { name: '居民身份证换领' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('居民身份证换领');

    await ctx.setOffline(true);
    await page.goto(url);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('居民身份证换领');
    await ctx.setOffline(false);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('an administrator edits a guide at 1440 px, sees its history and restores the first version', async () => {
    const g = await makeGuide(s);
    const ctx = await s.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.goto(`${s.t.url}/admin/guides?departmentId=${s.w.deptA.id}`);
    await page.getByRole('button', { name: '编辑' }).click();
    await page.getByLabel('承诺时限（工作日）').fill('10');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('第 2 版');
    await expect.poll(() => page.getByRole('button', { name: '恢复此版' }).count()).toBe(1);
    await page.screenshot({ path: shot('guides-admin-1440'), fullPage: true });
    expect((await s.t.app.inject({ url: `/api/guides/${g.id}` })).json().promisedDays).toBe(10);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '恢复此版' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已恢复第 1 版');
    expect((await s.t.app.inject({ url: `/api/guides/${g.id}` })).json()).toMatchObject({ promisedDays: 20, version: 3 });
    await ctx.close();
  });
});
