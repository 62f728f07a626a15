// 待核查评价 in Debian chromium: a burst submitted through the real rating API is held; the figures say
// how many are held and link to the queue; a supervisor excludes ticked ratings and releases the rest of
// the burst with a reason, and the figures change; an admin reads the queue without deciding; a head
// sees the count without a link.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeRating } from '../helpers/factories.js';

// The pages default to "the last 30 days" by the browser's clock, so the data is made today.
const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
const BURST = 70;

let device = 0;
/** 70 ratings from one network (this test's loopback address), each from a new device: a burst. */
async function submitBurst(): Promise<void> {
  for (let i = 0; i < BURST; i++) {
    const res = await fetch(`${s.t.url}/api/codes/${s.w.codeA.id}/ratings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ score: 5, tags: ['办事高效'], clientId: `burst-device-${String(++device).padStart(6, '0')}` }),
    });
    expect(res.status).toBe(201);
  }
}

beforeEach(async () => {
  // Department A's honest ratings: 12, all counted.
  for (let i = 0; i < 12; i++) await makeRating(s.t.services, { codeId: s.w.codeA.id, score: i % 4 === 0 ? 2 : 4 });
  await submitBurst();
});

async function open(username: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const ctx = await s.browser.newContext({
    locale: 'zh-CN',
    viewport: { width, height: 900 },
    ...(width < 500 ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await loginAs(page, s.t.url, username);
  return { page, errors };
}

describe('待核查评价', () => {
  it('a supervisor sees the burst held, excludes two ratings, releases the rest with a reason, and the figures count them', async () => {
    const { page, errors } = await open(s.w.supervisor.username, 1440);
    const nav = page.getByRole('navigation', { name: '主导航' });

    // The county's figures: the burst counts nowhere, and the page says so with a link to the queue.
    await nav.getByRole('link', { name: '统计' }).click();
    await expect.poll(() => page.getByTestId('kpi-total-value').textContent()).toBe('12');
    const note = page.getByTestId('held-note');
    expect(await note.textContent()).toContain(`另有 ${BURST} 条评价暂扣待核查`);
    const ranking = page.getByTestId('ranking-table');
    expect(await ranking.locator('thead').textContent()).toContain('待核查');
    expect(
      await ranking
        .getByTestId(`rank-row-${s.w.deptA.id}`)
        .getByRole('link', { name: /70 条待核查/ })
        .count(),
    ).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // A department's page links to its part of the queue.
    await ranking.getByRole('link', { name: s.w.deptA.name }).click();
    await expect.poll(() => page.getByTestId('held-note').textContent()).toContain(`另有 ${BURST} 条`);
    await page.getByTestId('held-note').getByRole('link', { name: '去核查' }).click();
    await page.waitForURL(/\/admin\/held\?/);
    expect(new URL(page.url()).searchParams.get('departmentId')).toBe(String(s.w.deptA.id));
    await expect.poll(() => page.getByTestId('held-totals').textContent()).toBe(`${s.w.deptA.name}：共 ${BURST} 条待核查，1 批`);

    // Bursts first: one, by its rule in Chinese, with its network, its department and its count.
    await nav.getByRole('link', { name: '待核查评价' }).click();
    await expect.poll(() => page.getByTestId('held-totals').textContent()).toBe(`共 ${BURST} 条待核查，1 批`);
    const burst = page.locator('.burst');
    expect(await burst.count()).toBe(1);
    const text = (await burst.textContent()) ?? '';
    expect(text).toContain('同一网络');
    expect(text).toContain(s.w.deptA.name);
    expect(text).toContain(`待核查 ${BURST} 条`);

    // Its ratings, a page at a time; two of them ticked and excluded, with a reason.
    await burst.getByRole('button', { name: /查看评价/ }).click();
    const rows = burst.locator('table.held-ratings tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    expect(await rows.first().textContent()).toContain('非常满意');
    expect(await axeViolations(page)).toEqual([]);
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await burst.getByRole('button', { name: '排除所选' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').textContent()).toBe('排除 2 条评价');
    // No reason, no decision: the form does not go.
    await dialog.getByRole('button', { name: '确认排除 2 条' }).click();
    expect(await dialog.isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await dialog.getByLabel(/裁决理由/).fill('同一设备重复提交');
    await dialog.getByRole('button', { name: '确认排除 2 条' }).click();
    await expect.poll(() => page.getByTestId('decision-message').textContent()).toBe('已排除 2 条评价，不计入任何统计。');
    await expect.poll(() => page.getByTestId('held-totals').textContent()).toBe(`共 ${BURST - 2} 条待核查，1 批`);

    // The rest of the burst at once: 计入 asks for a reason and says how many.
    await burst.getByRole('button', { name: /^计入\s*这一批/ }).click();
    expect(await dialog.getByRole('heading').textContent()).toBe(`计入 ${BURST - 2} 条评价`);
    await dialog.getByLabel(/裁决理由/).fill('核实为大厅开放日现场集中评价');
    await dialog.getByRole('button', { name: `确认计入 ${BURST - 2} 条` }).click();
    await expect.poll(() => page.getByTestId('decision-message').textContent()).toBe(`已计入 ${BURST - 2} 条评价，从现在起计入各项统计。`);
    await expect.poll(() => page.getByTestId('held-totals').textContent()).toBe('共 0 条待核查，0 批');
    expect(await page.locator('.burst').count()).toBe(0);

    // The figures now count them, and say nothing is held.
    await nav.getByRole('link', { name: '统计' }).click();
    await expect.poll(() => page.getByTestId('kpi-total-value').textContent()).toBe(String(12 + BURST - 2));
    expect(await page.getByTestId('held-note').count()).toBe(0);
    expect(await page.getByTestId('ranking-table').locator('thead').textContent()).not.toContain('待核查');

    // The ratings behind the figure tell each one's decision.
    await page.getByTestId('kpi-total').getByRole('link').click();
    const released = page.getByTestId('ratings-table').locator('tbody tr').first();
    await expect.poll(() => released.textContent()).toContain('已核实计入');
    expect(await released.textContent()).toContain('核实为大厅开放日现场集中评价');
    expect(await released.textContent()).toContain('同一网络');
    expect(errors).toEqual([]);
  });

  it('an admin reads the queue on a phone without the decision buttons; the server refuses an admin’s decision', async () => {
    const { page, errors } = await open(s.w.admin.username, 390);
    await page.goto(`${s.t.url}/admin/dashboard`);
    await expect.poll(() => page.getByTestId('held-note').textContent()).toContain(`另有 ${BURST} 条评价暂扣待核查`);
    await page.getByTestId('held-note').getByRole('link', { name: '去核查' }).click();
    await page.getByRole('heading', { name: '待核查评价' }).waitFor();
    await expect.poll(() => page.getByTestId('held-totals').textContent()).toBe(`共 ${BURST} 条待核查，1 批`);
    expect(await page.locator('body').textContent()).toContain('计入或排除由督查裁决');
    // The list view (the dashboard's link): every rating, no checkboxes, no decision buttons.
    await expect.poll(() => page.locator('table.held-ratings tbody tr').count()).toBe(50);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /计入|排除/ }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // The bursts: open one, still nothing to decide with.
    await page.getByRole('link', { name: '按批次' }).click();
    await page
      .locator('.burst')
      .getByRole('button', { name: /查看评价/ })
      .click();
    await expect.poll(() => page.locator('.burst table.held-ratings tbody tr').count()).toBe(20);
    expect(await page.getByRole('button', { name: /计入|排除/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/ratings/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${localStorage.getItem('mspy.token')}` },
        body: JSON.stringify({ filter: {}, decision: 'release', reason: '管理员试图放行' }),
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect(errors).toEqual([]);
  });

  it('a head sees how many of their ratings are held, without a link to a queue they cannot open', async () => {
    const { page, errors } = await open(s.w.headA.username, 390);
    await page.goto(`${s.t.url}/admin/dashboard`);
    const note = page.getByTestId('held-note');
    await expect.poll(() => note.textContent()).toContain(`另有 ${BURST} 条评价暂扣待核查`);
    expect(await note.textContent()).toContain('由督查核查后决定是否计入');
    expect(await note.getByRole('link').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '待核查评价' }).count()).toBe(0);
    // The windows table marks the window's held ratings, without a link either.
    const windows = page.getByTestId('windows-table');
    await expect.poll(() => windows.locator('thead').textContent()).toContain('待核查');
    expect(await windows.locator('tbody tr').first().textContent()).toContain(String(BURST));
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
