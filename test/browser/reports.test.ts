// 数据上报 in Debian chromium: the month's held records and why, the two downloads, at 390 and 1440 px.
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { addMonths, chinaMonth } from '../../shared/china-time.js';
import { writeSql } from '../helpers/app.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeRating } from '../helpers/factories.js';

const s = useBrowserWorld({ now: () => Date.now() - 60_000 });
// The page opens on last month (Beijing time).
const lastMonth = addMonths(chinaMonth(Date.now()), -1);

beforeEach(async () => {
  await writeSql(s.t.db, sql`UPDATE org_units SET area_code = '410102000000' WHERE id = ${s.w.county.id}`);
  await writeSql(s.t.db, sql`UPDATE departments SET credit_code = '11410000MB0000001A' WHERE id = ${s.w.deptA.id}`);
  const at = Date.parse(`${lastMonth}-15T10:00:00+08:00`);
  await makeRating(s.t.services, { codeId: s.w.codeA.id, score: 5, createdAt: at });
  for (let i = 0; i < 2; i++) await makeRating(s.t.services, { codeId: s.w.codeB.id, score: 4, createdAt: at + i });
});

describe('数据上报 page', () => {
  for (const width of [390, 1440]) {
    it(`shows the held records with the reason and downloads the JSON Lines (${width} px)`, async () => {
      const ctx = await s.browser.newContext({ locale: 'zh-CN', viewport: { width, height: 900 }, acceptDownloads: true });
      const page = await ctx.newPage();
      await loginAs(page, s.t.url, s.w.supervisor.username);
      await page.goto(`${s.t.url}/admin/reports`);
      await page.getByText('共 2 条记录暂缓上报').waitFor();
      await page.getByText('部门缺少统一社会信用代码：2 条').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: `/tmp/reports-${width}.png`, fullPage: true });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 JSON Lines' }).click()]);
      const body = await (await download.createReadStream()).toArray();
      const lines = Buffer.concat(body).toString('utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'rating', deptCode: '11410000MB0000001A', pf: '3' });
      expect(await axeViolations(page)).toEqual([]);
    });
  }
});
