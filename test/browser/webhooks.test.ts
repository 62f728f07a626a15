// The 消息推送 page in Debian chromium: a DingTalk robot's 加签密钥 is typed once (a password field),
// then shown only as 已设置, replaced or removed; the page never holds it again.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';

const s = useBrowserWorld();
const SECRET = 'SEC4f2b9d0c6e1a8b7f3c5d2e9a0b1c4d7e6f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d';
const NEW_SECRET = 'SEC0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe('webhooks page', () => {
  it('sets, replaces and removes a DingTalk 加签密钥 without ever showing it', async () => {
    const stored = async () => {
      const enc = (await firstRow<{ s: string | null }>(s.t.db, sql`SELECT secret_enc AS s FROM webhooks`))?.s;
      return enc ? s.t.services.crypto.decryptSecret(enc) : enc;
    };
    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    page.on('dialog', (d) => void d.accept());
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '消息推送' }).click();

    const form = page.getByRole('form', { name: '新建推送' });
    await form.getByLabel('名称').fill('钉钉督查群');
    // Only a DingTalk robot signs: the field appears with that type.
    expect(await form.getByLabel(/加签密钥/).count()).toBe(0);
    await form.getByLabel('类型').selectOption('dingtalk');
    const field = form.getByLabel(/加签密钥/);
    expect(await field.getAttribute('type')).toBe('password');
    await form.getByLabel('Webhook 地址').fill('https://oapi.dingtalk.com/robot/send?access_token=abc123');
    await field.fill(SECRET);
    await form.getByRole('button', { name: '新建推送' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('已新建推送');
    await expect.poll(() => page.locator('table').textContent()).toContain('已加签');
    expect(await stored()).toBe(SECRET);
    expect(await field.inputValue()).toBe('');

    await page.getByRole('button', { name: '加签密钥' }).click();
    const editor = page.getByRole('form', { name: '「钉钉督查群」的加签密钥' });
    expect(await editor.textContent()).toContain('加签密钥：已设置');
    expect(await editor.getByLabel(/新的加签密钥/).inputValue()).toBe('');
    expect(await axeViolations(page)).toEqual([]);

    // The server's refusal shows in the editor, by the field.
    await editor.getByLabel(/新的加签密钥/).fill('abc');
    await editor.getByRole('button', { name: '替换密钥' }).click();
    await expect.poll(() => editor.getByRole('status').textContent()).toContain('加签密钥（secret）格式不正确');
    expect(await stored()).toBe(SECRET);
    await editor.getByLabel(/新的加签密钥/).fill(NEW_SECRET);
    await editor.getByRole('button', { name: '替换密钥' }).click();
    await expect.poll(stored).toBe(NEW_SECRET);
    await expect.poll(() => editor.getByRole('status').textContent()).toContain('已保存加签密钥');

    await editor.getByRole('button', { name: '删除密钥' }).click();
    await expect.poll(stored).toBe(null);
    await expect.poll(() => editor.textContent()).toContain('加签密钥：未设置');
    expect(await page.locator('table').textContent()).not.toContain('已加签');
    // Neither secret is anywhere in the page.
    const html = await page.content();
    for (const secret of [SECRET, NEW_SECRET]) expect(html).not.toContain(secret.slice(3, 19));
    await ctx.close();
  });
});
