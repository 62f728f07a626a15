// 办不成事 from a rejected 办件 in Debian chromium: the citizen opens the 办件's link (/e/{token}) at
// 390×844, sees the 办不成事 form with the 事项, reports, gets the case number and the status page;
// the staff see the case on the 办件's page and the 办件 on the case's, and make the link there.
// Screenshots under SCREENSHOT_DIR (default test-results/).
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';

const s = useBrowserWorld();
const SHOTS = process.env.SCREENSHOT_DIR ?? 'test-results';

async function rejected(projectNo: string) {
  const put = await s.t.app.inject({
    method: 'PUT',
    url: `/api/matters/${projectNo}`,
    headers: bearerFor(s.t.app, s.w.admin),
    payload: {
      code: s.w.codeA.id,
      taskCode: '11441900MB2C12345X4440111001',
      taskName: '食品经营许可（新办）',
      staffName: '张三',
      applicantType: 'person',
      status: 'rejected',
      acceptedAt: '2026-11-23T09:00:00+08:00',
    },
  });
  expect(put.statusCode, put.body).toBe(201);
}

describe('办不成事 from a rejected 办件 in chromium', () => {
  it('the citizen opens the link, reports, gets the case number and the status page; the staff see both sides', async () => {
    await rejected('RJ-B-1');
    const link = await s.t.app.inject({
      method: 'POST',
      url: '/api/matters/RJ-B-1/report-link',
      headers: bearerFor(s.t.app, s.w.supervisor),
    });
    expect(link.statusCode, link.body).toBe(200);
    const { token } = link.json();

    const ctx = await phoneContext(s.browser, { serviceWorkers: 'block' });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${s.t.url}/e/${token}`);
    expect(res?.status()).toBe(200);
    await page.getByRole('heading', { name: '办不成事反映' }).waitFor();
    expect(await page.getByLabel('想办的事项（可不填）').inputValue()).toBe('食品经营许可（新办）');
    expect(await page.locator('main').textContent()).toContain(s.w.deptA.name);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'rejected-matter-form-390.png'), fullPage: true });
    await page.getByLabel('遇到的情况').fill('材料齐全，窗口说缺一份房屋证明就退回了，可这份证明别的窗口说不需要');
    await page.getByRole('button', { name: '提交反映' }).click();
    const caseNo = (await page.getByTestId('case-no').textContent())!.trim();
    expect(caseNo).toMatch(/^BB\d{8}-\d{4}$/);
    const [kase] = await rows<{ id: number; project_no: string; department_id: number }>(
      s.t.db,
      sql`SELECT id, project_no, department_id FROM cases WHERE case_no = ${caseNo}`,
    );
    expect(kase).toMatchObject({ project_no: 'RJ-B-1', department_id: s.w.deptA.id });
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'rejected-matter-receipt-390.png'), fullPage: true });

    // The receipt stays on the phone (a reload shows it before any form), and leads to the status page.
    await page.reload();
    expect((await page.getByTestId('case-no').textContent())!.trim()).toBe(caseNo);
    await page.getByRole('link', { name: '查看处理进度' }).click();
    await page.waitForURL('**/s/**');
    await page.getByRole('heading', { name: '办不成事处理进度' }).waitFor();
    expect((await page.getByTestId('case-no').textContent())!.trim()).toBe(caseNo);
    expect(await page.getByTestId('subject').textContent()).toBe('食品经营许可（新办）');
    await page.screenshot({ path: join(SHOTS, 'rejected-matter-status-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();

    // The staff: the 办件's page names the case, the case's page shows the 办件.
    for (const width of [390, 1440]) {
      const staff = await s.browser.newContext({ viewport: { width, height: 900 } });
      const p = await staff.newPage();
      await loginAs(p, s.t.url, s.w.supervisor.username);
      await p.goto(`${s.t.url}/admin/matters/RJ-B-1`);
      await p.getByTestId('matter-report-case').waitFor();
      expect(await p.getByTestId('matter-report-case').textContent()).toContain(caseNo);
      expect(await axeViolations(p)).toEqual([]);
      await p.screenshot({ path: join(SHOTS, `rejected-matter-staff-${width}.png`), fullPage: true });
      await p.getByRole('link', { name: caseNo }).click();
      await p.getByTestId('case-matter').waitFor();
      expect(await p.getByTestId('case-matter').textContent()).toContain('RJ-B-1');
      expect(await p.getByTestId('case-matter').textContent()).toContain('不予受理');
      await p.screenshot({ path: join(SHOTS, `rejected-matter-case-${width}.png`), fullPage: true });
      await staff.close();
    }
  });

  it('a supervisor makes the link on the page of a rejected 办件 not yet reported (QR and SMS text)', async () => {
    await rejected('RJ-B-2');
    const ctx = await s.browser.newContext({ viewport: { width: 390, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, s.t.url, s.w.supervisor.username);
    await page.goto(`${s.t.url}/admin/matters/RJ-B-2`);
    await page.getByText('申请人尚未反映。').waitFor();
    await page.getByRole('button', { name: '获取办不成事反映链接' }).click();
    await page.getByRole('img', { name: /办不成事反映链接二维码/ }).waitFor();
    expect(await page.locator('.sms').textContent()).toContain('未能办理');
    // No rating link on a rejected 办件.
    expect(await page.getByRole('button', { name: '获取评价链接' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'rejected-matter-link-390.png'), fullPage: true });
    await ctx.close();
  });
});
