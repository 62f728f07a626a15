// The citizen's status page, the lookup by case number and the dead-code page in Debian chromium at
// 390×844 (#12, items 1, 3, 5): who issues the page, what was rated, the notes staff are told are
// 群众可见 and none they are told are internal; no 404 for the icon or the manifest; axe clean.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { makeCode, makeRating } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

const s = useBrowserWorld();
const AUTHORITY = '示例县政务服务和大数据管理局';
const PHONE = '13912345678';

/** Every response of 400 or more the page asked for (the icon, the manifest…), and every page error. */
function watch(page: Page): { failed: string[]; errors: string[] } {
  const out = { failed: [] as string[], errors: [] as string[] };
  page.on('response', (r) => {
    // The page's own answer may be a 404/410 by design; anything else it asks for must be found.
    if (r.status() >= 400 && r.request().resourceType() !== 'document') out.failed.push(`${r.status()} ${r.url()}`);
  });
  // Requests cut short by the test's next navigation (net::ERR_ABORTED) are no answer of the server's.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') out.failed.push(`failed ${r.url()}`);
  });
  page.on('pageerror', (e) => out.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') out.errors.push(m.text());
  });
  return out;
}

async function api(method: string, url: string, user: { id: number; role: string }, payload: object) {
  const res = await s.t.app.inject({ method: method as 'POST', url, headers: bearerFor(s.t.app, user), payload });
  expect(res.statusCode, res.body).toBe(200);
}

/**
 * The icon and the manifest the page links to, fetched as the browser would (headless chromium asks
 * for neither by itself; an installing or tab-showing browser does).
 */
async function linkedStatuses(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    Promise.all(
      ['icon', 'manifest'].map(async (rel) => (await fetch(document.querySelector<HTMLLinkElement>(`link[rel=${rel}]`)!.href)).status),
    ),
  );
}

describe('the citizen status pages in chromium at 390×844', () => {
  it('the status page shows department, window, what was rated, the deadlines, and only the notes staff are told are 群众可见', async () => {
    await api('PATCH', `/api/settings?orgUnitId=${s.w.county.id}`, s.w.admin, {
      citizen: { authority: AUTHORITY, hotline: '12345 政务服务便民热线' },
    });
    const { case: kase } = await makeRating(s.t.services, {
      codeId: s.w.codeA.id,
      score: 1,
      phone: PHONE,
      tags: ['服务态度差', '办事效率低/等候时间长'],
      comment: '窗口人员态度冷淡，请回电 13812345678',
    });
    // Staff write on the case through the API: an internal visit note, then the 整改措施 (群众可见).
    await api('POST', `/api/cases/${kase!.id}/transitions`, s.w.supervisor, {
      to: 'visited',
      classification: 'valid',
      note: '内部：当事人王五已约谈',
    });
    await api('POST', `/api/cases/${kase!.id}/assign`, s.w.supervisor, { officerId: s.w.headA.id });
    await api('POST', `/api/cases/${kase!.id}/transitions`, s.w.headA, { to: 'rectifying', note: '内部整改安排：调岗' });
    await api('POST', `/api/cases/${kase!.id}/transitions`, s.w.headA, { to: 'rectified', note: '已增设取号引导员，缩短等候时间' });
    // What staff are told of each note.
    const staff = (await s.t.app.inject({ url: `/api/cases/${kase!.id}`, headers: bearerFor(s.t.app, s.w.supervisor) })).json();
    const told = (type: string) => staff.events.find((e: { type: string }) => e.type === type);
    expect(told('rectified')).toMatchObject({ notePublic: true });
    expect(told('visited')).toMatchObject({ public: true, notePublic: false });

    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const seen = watch(page);
    await page.goto(`${s.t.url}/s/${kase!.statusToken}`);
    const main = page.getByRole('main');
    await expect.poll(() => main.textContent()).toContain(kase!.caseNo);
    expect(await page.getByRole('banner').textContent()).toContain(AUTHORITY);
    expect(await page.title()).toBe(`处理进度 · ${kase!.caseNo} · ${s.w.deptA.name} — ${AUTHORITY}`);
    expect(await page.getByTestId('department').textContent()).toBe(s.w.deptA.name);
    expect(await page.getByTestId('location').textContent()).toBe(s.w.codeA.location);
    expect(await page.getByTestId('level').textContent()).toBe('非常不满意');
    expect(await page.getByTestId('reasons').textContent()).toBe('服务态度差、办事效率低/等候时间长');
    expect(await page.getByTestId('comment').textContent()).toBe('窗口人员态度冷淡，请回电 138****5678');
    expect(await page.getByTestId('contact-due').textContent()).toBe(`${kase!.contactDueDate} 前`);
    expect(await page.getByTestId('due').textContent()).toBe(`${kase!.dueDate} 前`);
    const text = (await main.textContent()) ?? '';
    expect(text).toContain(told('rectified').note);
    for (const inside of [
      told('visited').note,
      told('rectifying').note,
      s.w.supervisor.displayName,
      s.w.headA.displayName,
      PHONE,
      '139****5678',
    ]) {
      expect(text).not.toContain(inside);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(true);
    expect(await linkedStatuses(page)).toEqual([200, 200]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/citizen-status-390.png', fullPage: true });
    expect(seen).toEqual({ failed: [], errors: [] });

    // The staff case page says the same: which note the citizen sees, which stays inside.
    const staffPage = await ctx.newPage();
    await loginAs(staffPage, s.t.url, s.w.supervisor.username);
    await staffPage.goto(`${s.t.url}/admin/cases/${kase!.id}`);
    const item = (type: string) => staffPage.getByTestId('timeline').locator(`li[data-type=${type}]`);
    await expect.poll(() => item('rectified').textContent()).toContain(`群众可见的说明：${told('rectified').note}`);
    expect(await item('visited').textContent()).toContain(`内部说明（群众看不到）：${told('visited').note}`);
    expect(await item('visited').textContent()).toContain('群众进度页显示：“已回访核实”');
    await staffPage.screenshot({ path: 'test-results/staff-timeline-390.png', fullPage: true });
    await ctx.close();
  });

  it('a lost link is found again by case number and the last 4 digits; wrong digits say so in Chinese', async () => {
    const { case: kase } = await makeRating(s.t.services, { codeId: s.w.codeA.id, score: 2, phone: PHONE });
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const seen = watch(page);
    await page.goto(`${s.t.url}/s/`);
    await page.getByRole('heading', { name: '查询处理进度' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('码上评议');
    expect(await axeViolations(page)).toEqual([]);
    // Missing digits: said at the field, before anything is sent.
    await page.getByLabel('受理编号').fill(kase!.caseNo.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('后四位');
    expect(await page.getByLabel('手机号后四位').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('手机号后四位').fill('0000');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('未找到匹配的案件');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/citizen-lookup-390.png', fullPage: true });
    await page.getByLabel('手机号后四位').fill(PHONE.slice(-4));
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(`**/s/${kase!.statusToken}`);
    await expect.poll(() => page.getByRole('main').textContent()).toContain(kase!.caseNo);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1)).toBe(true);
    // The one expected failure: the wrong digits' 404 from the lookup API.
    expect(seen.failed).toEqual([expect.stringMatching(/^404 .*\/api\/cases\/lookup$/)]);
    expect(seen.errors.filter((e) => !e.includes('404'))).toEqual([]);
    await ctx.close();
  });

  it('a disabled code names the authority and offers the hotline, keeping its 410; the rating page asks for nothing missing', async () => {
    await api('PATCH', `/api/settings?orgUnitId=${s.w.county.id}`, s.w.admin, {
      citizen: { authority: AUTHORITY, hotline: '12345 政务服务便民热线' },
    });
    const off = await makeCode(s.t.db, { departmentId: s.w.deptA.id, active: false });
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const seen = watch(page);
    const res = await page.goto(`${s.t.url}/r/${off.id}`);
    expect(res?.status()).toBe(410);
    await expect.poll(() => page.getByRole('main').textContent()).toContain('该评议码已停用');
    expect(await page.getByRole('banner').textContent()).toContain(AUTHORITY);
    const hotline = page.getByRole('link', { name: '12345 政务服务便民热线' });
    expect(await hotline.getAttribute('href')).toBe('tel:12345');
    expect(await linkedStatuses(page)).toEqual([200, 200]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/citizen-missing-390.png', fullPage: true });

    // The rating page (/r/) and a 办件 link's page (/e/) ask for nothing the server does not have.
    await page.goto(`${s.t.url}/r/${s.w.codeA.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(s.w.deptA.name);
    expect(await page.getByRole('banner').textContent()).toContain(AUTHORITY);
    expect(await page.title()).toBe(`评价 · ${s.w.deptA.name} · ${s.w.codeA.location} — ${AUTHORITY}`);
    expect(await linkedStatuses(page)).toEqual([200, 200]);
    const m = await makeMatter(s.t.db, { codeId: s.w.codeA.id, departmentId: s.w.deptA.id });
    await page.goto(`${s.t.url}/e/${m.linkToken}`);
    await expect.poll(() => page.getByRole('main').textContent()).toContain(m.taskName);
    expect(await page.getByRole('banner').textContent()).toContain(AUTHORITY);
    expect(await linkedStatuses(page)).toEqual([200, 200]);
    expect(seen).toEqual({ failed: [], errors: [expect.stringContaining('410')] });
    await ctx.close();
  });
});
