// 评价可信度 in Debian chromium: a supervisor's page shows each window's signals with the numbers behind
// them (window against department), says they are leads and not verdicts, and links a window to its
// ratings; a department head has no such page.
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { ratings } from '../../db/schema.js';
import { addDays, chinaDay } from '../../shared/china-time.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeCode } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

// The page defaults to "the last 30 days" by the browser's clock.
const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
let seq = 0;

async function store(code: { id: string; departmentId: number }, n: number, day: string, score: number, tags: string[] = []) {
  const at = Math.min(Date.parse(`${day}T09:00:00+08:00`), s.t.clock.now() - 3600_000);
  const rows = Array.from({ length: n }, () => ({
    codeId: code.id,
    departmentId: code.departmentId,
    score,
    tags,
    createdAt: at + ++seq,
    day,
    clientHash: `browser-device-${seq}`,
  }));
  await s.t.db.transaction(async (tx) => {
    await tx.insert(ratings).values(rows);
  });
}

beforeEach(async () => {
  const now = s.t.clock.now();
  const today = chinaDay(now);
  const twentyDaysAgo = addDays(today, -20);
  const a2 = await makeCode(s.t.db, { departmentId: s.w.deptA.id, location: '县政务服务中心 A区 2号窗口' });
  // Window A: 30 bare 5★ lately (its department's other window gives reasons), after 5 差评 before.
  await store(s.w.codeA, 30, today, 5);
  await store(s.w.codeA, 5, twentyDaysAgo, 1, ['服务态度差']);
  await store(a2, 30, today, 5, ['态度热情']);
  await store(a2, 5, twentyDaysAgo, 4, ['办事高效']);
  await store(a2, 1, twentyDaysAgo, 2, ['服务态度差']);
  // Window B: one phone rates 5 办件 through their links, each 10 s after its 办结.
  for (let i = 0; i < 5; i++) {
    const m = await makeMatter(s.t.db, { codeId: s.w.codeB.id, departmentId: s.w.deptB.id, finishedAt: now - 3 * 3600_000 + i * 600_000 });
    s.t.clock.set(m.finishedAt! + 10_000);
    const res = await s.t.app.inject({
      method: 'POST',
      url: `/api/e/${m.linkToken}/ratings`,
      payload: { score: 5, tags: [], clientId: 'staff-phone-browser', idempotencyKey: `browser-credibility-${i}` },
      remoteAddress: '10.4.4.4',
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  await s.t.services.ratings.flush();
  s.t.clock.set(now);
  // The rows stored directly get their rollups as `npm run recount` gives them (差评骤失 reads counted ratings).
  expect((await s.t.services.stats.rebuildRollups()).ok).toBe(true);
});

const login = (page: Page, username: string) => loginAs(page, s.t.url, username);

describe('评价可信度 page', () => {
  for (const viewport of [
    { width: 390, height: 844, isMobile: true },
    { width: 1440, height: 900, isMobile: false },
  ]) {
    it(`at ${viewport.width} px: the windows with signals come first, each with its numbers, and lead to their ratings`, async () => {
      const page = await (
        await s.browser.newContext({
          locale: 'zh-CN',
          viewport: { width: viewport.width, height: viewport.height },
          isMobile: viewport.isMobile,
        })
      ).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await login(page, s.w.supervisor.username);
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '可信度' }).click();
      const leads = page.getByTestId('lead');
      await expect.poll(() => leads.count()).toBe(2);
      expect(await page.getByTestId('credibility-lead').textContent()).toContain('线索，不是结论');
      expect(await page.getByTestId('credibility-summary').textContent()).toContain('3 个窗口有评价，其中 2 个有线索');

      // Window A: two signals, first; its numbers against its department's.
      const a = leads.nth(0);
      expect(await a.locator('h2').textContent()).toContain(s.w.codeA.location);
      expect(await a.getByTestId('signal-bareFive').textContent()).toContain('无理由五星占群众评价 85.7%（30 / 35），本部门 42.3%');
      expect(await a.getByTestId('signal-vanishingBad').textContent()).toContain('群众评价 30 条、差评 0');
      expect(await a.getByTestId('signal-vanishingBad').textContent()).toContain('差评 5 / 5 条（100.0%），本部门 54.5%');
      const b = leads.nth(1);
      expect(await b.locator('h2').textContent()).toContain(s.w.codeB.location);
      expect(await b.getByTestId('signal-quickRatings').textContent()).toContain(
        '1 台设备各在办结后 60 秒内评价了本窗口 5 件以上办件，共 5 条',
      );

      const rows = page.getByTestId('credibility-row');
      expect(await rows.count()).toBe(3);
      expect(await rows.nth(0).textContent()).toContain('无理由五星偏高');
      expect(await rows.nth(0).textContent()).toContain('差评骤失');
      expect(await rows.nth(2).textContent()).toContain('县政务服务中心 A区 2号窗口');
      expect(await axeViolations(page)).toEqual([]);
      // The page never widens past the screen: the table scrolls inside its box.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      if (process.env.SCREENSHOT_DIR)
        await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/credibility-${viewport.width}.png`, fullPage: true });

      // A window's ratings: every stored one of the period, its own only.
      await a.getByRole('link', { name: /查看本窗口的 35 条评价/ }).click();
      await expect.poll(() => page.getByTestId('ratings-table').locator('tbody tr').count()).toBe(35);
      expect(await page.locator('main, body').first().textContent()).toContain(`评议码 ${s.w.codeA.id}`);
      expect(errors).toEqual([]);
    });
  }

  it('is not offered to a department head', async () => {
    const page = await (await s.browser.newContext({ locale: 'zh-CN' })).newPage();
    await login(page, s.w.headA.username);
    expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '可信度' }).count()).toBe(0);
  });
});
