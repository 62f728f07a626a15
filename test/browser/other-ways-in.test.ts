// Issue #14's "done when", end to end in Debian chromium, each step through the page its user meets:
// a citizen opens a 办事指南 from its QR on a 390 px phone, reports 办不成事 from it, gets a case number
// and sees its status; the supervisor classifies it 不好办, starts the coordination and adds a second department; both
// departments record their parts; the case closes with the citizen's satisfaction, which the citizen's
// status page then shows. 20 paper questionnaires typed in count exactly in the department's figures.
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { bearerFor, writeSql } from '../helpers/app.js';
import { axeViolations, loginAs, phoneContext, staffPage, useBrowserWorld } from '../helpers/browser.js';
import { TEST_PASSWORD } from '../helpers/factories.js';
import { makeGuide } from '../helpers/guides.js';
import { decodeSvg } from '../helpers/qr-decode.js';

const s = useBrowserWorld();
const shot = (name: string) => (process.env.SCREENSHOT_DIR ? `${process.env.SCREENSHOT_DIR}/${name}.png` : undefined);

const openStaff = async (username: string, width: number) => (await staffPage(s, width, username)).page;

/** Fills and sends the case page's form of one workflow step (MoveForm: radios by label, the note). */
async function move(page: Page, action: string, fill: { choice?: string; note?: string }): Promise<void> {
  const form = page.locator('form.move-form').filter({ has: page.getByRole('heading', { name: action }) });
  if (fill.choice) await form.getByLabel(fill.choice, { exact: true }).check();
  if (fill.note) await form.locator('textarea').first().fill(fill.note);
  await form.getByRole('button', { name: action }).click();
  await expect.poll(() => page.getByRole('heading', { name: action }).count()).toBe(0);
}

describe('every other way in, end to end', () => {
  it('guide QR → 办不成事 → case number and status → 不好办 with a second department → both parts → closed with the citizen’s satisfaction; an observer’s report, and the observer cannot see the case', async () => {
    const guide = await makeGuide(s, {
      taskName: '建设工程规划许可证核发',
      materials: ['建设工程规划许可申请表', '建设项目用地批准文件', '设计方案总平面图'],
      steps: ['申请：窗口或网上提交材料', '审查：规划部门审查方案', '办结：核发许可证'],
      legalDays: 20,
      promisedDays: 10,
      fees: '不收费',
      legalBasis: '《中华人民共和国城乡规划法》第四十条',
    });

    // The citizen scans the guide's QR: the URL in the code is the guide page.
    const target = decodeSvg((await s.t.app.inject({ url: `/api/guides/${guide.id}/qr.svg` })).body)!;
    expect(new URL(target).pathname).toBe(`/g/${guide.id}`);
    const phone = await phoneContext(s.browser, { serviceWorkers: 'block' });
    const citizen = await phone.newPage();
    const errors: string[] = [];
    citizen.on('pageerror', (e) => errors.push(e.message));
    await citizen.goto(`${s.t.url}${new URL(target).pathname}`);
    await citizen.getByRole('link', { name: '办不成事？向我们反映' }).click();
    await citizen.getByRole('heading', { name: '办不成事反映' }).waitFor();
    expect(await citizen.getByLabel('想办的事项（可不填）').inputValue()).toBe('建设工程规划许可证核发');
    await citizen.getByLabel('遇到的情况').fill('需要规划和住建两个部门的意见，两边都说先找对方，来回跑了三趟');
    await citizen.getByRole('button', { name: '提交反映' }).click();
    const caseNo = (await citizen.getByTestId('case-no').textContent())!.trim();
    expect(caseNo).toMatch(/^BB20261123-\d{4}$/);
    await citizen.getByRole('link', { name: '查看处理进度' }).click();
    await citizen.getByRole('heading', { name: '办不成事处理进度' }).waitFor();
    // Left no phone: nobody calls, so the first step the citizen reads is 待核实.
    expect(await citizen.getByTestId('status').textContent()).toBe('待核实');
    expect(await citizen.getByTestId('subject').textContent()).toBe('建设工程规划许可证核发');
    const statusUrl = citizen.url();
    expect(await citizen.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(citizen)).toEqual([]);
    const path = shot('other-ways-status-open-390');
    if (path) await citizen.screenshot({ path, fullPage: true });

    // The supervisor, at a desk: finds it among the 办不成事, classifies it 不好办, adds department B,
    // starts the coordination.
    const sup = await openStaff(s.w.supervisor.username, 1440);
    await sup.goto(`${s.t.url}/admin/cases?kind=cannot_handle`);
    await sup.getByRole('link', { name: caseNo }).click();
    await sup.getByTestId('case-report').waitFor();
    await move(sup, '分类处理', { choice: '不好办', note: '涉及规划、住建两个部门' });
    expect(await sup.getByTestId('case-handling').textContent()).toBe('不好办');
    await move(sup, '开始协调办理', { note: '约住建局联合审查，一次性出具意见' });
    await sup.getByLabel('增加协办部门').selectOption({ label: s.w.deptB.name });
    await sup.getByRole('button', { name: '增加', exact: true }).click();
    await expect.poll(() => sup.getByTestId('case-parts').textContent()).toContain('待记录');
    // No next step for the supervisor until department B has recorded its part, and the page says why.
    expect(await sup.getByTestId('no-moves').textContent()).toBe(`等待协办部门记录办理情况（${s.w.deptB.name}），之后才能记录办理结果。`);
    const supPath = shot('other-ways-coordinating-1440');
    if (supPath) await sup.screenshot({ path: supPath, fullPage: true });
    const caseUrl = sup.url();

    // Department B's head records its part from a phone.
    const headB = await openStaff(s.w.headB.username, 390);
    await headB.goto(caseUrl);
    await headB.getByLabel('本部门办理情况').fill('已出具住建部门意见，同意方案');
    await headB.getByRole('button', { name: '记录', exact: true }).click();
    await expect.poll(() => headB.getByTestId('case-parts').textContent()).toContain('已出具住建部门意见');
    expect(await headB.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Department A's head records the result (its own part), which the citizen sees.
    const headA = await openStaff(s.w.headA.username, 1440);
    await headA.goto(caseUrl);
    await move(headA, '记录办理结果', { note: '两部门联合审查已通过，许可证已核发，请到 B区 领取' });

    // The citizen sees the result on the same status link.
    await citizen.goto(statusUrl);
    await expect.poll(() => citizen.getByTestId('status').textContent()).toBe('已答复待评价');
    expect(await citizen.locator('main').textContent()).toContain('许可证已核发');

    // The supervisor calls back and closes it with the citizen's satisfaction.
    await sup.reload();
    await move(sup, '记录群众评价并办结', { choice: '满意', note: '群众表示问题已解决' });
    expect(await sup.locator('main').textContent()).toContain('案件已办结');
    const closed = await firstRow<{ status: string; handling: string; satisfaction: string; parts: number }>(
      s.t.db,
      sql`SELECT c.status, c.handling, c.satisfaction,
                 (SELECT count(*) FROM case_departments d WHERE d.case_id = c.id AND d.part_note IS NOT NULL) AS parts
          FROM cases c WHERE c.case_no = ${caseNo}`,
    );
    expect({ ...closed, parts: Number(closed!.parts) }).toEqual({
      status: 'closed',
      handling: 'hard',
      satisfaction: 'satisfied',
      parts: 1,
    });
    await citizen.goto(statusUrl);
    await expect.poll(() => citizen.getByTestId('status').textContent()).toBe('办结');
    expect(await citizen.locator('main').textContent()).toContain('回访满意度：满意');
    const donePath = shot('other-ways-status-closed-390');
    if (donePath) await citizen.screenshot({ path: donePath, fullPage: true });

    // An invited observer files a report from a phone and cannot see the 办不成事 case (nor any other).
    const made = await s.t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearerFor(s.t.app, s.w.admin),
      payload: { username: 'jiandu02', displayName: '李监督', password: TEST_PASSWORD, role: 'observer', orgUnitId: s.w.county.id },
    });
    expect(made.statusCode, made.body).toBe(201);
    const observerCtx = await phoneContext(s.browser);
    const observer = await observerCtx.newPage();
    await loginAs(observer, s.t.url, 'jiandu02');
    await observer.getByLabel('部门').selectOption(String(s.w.deptA.id));
    // The server's clock is T0 (2026-11-23); the phone's own today may be later.
    await observer.getByLabel('看到的日期').fill('2026-11-23');
    await observer.getByLabel('看到的情况').fill('窗口午休无人值守，未按承诺提供延时服务');
    await observer.getByRole('button', { name: '提交报告' }).click();
    await expect.poll(() => observer.getByTestId('observation-done').textContent()).toMatch(/JD20261123-\d{4}/);
    await observer.goto(caseUrl);
    await observer.getByText('页面不存在或无权访问').waitFor();
    expect(await observer.locator('main').textContent()).not.toContain(caseNo);
    const observerToken = bearerFor(
      s.t.app,
      (await firstRow<{ id: number; role: string }>(s.t.db, sql`SELECT id, role FROM users WHERE username = 'jiandu02'`))!,
    );
    const caseId = caseUrl.split('/').pop();
    expect((await s.t.app.inject({ url: `/api/cases/${caseId}`, headers: observerToken })).statusCode).toBe(403);
    expect((await s.t.app.inject({ url: '/api/cases', headers: observerToken })).statusCode).toBe(403);
    const mine = (await s.t.app.inject({ url: '/api/observations', headers: observerToken })).json();
    expect(JSON.stringify(mine)).not.toContain(caseNo);

    // The figures count it: one report, 不好办, closed and solved.
    const figures = await s.t.app.inject({ url: '/api/stats/cannot-handle', headers: bearerFor(s.t.app, s.w.supervisor) });
    expect(figures.json().total).toEqual({ reports: 1, closed: 1, solved: 1, solveRate: 1, cannot: 0, hard: 1, refused: 0 });
    expect((await s.t.services.stats.verifyRollups()).mismatches).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('20 paper questionnaires typed in count exactly in the department’s figures', async () => {
    await writeSql(s.t.db, sql`UPDATE codes SET created_at = ${Date.parse('2026-10-01T09:00:00+08:00')}`);
    const page = await openStaff(s.w.supervisor.username, 1440);
    await page.goto(`${s.t.url}/admin/paper`);
    await page.getByLabel('窗口（评议码）').selectOption(s.w.codeA.id);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('label')?.textContent ?? '')).toContain('评价等级');
    const scores = Array.from({ length: 20 }, (_, i) => (i === 4 ? 1 : [5, 4, 5, 3][i % 4]!));
    for (const score of scores) {
      await page.keyboard.press(String(score));
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
    }
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('paper-done').textContent()).toContain('20 条已录入（纸质问卷）');

    const stats = await s.t.app.inject({
      url: '/api/stats/departments?from=2026-11-01&to=2026-11-30',
      headers: bearerFor(s.t.app, s.w.headA),
    });
    const a = stats.json().departments.find((d: { id: number }) => d.id === s.w.deptA.id);
    const expected = { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 } as Record<number, number>;
    for (const sc of scores) expected[sc]! += 1;
    expect(a).toMatchObject({
      total: 20,
      goodCount: 20 - expected[1]! - expected[2]!,
      badCount: expected[1]! + expected[2]!,
      byScore: { '5': expected[5], '4': expected[4], '3': expected[3], '2': expected[2], '1': expected[1] },
    });
    expect((await s.t.services.stats.verifyRollups()).mismatches).toEqual([]);
  });
});
