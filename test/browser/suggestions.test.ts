// 金点子 in Debian chromium: a citizen submits on the public page (1440 and 390 px), a supervisor answers
// it on /admin/suggestions, and the answer is published on the public page without the contact. Also
// the /i/{code} form a window's rating page links to. Screenshots under SCREENSHOT_DIR (default test-results/).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { makeGuide } from '../helpers/guides.js';

const s = useBrowserWorld();
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results';

describe('金点子 in chromium', () => {
  it('submitted on the public page, answered by a supervisor, published without personal data', async () => {
    const errors: string[] = [];
    const ctx = await s.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.t.url}/public`);
    await page.getByRole('button', { name: '我有金点子' }).click();
    const form = page.getByRole('form', { name: '我有金点子' });
    await form.getByLabel('涉及部门').selectOption({ label: `${s.w.deptA.name}（${s.w.county.name}）` });
    await form.getByLabel('类别').selectOption('环境设施');
    await form.getByLabel('您的身份').selectOption('企业');
    await form.getByLabel('标题').fill('大厅增设充电宝租借');
    await form.getByLabel('建议内容').fill('办事排队时手机没电，建议在等候区增设充电宝租借点。');
    await form.getByRole('textbox', { name: /联系方式/ }).fill('13912345678');
    await form.getByRole('button', { name: '提交建议' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('勾选同意');
    await form.getByLabel('同意工作人员用此联系方式联系我').check();
    await form.getByRole('button', { name: '提交建议' }).click();
    const no = (await page.getByTestId('suggestion-no').textContent())!.trim();
    expect(no).toMatch(/^JY\d{6}$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'suggestions-public-submitted-1440.png'), fullPage: true });

    // The supervisor answers it (the contact masked).
    const staff = await s.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const admin = await staff.newPage();
    admin.on('pageerror', (e) => errors.push(e.message));
    await loginAs(admin, s.t.url, s.w.supervisor.username);
    await admin.getByRole('link', { name: '金点子' }).click();
    const card = admin.getByTestId('suggestion').filter({ hasText: '大厅增设充电宝租借' });
    await card.waitFor();
    expect(await card.textContent()).toContain('139****5678');
    expect(await card.textContent()).not.toContain('13912345678');
    await card.getByLabel('采纳', { exact: true }).check();
    await card.getByLabel('答复理由').fill('等候时间较长，确有需要');
    await card.getByRole('button', { name: '提交答复' }).click();
    await expect.poll(() => card.getByRole('alert').textContent()).toContain('措施');
    await card.getByRole('textbox', { name: /采取的措施/ }).fill('已在一楼等候区设置 2 台共享充电宝');
    await card.getByRole('button', { name: '提交答复' }).click();
    // Answered: it leaves the 待答复 list.
    await expect.poll(() => admin.getByTestId('suggestion').filter({ hasText: '大厅增设充电宝租借' }).count()).toBe(0);
    await admin.getByLabel('状态').selectOption('answered');
    const answered = admin.getByTestId('suggestion').filter({ hasText: '大厅增设充电宝租借' });
    await answered.waitFor();
    expect(await answered.textContent()).toContain('已在一楼等候区设置 2 台共享充电宝');
    expect(await axeViolations(admin)).toEqual([]);
    await admin.screenshot({ path: join(SHOTS, 'suggestions-admin-1440.png'), fullPage: true });
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.screenshot({ path: join(SHOTS, 'suggestions-admin-390.png'), fullPage: true });

    // Published: the answer, the department, no contact; figures counted.
    for (const width of [1440, 390]) {
      const pub = await (await s.browser.newContext({ viewport: { width, height: 900 } })).newPage();
      pub.on('pageerror', (e) => errors.push(e.message));
      await pub.goto(`${s.t.url}/public`);
      const list = pub.getByTestId('idea-list');
      await list.getByText('大厅增设充电宝租借').waitFor();
      const text = (await list.textContent())!;
      expect(text).toContain('采纳');
      expect(text).toContain('已在一楼等候区设置 2 台共享充电宝');
      expect(text).toContain(s.w.deptA.name);
      expect(await pub.locator('body').textContent()).not.toContain('5678');
      expect(await pub.getByTestId('idea-figures').textContent()).toContain('采纳率 100.0%');
      expect(await axeViolations(pub)).toEqual([]);
      await pub.screenshot({ path: join(SHOTS, `suggestions-public-${width}.png`), fullPage: true });
    }
    expect(errors).toEqual([]);
  });

  it('a window rating page links to its 金点子 form at 390 px', async () => {
    const ctx = await phoneContext(s.browser, { serviceWorkers: 'block' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.t.url}/r/${s.w.codeA.id}`);
    await page.getByRole('link', { name: '我有金点子' }).click();
    await page.waitForURL(`**/i/${s.w.codeA.id}`);
    await page.getByRole('heading', { name: '金点子' }).waitFor();
    await page.getByRole('button', { name: '提交建议' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('类别');
    await page.getByLabel('类别').selectOption('流程优化');
    await page.getByLabel('标题').fill('叫号屏显示预计等候时间');
    await page.getByLabel('建议内容').fill('建议叫号屏显示每个窗口的预计等候时间。');
    await page.getByRole('button', { name: '提交建议' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/JY\d{6}/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'suggestions-window-form-390.png'), fullPage: true });

    // A guide page links to the form of the window it was opened from.
    const guide = await makeGuide(s);
    await page.goto(`${s.t.url}/g/${guide.id}`);
    await page.getByRole('link', { name: '我有金点子' }).click();
    await page.waitForURL(`**/i/${s.w.codeA.id}`);
    // Without a code: the department is picked from the list.
    await page.goto(`${s.t.url}/i/`);
    await page.getByLabel('部门').selectOption({ label: s.w.deptB.name });
    await page.getByLabel('类别').selectOption('信息化');
    await page.getByLabel('标题').fill('网上预约可选时段');
    await page.getByLabel('建议内容').fill('建议网上预约能精确到半小时。');
    await page.getByRole('button', { name: '提交建议' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/JY\d{6}/);
    const listed = await s.t.app.inject({
      url: `/api/suggestions?departmentId=${s.w.deptB.id}`,
      headers: bearerFor(s.t.app, s.w.supervisor),
    });
    expect(listed.json().suggestions[0]).toMatchObject({ title: '网上预约可选时段', codeId: null });
    expect(errors).toEqual([]);
  });
});
