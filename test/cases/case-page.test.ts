// The staff case pages in Debian chromium: the supervisor's queue, the case page driven by
// allowedMoves, the timeline, and the audited phone reveal. Needs the built client (npm run build).
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { badCase } from './helpers.js';

const s = useBrowserWorld();

const login = (page: Page, username: string) => loginAs(page, s.t.url, username);

const timelineTypes = (page: Page) =>
  page
    .getByTestId('timeline')
    .locator('li')
    .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')));

describe('the case page in chromium', () => {
  it('a supervisor takes a new 差评 from the queue to 办结, every step on the timeline', async () => {
    const { kase } = await badCase(s.t, s.w, { comment: '等了<b>两个小时</b>' });
    const page = await (await s.browser.newContext({ locale: 'zh-CN' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, s.w.supervisor.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '案件', exact: true }).click();
    await page.getByRole('link', { name: kase.caseNo }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('待回访');
    expect(await axeViolations(page)).toEqual([]);
    // The comment is text, not markup; the number is masked until revealed (and the reveal audited).
    expect(await page.locator('.comment').textContent()).toBe('等了<b>两个小时</b>');
    expect(await page.getByTestId('phone').textContent()).toBe('139****5678');
    await page.getByRole('button', { name: '查看完整号码' }).click();
    await expect.poll(() => page.getByTestId('phone').textContent()).toBe('13912345678');
    expect((await firstRow<{ n: number }>(s.t.db, sql`SELECT count(*) AS n FROM audit_log WHERE action = 'case.phone_view'`))!.n).toBe(1);

    await page.getByRole('radio', { name: '有效差评' }).check();
    await page.getByLabel('回访情况').fill('已电话联系群众，情况属实');
    await page.getByRole('button', { name: '记录回访' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('已回访核实');
    await page.getByRole('button', { name: '开始整改' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('整改中');
    await page.getByLabel('整改措施').fill('增设取号引导员');
    await page.getByRole('button', { name: '提交整改措施' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('已整改待反馈');
    await page.getByRole('radio', { name: '满意', exact: true }).check();
    await page.getByRole('button', { name: '记录反馈' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('已反馈');
    await page.getByRole('button', { name: '办结' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('办结');
    expect(await timelineTypes(page)).toEqual(['opened', 'visited', 'rectifying', 'rectified', 'answered', 'closed']);
    expect((await firstRow<{ status: string }>(s.t.db, sql`SELECT status FROM cases WHERE id = ${kase.id}`))!.status).toBe('closed');
    expect(errors).toEqual([]);
  });

  it("a head's 待整改 list, an anonymous visit and an appeal", async () => {
    const { kase } = await badCase(s.t, s.w, { anonymous: true });
    const page = await (await s.browser.newContext({ locale: 'zh-CN' })).newPage();
    await login(page, s.w.headA.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待整改' }).click();
    await page.getByRole('link', { name: kase.caseNo }).click();
    expect(await page.getByRole('button', { name: '查看完整号码' }).count()).toBe(0);
    await page.getByRole('radio', { name: '误评' }).check();
    await page.getByRole('button', { name: '记录回访' }).click();
    // The anonymous visit needs the internal verification: the form refuses to send without it.
    const note = page.getByLabel('内部核实情况');
    expect(await note.evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    expect(await page.getByTestId('case-status').textContent()).toBe('待回访');
    await note.fill('监控显示评价时段该窗口无人办理业务');
    await page.getByRole('button', { name: '记录回访' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('已回访核实');
    await page.getByLabel('申诉理由').fill('误评');
    await page.getByRole('button', { name: '提出申诉' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('申诉复核中');
    expect(await page.getByRole('button', { name: '批准申诉' }).count()).toBe(0);
    const tl = await page.getByTestId('timeline').textContent();
    expect(tl).toContain('匿名，无法回访');
  });

  it('the queue, spot-check and webhook pages pass axe', async () => {
    await badCase(s.t, s.w);
    const page = await (await s.browser.newContext({ locale: 'zh-CN' })).newPage();
    await login(page, s.w.supervisor.username);
    for (const [path, heading] of [
      ['/cases', '案件'],
      ['/spot-checks', '好评抽查'],
    ]) {
      await page.goto(`${s.t.url}/admin${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByRole('table').first().waitFor();
      expect(await axeViolations(page), path).toEqual([]);
    }
    await page.getByRole('button', { name: '抽取' }).click();
    await page.getByRole('status').first().waitFor();
    const admin = await (await s.browser.newContext({ locale: 'zh-CN' })).newPage();
    await login(admin, s.w.admin.username);
    await admin.goto(`${s.t.url}/admin/webhooks`);
    await admin.getByRole('heading', { level: 1, name: '消息推送' }).waitFor();
    expect(await axeViolations(admin)).toEqual([]);
  });
});
