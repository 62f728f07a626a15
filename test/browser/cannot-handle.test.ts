// 办不成事 in Debian chromium: the citizen's path at 390×844 (rating page → 办不成事 link → form →
// 受理编号 → status page, the receipt kept on the phone), and the staff case page of a 不好办 report at
// 390 and 1440 px (no rating block; the report, the coordination parts). Screenshots under
// SCREENSHOT_DIR (default test-results/).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';

const s = useBrowserWorld();
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results';

describe('办不成事 in chromium', () => {
  it('a citizen reports from the rating page, gets a case number and sees its status; the receipt stays', async () => {
    const ctx = await phoneContext(s.browser, { serviceWorkers: 'block' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.t.url}/r/${s.w.codeA.id}`);
    await page.getByRole('link', { name: '办不成事？点此反映' }).click();
    await page.waitForURL(`**/b/${s.w.codeA.id}`);
    await page.getByRole('heading', { name: '办不成事反映' }).waitFor();
    // Nothing written: the page says what is missing, next to the field.
    await page.getByRole('button', { name: '提交反映' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('请写下遇到的情况');
    await page.getByLabel('想办的事项（可不填）').fill('不动产登记');
    await page.getByLabel('遇到的情况').fill('材料都带齐了，窗口说系统不支持，让我下周再来');
    await page.getByLabel('手机号（可不填，方便工作人员联系您）').fill('13912345678');
    await page.getByRole('button', { name: '提交反映' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('勾选同意');
    await page.getByLabel('同意工作人员使用此号码联系我').check();
    await page.getByRole('button', { name: '提交反映' }).click();
    const caseNo = (await page.getByTestId('case-no').textContent())!.trim();
    expect(caseNo).toMatch(/^BB\d{8}-\d{4}$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'cannot-handle-receipt-390.png'), fullPage: true });

    // The receipt is kept on the phone: a reload shows it again before any form.
    await page.reload();
    expect((await page.getByTestId('case-no').textContent())!.trim()).toBe(caseNo);
    await page.getByRole('link', { name: '查看处理进度' }).click();
    await page.waitForURL('**/s/**');
    await page.getByRole('heading', { name: '办不成事处理进度' }).waitFor();
    expect((await page.getByTestId('case-no').textContent())!.trim()).toBe(caseNo);
    expect(await page.getByTestId('status').textContent()).toBe('待分类');
    expect(await page.getByTestId('subject').textContent()).toBe('不动产登记');
    expect(await page.getByTestId('description').textContent()).toContain('系统不支持');
    expect(await page.locator('main').textContent()).not.toContain('13912345678');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'cannot-handle-status-390.png'), fullPage: true });

    // ?task= prefills the 事项 (guide pages and rejected 办件 link with it).
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${s.t.url}/b/${s.w.codeA.id}?task=${encodeURIComponent('个体工商户设立登记')}`);
    expect(await page.getByLabel('想办的事项（可不填）').inputValue()).toBe('个体工商户设立登记');
    expect(errors).toEqual([]);
  });

  it('the staff case page shows a 不好办 report with its parts, at 390 and 1440 px', async () => {
    const res = await s.t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { code: s.w.codeA.id, subject: '建设工程规划许可', description: '需要规划和住建两个部门盖章，来回跑了三趟' },
    });
    const { caseNo } = res.json();
    const id = (await s.t.app.inject({ url: '/api/cases?kind=cannot_handle', headers: bearerFor(s.t.app, s.w.supervisor) })).json().cases[0]
      .id;
    const post = async (url: string, user: { id: number; role: string }, payload: object) => {
      const r = await s.t.app.inject({ method: 'POST', url, headers: bearerFor(s.t.app, user), payload });
      expect(r.statusCode, r.body).toBe(200);
    };
    await post(`/api/cases/${id}/transitions`, s.w.headA, { to: 'visited', handling: 'hard' });
    await post(`/api/cases/${id}/transitions`, s.w.headA, { to: 'rectifying', note: '约住建局联合办理' });

    for (const width of [1440, 390]) {
      const ctx = await s.browser.newContext({ viewport: { width, height: 900 } });
      const page = await ctx.newPage();
      await loginAs(page, s.t.url, s.w.supervisor.username);
      await page.goto(`${s.t.url}/admin/cases?kind=cannot_handle`);
      await page.getByRole('link', { name: caseNo }).click();
      await page.getByTestId('case-report').waitFor();
      expect(await page.getByTestId('case-report').textContent()).toContain('来回跑了三趟');
      expect(await page.getByTestId('case-handling').textContent()).toBe('不好办');
      await expect.poll(() => page.getByText('评价渠道').count()).toBe(0);
      if (width === 1440) {
        // The supervisor adds department B through the page.
        await page.getByLabel('增加协办部门').selectOption({ label: s.w.deptB.name });
        await page.getByRole('button', { name: '增加', exact: true }).click();
        await expect.poll(() => page.getByTestId('case-parts').textContent()).toContain('待记录');
      }
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `cannot-handle-staff-${width}.png`), fullPage: true });
      await ctx.close();
    }

    // Department B's head records its part on the page.
    const ctx = await s.browser.newContext({ viewport: { width: 390, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.headB.username);
    await page.goto(`${s.t.url}/admin/cases/${id}`);
    await page.getByLabel('本部门办理情况').fill('已出具住建意见');
    await page.getByRole('button', { name: '记录', exact: true }).click();
    await expect.poll(() => page.getByTestId('case-parts').textContent()).toContain('已出具住建意见');
    await page.screenshot({ path: join(SHOTS, 'cannot-handle-part-390.png'), fullPage: true });
  });
});
