// 其他渠道 in Debian chromium: a 办不成事 a citizen reports through the public API (and a complaint, a
// suggestion) shows on the staff page's figures at 1440 px and at 390 px, where nothing scrolls
// sideways; its department row opens the case list filtered to that kind and department, its 事项 row
// the cases of that 事项. A
// department head sees their own department only. The public page shows the department's count.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, staffPage, useBrowserWorld } from '../helpers/browser.js';

// The page's period is "the last 30 days" by the browser's clock: the data is made today.
const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
const shots = process.env.SCREENSHOT_DIR;

async function reportCannotHandle(code: string, ip: string) {
  const res = await s.t.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    payload: { code, subject: '不动产登记', description: '材料齐全但窗口说系统不支持，让我下周再来' },
    remoteAddress: ip,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().caseNo as string;
}

const open = (width: number, username: string) => staffPage(s, width, username);

const sideways = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - innerWidth);

describe('其他渠道', () => {
  it('shows a 办不成事 reported through the public API, at 1440 px and at 390 px without scrolling sideways', async () => {
    const caseNo = await reportCannotHandle(s.w.codeA.id, '10.3.3.1');
    await reportCannotHandle(s.w.codeB.id, '10.3.3.2');
    const suggestion = await s.t.app.inject({
      method: 'POST',
      url: '/api/public/suggestions',
      payload: { code: s.w.codeA.id, category: '流程优化', title: '增加自助查询机', content: '建议增设自助查询机', submitterType: '企业' },
      remoteAddress: '10.3.3.3',
    });
    expect(suggestion.statusCode).toBe(201);

    for (const width of [1440, 390]) {
      const { page, errors } = await open(width, s.w.supervisor.username);
      if (width === 1440) await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '其他渠道' }).click();
      else await page.goto(`${s.t.url}/admin/channels`);
      await page.getByRole('heading', { name: '其他渠道', level: 1 }).waitFor();
      const tiles = page.getByTestId('cannot-handle-tiles');
      await expect.poll(() => tiles.textContent()).toMatch(/反映件数\s*2/);
      const rows = page.getByTestId('cannot-handle-department');
      expect(await rows.count()).toBe(2);
      const rowA = rows.filter({ hasText: s.w.deptA.name });
      expect((await rowA.textContent()) ?? '').toMatch(/1.*0.*0.*—/);
      expect(await page.getByTestId('cannot-handle-subjects').textContent()).toContain('不动产登记');
      await expect.poll(() => page.getByTestId('suggestion-tiles').textContent()).toMatch(/收到建议\s*1/);
      await page.getByTestId('complaint-channels').waitFor();
      await page.getByRole('heading', { name: '监督报告' }).waitFor();
      expect(await sideways(page), `at ${width}`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      if (shots) {
        await page.screenshot({ path: `${shots}/channels-${width}.png`, fullPage: true });
        // A phone's long page in slices a person can read.
        const height = await page.evaluate(() => document.scrollingElement!.scrollHeight);
        for (let y = 0; width < 768 && y < height; y += 1200) {
          const clip = { x: 0, y, width, height: Math.min(1200, height - y) };
          await page.screenshot({ path: `${shots}/channels-${width}-${y / 1200}.png`, fullPage: true, clip });
        }
      }
      if (width === 1440) {
        // The department's row opens its 办不成事 in the case list.
        await rowA.getByRole('link', { name: s.w.deptA.name }).click();
        await page.getByRole('heading', { name: '案件', level: 1 }).waitFor();
        expect(new URL(page.url()).searchParams.get('kind')).toBe('cannot_handle');
        await expect.poll(() => page.locator('main').textContent()).toContain(caseNo);
        expect(await page.getByLabel('类型').inputValue()).toBe('cannot_handle');
        expect(await page.getByLabel('部门').inputValue()).toBe(String(s.w.deptA.id));
        // A 事项 row opens the cases reporting that 事项 (in that department), the filter named on the page.
        await page.goBack();
        const subjectRow = page.getByTestId('cannot-handle-subjects').locator('tr', { hasText: s.w.deptA.name });
        await subjectRow.getByRole('link', { name: '不动产登记' }).click();
        await page.getByRole('heading', { name: '案件', level: 1 }).waitFor();
        expect(new URL(page.url()).searchParams.get('subject')).toBe('不动产登记');
        await expect.poll(() => page.locator('main').textContent()).toContain('事项：不动产登记');
        // The filter is named from the address at once; the list comes with its answer.
        await expect.poll(() => page.locator('main').textContent()).toContain(caseNo);
      }
      expect(errors).toEqual([]);
    }
  });

  it('a department head sees their own department only; the public page shows the count', async () => {
    await reportCannotHandle(s.w.codeA.id, '10.3.4.1');
    await reportCannotHandle(s.w.codeB.id, '10.3.4.2');
    const { page } = await open(390, s.w.headB.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '其他渠道' }).click();
    const rows = page.getByTestId('cannot-handle-department');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.textContent()).toContain(s.w.deptB.name);

    const pub = await (await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await pub.goto(`${s.t.url}/public`);
    const table = pub.getByTestId('public-rankings');
    await expect.poll(() => table.textContent()).toContain(s.w.deptA.name);
    expect(await table.locator('tr', { hasText: s.w.deptA.name }).textContent()).toContain('已解决 0 / 1');
    expect(await sideways(pub)).toBeLessThanOrEqual(0);
    if (shots) await pub.screenshot({ path: `${shots}/public-channels-390.png`, fullPage: true });
  });
});
