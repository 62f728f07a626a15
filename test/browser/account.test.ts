// Sessions in the staff app, in Debian chromium: the administrator resets a password on the users page
// (1440 px), the user changes their own on a phone (390 px), and 退出 really ends the token on the server.
import { describe, expect, it } from 'vitest';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { TEST_PASSWORD } from '../helpers/factories.js';

const s = useBrowserWorld();

describe('sessions in the staff app', () => {
  it('an admin resets a head’s password: the head’s open session ends, the new password logs in', async () => {
    const head = await (await phoneContext(s.browser)).newPage();
    head.setDefaultTimeout(5000);
    await loginAs(head, s.t.url, s.w.headA.username);

    const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(5000);
    page.on('dialog', (d) => void d.accept());
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '用户' }).click();
    await page.locator('button', { hasText: `重置密码（${s.w.headA.username}）` }).click();
    const form = page.getByRole('form', { name: `重置 ${s.w.headA.username} 的密码` });
    await form.getByLabel('新密码（至少 8 位）').fill('reset-by-the-admin');
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: '重置' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`已重置 ${s.w.headA.username} 的密码`);
    // No reset or disable of one's own account here: that is the account page's.
    expect(await page.locator('button', { hasText: `（${s.w.admin.username}）` }).count()).toBe(0);

    // The head's next request answers 401 and the app shows the login form again.
    await head.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '案件' }).click();
    await head.getByRole('button', { name: '登录' }).waitFor();
    await head.getByLabel('用户名').fill(s.w.headA.username);
    await head.getByLabel('密码').fill('reset-by-the-admin');
    await head.getByRole('button', { name: '登录' }).click();
    await head.getByRole('navigation', { name: '主导航' }).waitFor();
    await ctx.close();
  });

  it('on a phone, a user changes their password and stays signed in; 退出 ends the token on the server', async () => {
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.supervisor.username);
    const first = await page.evaluate(() => localStorage.getItem('mspy.token'));
    await page.getByRole('link', { name: '修改密码' }).click();
    await page.getByRole('heading', { name: '我的账号' }).waitFor();

    await page.getByLabel('当前密码').fill(TEST_PASSWORD);
    await page.getByLabel('新密码（至少 8 位）').fill('my-new-passphrase');
    await page.getByLabel('再次输入新密码').fill('not-the-same-one');
    await page.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('两次输入的新密码不一致');
    await page.getByLabel('再次输入新密码').fill('my-new-passphrase');
    await page.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('密码已修改');
    expect(await axeViolations(page)).toEqual([]);
    // The page fits the phone: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // The token the page started with no longer works; the one it holds now does.
    const second = await page.evaluate(() => localStorage.getItem('mspy.token'));
    expect(second).not.toBe(first);
    const me = (token: string | null) =>
      s.t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } }).then((r) => r.statusCode);
    expect(await me(first)).toBe(401);
    expect(await me(second)).toBe(200);

    await page.getByRole('button', { name: '退出', exact: true }).click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('mspy.token'))).toBeNull();
    expect(await me(second)).toBe(401);
    await ctx.close();
  });
});
