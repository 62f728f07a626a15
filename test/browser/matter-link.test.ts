import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { T0 } from '../helpers/app.js';
import { axeViolations, phoneContext, useBrowserWorld } from '../helpers/browser.js';
import { makeMatter } from '../helpers/matters.js';

const s = useBrowserWorld();

const matterOf = () => makeMatter(s.t.db, { codeId: s.w.codeA.id, departmentId: s.w.deptA.id, taskName: '个体工商户设立登记' });
const ratingsOf = (matterId: number) =>
  rows<{ assess_number: number; score: number; superseded: number; channel: string }>(
    s.t.db,
    sql`SELECT assess_number, score, superseded, channel FROM ratings WHERE matter_id = ${matterId} ORDER BY id`,
  );
const mainText = async (page: Page) => (await page.getByRole('main').textContent()) ?? '';

describe('the page of a 办件 link (/e/{token}) in Debian chromium at 390×844', () => {
  it('rate 非常满意 → receipt offering the 追评; again → 追评 不满意 → case number; a third time → no form', async () => {
    const m = await matterOf();
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `${s.t.url}/e/${m.linkToken}`;

    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(s.w.deptA.name);
    expect(await mainText(page)).toContain(`您于 11月23日 在 ${s.w.deptA.name} 办理的「个体工商户设立登记」已办结，请评价`);
    expect(await mainText(page)).toContain(s.w.codeA.location);
    // No 经办人 on the page (makeMatter's 张敏).
    expect(await page.content()).not.toContain('张敏');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '非常满意', exact: true }).click();
    await page.getByTestId('result').waitFor();
    // The link's period ends 7 days after 办结: 2026-11-30 10:00 Beijing time.
    expect(await page.getByTestId('result').textContent()).toContain('如需追评，请于 2026-11-30 10:00 前再次打开本链接');
    expect(await ratingsOf(m.id)).toEqual([{ assess_number: 1, score: 5, superseded: 0, channel: 'link' }]);

    await page.goto(url);
    await expect.poll(() => mainText(page)).toContain('您已评价过，可在 2026-11-30 10:00 前追评一次');
    // The phone's receipt first, offering the 追评.
    expect(await mainText(page)).toContain('您已评价，感谢');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '追评一次' }).click();
    await page.getByRole('button', { name: '不满意', exact: true }).click();
    await page.getByRole('button', { name: '服务态度差' }).click();
    await page.getByRole('button', { name: '提交评价' }).click();
    const caseNo = page.getByTestId('case-no');
    await caseNo.waitFor();
    const [kase] = await rows<{ case_no: string }>(s.t.db, sql`SELECT case_no FROM cases`);
    expect(await caseNo.textContent()).toContain(kase!.case_no);
    expect(await page.getByTestId('result').textContent()).not.toContain('如需追评');
    expect(await ratingsOf(m.id)).toEqual([
      { assess_number: 1, score: 5, superseded: 1, channel: 'link' },
      { assess_number: 2, score: 2, superseded: 0, channel: 'link' },
    ]);

    await page.goto(url);
    await expect.poll(() => mainText(page)).toContain('您已评价并追评过');
    expect(await page.getByRole('button', { name: '非常满意', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    // The 追评's case is the receipt now.
    expect(await page.getByTestId('case-no').textContent()).toBe(kase!.case_no);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('with the network cut, the rating waits on the phone and arrives once when it returns', async () => {
    const m = await matterOf();
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    await page.goto(`${s.t.url}/e/${m.linkToken}`);
    await page.getByRole('button', { name: '满意', exact: true }).waitFor();
    await ctx.setOffline(true);
    await page.getByRole('button', { name: '满意', exact: true }).click();
    await expect.poll(() => mainText(page)).toContain('正在重试');
    expect(await page.evaluate(() => localStorage.getItem('mspy:pending'))).toContain(`e/${m.linkToken}`);
    expect(await ratingsOf(m.id)).toEqual([]);
    await ctx.setOffline(false);
    await page.getByTestId('result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('result').textContent()).toContain('如需追评');
    expect(await ratingsOf(m.id)).toEqual([{ assess_number: 1, score: 4, superseded: 0, channel: 'link' }]);
    expect(await page.evaluate(() => localStorage.getItem('mspy:pending'))).toBeNull();
  });

  it('when the answer is lost after the server stored the 追评, the resend is answered with it (no 409)', async () => {
    const m = await matterOf();
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const url = `${s.t.url}/e/${m.linkToken}`;
    await page.goto(url);
    await page.getByRole('button', { name: '满意', exact: true }).click();
    await page.getByTestId('result').waitFor();
    let dropped = 0;
    await page.route('**/api/e/*/ratings', async (route) => {
      if (dropped++ === 0) {
        await route.fetch(); // stored as the 追评…
        return route.abort('connectionreset'); // …but the phone never hears back
      }
      return route.continue();
    });
    await page.goto(url);
    await page.getByRole('button', { name: '追评一次' }).click();
    await page.getByRole('button', { name: '非常不满意', exact: true }).click();
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByTestId('case-no').waitFor({ timeout: 20_000 });
    expect(dropped).toBe(2);
    expect((await ratingsOf(m.id)).map((r) => r.assess_number)).toEqual([1, 2]);
  });

  it('opened before, the page opens again with no signal; once rated, the network’s page (the 追评) wins over the kept copy', async () => {
    const m = await matterOf();
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const url = `${s.t.url}/e/${m.linkToken}`;
    await page.goto(url);
    await expect.poll(() => mainText(page)).toContain('请评价');
    // The worker of /e/ takes the page over and keeps a copy of it.
    await expect
      .poll(
        () =>
          page.evaluate(
            async () =>
              navigator.serviceWorker.controller?.scriptURL.endsWith('/e/sw.js') === true &&
              (await caches.match(location.href)) !== undefined,
          ),
        { timeout: 15_000 },
      )
      .toBe(true);
    await ctx.setOffline(true);
    await page.goto(url);
    await expect.poll(() => mainText(page)).toContain('请评价');
    await page.getByRole('button', { name: '非常满意', exact: true }).click();
    await expect.poll(() => mainText(page)).toContain('正在重试');
    await ctx.setOffline(false);
    await page.getByTestId('result').waitFor({ timeout: 20_000 });
    expect(await ratingsOf(m.id)).toEqual([{ assess_number: 1, score: 5, superseded: 0, channel: 'link' }]);
    // Online, the page is the server's now (the 追评 offered), not the copy kept before the rating…
    await page.goto(url);
    await expect.poll(() => mainText(page)).toContain('追评一次');
    // …and that is the copy kept for the next time without signal.
    await ctx.setOffline(true);
    await page.goto(url);
    await expect.poll(() => mainText(page)).toContain('追评一次');
    await ctx.setOffline(false);
  });

  it('an unknown link is a 404 page and an expired one a 410 page offering the window code and 12345', async () => {
    const ctx = await phoneContext(s.browser);
    const page = await ctx.newPage();
    const unknown = await page.goto(`${s.t.url}/e/no-such-link-0000000000000000`);
    expect(unknown?.status()).toBe(404);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('评价链接无效');
    const m = await matterOf();
    s.t.clock.set(T0 + 8 * 86_400_000);
    const gone = await page.goto(`${s.t.url}/e/${m.linkToken}`);
    expect(gone?.status()).toBe(410);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('评价期限已过');
    const text = await mainText(page);
    expect(text).toContain('扫描窗口的评议码');
    expect(text).toContain('12345');
    expect(text).toContain(s.w.codeA.location);
    expect(await page.getByRole('button', { name: '非常满意', exact: true }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
