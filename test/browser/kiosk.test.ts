// The 评价器 page (/k/{token}) in Debian chromium on a landscape 10-inch tablet (1280×800): idle without
// rating controls → a 办件 finished at the window (a row written to the database) → its rating screen →
// one tap → thanks → stored bound to the 办件 with channel kiosk → idle again.
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { SCORE_LABELS, SCORES } from '../../shared/domain.js';
import { bearerFor } from '../helpers/app.js';
import { axeViolations, loginAs, useBrowserWorld } from '../helpers/browser.js';
import { makeMatter } from '../helpers/matters.js';
import { decodeSvg } from '../helpers/qr-decode.js';

const s = useBrowserWorld();

const tablet = (browser: Browser) =>
  browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true, locale: 'zh-CN', deviceScaleFactor: 1 });

/** Provisions a kiosk for window A; answers its id and its page's path (the address without PUBLIC_BASE_URL). */
async function provision(): Promise<{ id: number; path: string }> {
  const res = await s.t.app.inject({ method: 'POST', url: `/api/codes/${s.w.codeA.id}/kiosk`, headers: bearerFor(s.t.app, s.w.admin) });
  expect(res.statusCode).toBe(201);
  return { id: res.json().id, path: new URL(res.json().url).pathname };
}

const finish = (taskName = '食品经营许可') => makeMatter(s.t.db, { codeId: s.w.codeA.id, departmentId: s.w.deptA.id, taskName });
const ratingOf = (matterId: number) =>
  firstRow<{ channel: string; score: number; assess_number: number }>(
    s.t.db,
    sql`SELECT channel, score, assess_number FROM ratings WHERE matter_id = ${matterId}`,
  );
/** Waits until a stream of the kiosk at `path` is told of this 办件 (read as a tablet reads it). */
async function toldOf(path: string, projectNo: string): Promise<void> {
  const ctrl = new AbortController();
  const res = await fetch(`${s.t.url}/api${path}/events`, { signal: ctrl.signal });
  let seen = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    seen += Buffer.from(chunk).toString('utf8');
    if (seen.includes(`"projectNo":"${projectNo}"`)) break;
  }
  ctrl.abort();
}
const ratingCount = async () => (await firstRow<{ n: number }>(s.t.db, sql`SELECT count(*) AS n FROM ratings`))!.n;

describe('the 评价器 page in Debian chromium at 1280×800', () => {
  it('idle (no rating controls) → a 办件 finished at the window → its rating screen → 满意 → thanks → stored (kiosk) → idle', async () => {
    const k = await provision();
    const ctx = await tablet(s.browser);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A short idle timeout for the test only (`?idle=`; the page's default is 30 s).
    const res = await page.goto(`${s.t.url}${k.path}?idle=3`);
    expect(res?.status()).toBe(200);
    const idle = page.getByTestId('idle');
    await expect.poll(() => idle.textContent()).toContain(s.w.codeA.location);
    expect(await idle.textContent()).toContain('办理完成后请在此评价');
    expect(await idle.textContent()).toContain(s.w.deptA.name);
    expect(await page.getByRole('button').count()).toBe(0);
    await expect.poll(() => page.getByRole('status').textContent()).toBe('已连接');

    const m = await finish();
    const rate = page.getByTestId('rate');
    await rate.waitFor({ timeout: 20_000 });
    expect(await rate.getByRole('heading', { level: 1 }).textContent()).toBe('食品经营许可');
    expect(await rate.textContent()).toContain('请您对本次服务进行评价');
    // The five levels in their national wording and order, drawn (no emoji).
    expect(await page.locator('.level').allTextContents()).toEqual(SCORES.map((score) => SCORE_LABELS[score]));
    expect(await page.locator('.level svg').count()).toBe(5);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: '满意', exact: true }).tap();
    // The tap is the rating: reasons are offered for a few seconds, then it is sent by itself.
    await page.getByTestId('reasons').waitFor();
    const thanks = page.getByTestId('thanks');
    await thanks.waitFor({ timeout: 20_000 });
    expect(await thanks.textContent()).toContain('感谢您的评价');
    await expect.poll(() => ratingOf(m.id), { timeout: 20_000 }).toEqual({ channel: 'kiosk', score: 4, assess_number: 1 });
    await expect.poll(() => thanks.textContent()).toContain('评价已提交');
    // Left alone, the tablet is ready for the next person.
    await idle.waitFor({ timeout: 20_000 });
    expect(await ratingCount()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a rating screen left untouched returns to idle and leaves the 办件 unrated; a reload does not bring it back', async () => {
    const k = await provision();
    const ctx = await tablet(s.browser);
    const page = await ctx.newPage();
    await page.goto(`${s.t.url}${k.path}?idle=3`);
    await page.getByTestId('idle').waitFor();
    const first = await finish();
    await page.getByTestId('rate').waitFor({ timeout: 20_000 });
    await page.getByTestId('idle').waitFor({ timeout: 20_000 });
    // From the reload on, every heading the page shows is noted.
    await ctx.addInitScript(() => {
      const shown: string[] = [];
      (window as unknown as { shown: string[] }).shown = shown;
      new MutationObserver(() => {
        for (const h of document.querySelectorAll('h1')) if (h.textContent && !shown.includes(h.textContent)) shown.push(h.textContent);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.reload();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('已连接');
    // The stream tells the reloaded page of the same 办件 again: once a stream opened after the page's
    // has been told (every poll tells every connected tablet), the page has been told too.
    await toldOf(k.path, first.projectNo);
    // It has shown that 办件 once already: only the next one is shown.
    await finish('第二件');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 20_000 }).toBe('第二件');
    expect(await page.evaluate(() => (window as unknown as { shown: string[] }).shown)).toEqual([s.w.codeA.location, '第二件']);
    expect(await ratingCount()).toBe(0);
  });

  it('a 差评 made with the network down is kept on the tablet and stored exactly once when it returns, with its case number', async () => {
    const k = await provision();
    const ctx = await tablet(s.browser);
    const page = await ctx.newPage();
    await page.goto(`${s.t.url}${k.path}`);
    await page.getByTestId('idle').waitFor();
    const m = await finish();
    await page.getByTestId('rate').waitFor({ timeout: 20_000 });
    await ctx.setOffline(true);
    await page.getByRole('button', { name: '不满意', exact: true }).tap();
    await page.getByRole('button', { name: '服务态度差' }).tap();
    await page.getByRole('button', { name: '提交评价' }).tap();
    await expect.poll(() => page.getByTestId('thanks').textContent(), { timeout: 20_000 }).toContain('网络恢复后自动提交');
    expect(await page.evaluate(() => localStorage.getItem('mspy:kiosk:outbox'))).toContain(m.projectNo);
    expect(await ratingCount()).toBe(0);
    await ctx.setOffline(false);
    const followUp = page.getByTestId('follow-up');
    await followUp.waitFor({ timeout: 30_000 });
    const kase = (await firstRow<{ case_no: string }>(s.t.db, sql`SELECT case_no FROM cases`))!;
    expect(await followUp.textContent()).toContain(kase.case_no);
    const stored = await firstRow<{ score: number; tags: string; channel: string }>(s.t.db, sql`SELECT score, tags, channel FROM ratings`);
    expect(stored).toEqual({ score: 2, tags: '["服务态度差"]', channel: 'kiosk' });
    expect(await ratingCount()).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('mspy:kiosk:outbox'))).toBeNull();
  });

  it('revoked: the open page says so at once and stops; the address then answers 401 and says so too', async () => {
    const k = await provision();
    const ctx = await tablet(s.browser);
    const page = await ctx.newPage();
    await page.goto(`${s.t.url}${k.path}`);
    await expect.poll(() => page.getByRole('status').textContent()).toBe('已连接');
    const revoked = await s.t.app.inject({ method: 'DELETE', url: `/api/kiosks/${k.id}`, headers: bearerFor(s.t.app, s.w.admin) });
    expect(revoked.statusCode).toBe(204);
    const stopped = page.getByTestId('stopped');
    await stopped.waitFor({ timeout: 20_000 });
    expect(await stopped.textContent()).toContain('此评价器已停用');
    const again = await page.reload();
    expect(again?.status()).toBe(401);
    await expect.poll(() => page.getByTestId('stopped').textContent()).toContain('此评价器已停用');
  });

  it('staff: an admin provisions a window’s tablet from the codes page (address and QR once), sees it connect, and revokes it', async () => {
    const staff = await s.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await staff.newPage();
    page.on('dialog', (d) => void d.accept());
    await loginAs(page, s.t.url, s.w.admin.username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '评议码', exact: true }).click();
    await page.locator('a', { hasText: `评价器（${s.w.codeA.id}）` }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`评价器 · ${s.w.codeA.location}`);
    await expect.poll(() => page.getByText('尚未开通评价器').count()).toBe(1);
    await page.getByRole('button', { name: '开通新的评价器' }).click();
    const url = (await page.locator('.kiosk-url').textContent())!;
    expect(url).toMatch(/^http:\/\/test\.local\/k\/[A-Za-z0-9_-]{32}$/);
    // The QR shown carries exactly that address.
    const src = (await page.getByRole('img', { name: '评价器地址的二维码' }).getAttribute('src'))!;
    expect(decodeSvg(decodeURIComponent(src.replace(/^data:image\/svg\+xml;charset=utf-8,/, '')))).toBe(url);
    await expect.poll(() => page.locator('table.kiosks tbody tr').textContent()).toContain('尚未连接');
    expect(await axeViolations(page)).toEqual([]);

    // The tablet opens the address and connects; the list then shows it online.
    const tabletPage = await (await tablet(s.browser)).newPage();
    await tabletPage.goto(`${s.t.url}${new URL(url).pathname}`);
    await expect.poll(() => tabletPage.getByRole('status').textContent()).toBe('已连接');
    await expect
      .poll(async () => (await firstRow<{ t: number | null }>(s.t.db, sql`SELECT last_seen_at AS t FROM kiosks`))!.t)
      .not.toBeNull();
    await page.reload();
    await expect.poll(() => page.locator('table.kiosks tbody tr').textContent()).toContain('在线');

    await page.getByRole('button', { name: /^撤销/ }).click();
    await expect.poll(() => page.locator('table.kiosks tbody tr').textContent()).toContain('已撤销');
    await tabletPage.getByTestId('stopped').waitFor({ timeout: 20_000 });
  });
});
