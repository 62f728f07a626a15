// 数据上报 › 上报运行情况 in Debian chromium (#13 item 4): an administrator reads what the delivery to a REAL
// receiver (test/helpers/report-receiver.ts) did — backlog, posts per day, the receiver's errors, a record
// waiting for a code, a dead letter — resends the dead letter, and reconciles; at 390 and 1440 px.
// The dead letter is made by the delivery itself: the app runs on a manual clock, moved past
// REPORT_DEAD_AFTER_HOURS while the receiver fails; the browser's clock is fixed to the app's.
import { sql } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { writeSql } from '../helpers/app.js';
import { axeViolations, hasChromium, launchBrowser, loginAs, startServer } from '../helpers/browser.js';
import { makeRating, makeWorld, type World } from '../helpers/factories.js';
import { type ReportReceiver, startReportReceiver } from '../helpers/report-receiver.js';

const SECRET = 'province-shared-secret-0123456789';
const APP_ID = 'county-339821';
/** Morning of one Beijing day: everything below happens on it. */
const START = Date.parse('2026-11-23T09:00:00+08:00');
const HOUR = 3600_000;
/** When the administrator looks (the app's clock and the browser's). */
const NOW = START + 3 * HOUR + 5 * 60_000;
const SHOTS = process.env.SCREENSHOT_DIR;

let browser: Browser;
let receiver: ReportReceiver | undefined;
let t: Awaited<ReturnType<typeof startServer>> | undefined;
let w: World;

beforeAll(async () => {
  if (!hasChromium) throw new Error('Debian chromium is required for browser tests (.ci/run installs it)');
  browser = await launchBrowser();
});
afterAll(() => browser?.close());
afterEach(async () => {
  await Promise.all(browser.contexts().map((c) => c.close()));
  await t?.close();
  await receiver?.close();
  t = undefined;
  receiver = undefined;
});

/** The app with reporting on (or off), the standard world, deptA and its county with their codes. */
async function start(reporting: boolean) {
  // The signature's timestamp is the wall clock's (the receiver's 5-minute window), not the app's manual one.
  receiver = await startReportReceiver({ key: SECRET, appId: APP_ID });
  const env: Record<string, string> = reporting
    ? { REPORT_URL: receiver.url, REPORT_APP_ID: APP_ID, REPORT_SECRET: SECRET, REPORT_DEAD_AFTER_HOURS: '1', REPORT_TIMEOUT_MS: '2000' }
    : {};
  t = await startServer({ env, now: START });
  w = await makeWorld(t.db);
  await writeSql(t.db, sql`UPDATE departments SET credit_code = '11410000MB0000001A' WHERE id = ${w.deptA.id}`);
  await writeSql(t.db, sql`UPDATE org_units SET area_code = '410102000000' WHERE id = ${w.county.id}`);
}

/**
 * 09:00 two ratings are acknowledged and one of deptB (no credit code) waits; the receiver then fails:
 * a third rating fails from 09:00 on (dead at 10:01), a fourth, stored at 09:00, first fails at 10:01
 * (still pending at 12:05, 3 hours after it was stored).
 */
async function runDelivery(): Promise<{ dead: number; pending: number; waiting: number }> {
  const app = t!;
  const deliver = () => app.services.reportDelivery!.deliverDue();
  await makeRating(app.services, { codeId: w.codeA.id, score: 5 });
  await makeRating(app.services, { codeId: w.codeA.id, score: 4 });
  const waiting = (await makeRating(app.services, { codeId: w.codeB.id, score: 5 })).rating.id;
  expect(await deliver()).toMatchObject({ acked: 2, failed: 0 });
  receiver!.mode = 'fail';
  const dead = (await makeRating(app.services, { codeId: w.codeA.id, score: 3, tags: ['等候时间长'] })).rating.id;
  expect(await deliver()).toMatchObject({ acked: 0, failed: 1 });
  const pending = (await makeRating(app.services, { codeId: w.codeA.id, score: 5 })).rating.id;
  app.clock.set(START + HOUR + 60_000);
  expect(await deliver()).toMatchObject({ failed: 2 });
  app.clock.set(NOW);
  const states = await outboxStates();
  expect(states.get(dead)).toBe('dead');
  expect(states.get(pending)).toBe('pending');
  expect(states.get(waiting)).toBe('waiting');
  return { dead, pending, waiting };
}

async function outboxStates(): Promise<Map<number, string>> {
  const list = await rows<{ ratingId: number; state: string }>(
    t!.db,
    sql`SELECT rating_id AS "ratingId", state FROM report_outbox WHERE kind = 'rating'`,
  );
  return new Map(list.map((r) => [Number(r.ratingId), r.state]));
}

async function openAs(width: number, username: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  // The page's "waited for" and the reconciliation's default period are the browser's clock: the app's.
  await page.clock.setFixedTime(NOW);
  await loginAs(page, t!.url, username);
  return page;
}

/** A table row's cells as read (each th/td's text, spaces trimmed). */
const cells = async (row: Locator) => (await row.locator('th, td').allTextContents()).map((c) => c.trim());

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('数据上报 › 上报运行情况 (administrator)', () => {
  for (const width of [390, 1440]) {
    it(`shows the backlog, posts per day, the receiver's errors, the waiting record and the dead letter; 重发 requeues it (${width} px)`, async () => {
      await start(true);
      const { dead, pending, waiting: waitingId } = await runDelivery();
      const page = await openAs(width, w.admin.username);
      await page.goto(`${t!.url}/admin/reports`);

      const outbox = page.getByRole('region', { name: '上报运行情况' });
      await outbox.getByText('最早一条已等待 3 小时').waitFor();
      const tile = (key: string) => outbox.getByTestId(`backlog-${key}`).textContent();
      expect(await tile('pending')).toMatch(/^待推送1/);
      expect(await tile('waiting')).toMatch(/^暂缓1/);
      expect(await tile('dead')).toMatch(/^死信1/);
      expect(await tile('acked')).toMatch(/^已确认2/);
      expect(await tile('dropped')).toMatch(/^不上报0/);
      expect(await outbox.getByTestId('last-post').textContent()).toMatch(/2026-11-23 10:01\s*失败\s*HTTP 500/);
      const receiverLine = await outbox.locator('.receiver').textContent();
      expect(receiverLine).toContain(receiver!.url);
      expect(receiverLine).toContain(APP_ID);
      expect(receiverLine).toContain('HMAC-SHA256');
      expect(receiverLine).toContain('死信时限 1 小时');

      // One day of posts: one acknowledged (2 records), two failed (1, then 2 records).
      const days = outbox.getByTestId('post-day');
      expect(await days.count()).toBe(1);
      expect(await cells(days.first())).toEqual(['2026-11-23', '3', '5', '2', '3']);
      const errors = outbox.getByTestId('receiver-error');
      expect(await errors.count()).toBe(2);
      // The answer without the "HTTP 500：" its status column says.
      expect(await cells(errors.first())).toEqual([
        '2026-11-23 10:01',
        '2',
        'HTTP 500',
        '{"code":500,"message":"receiver failing (test mode)"}',
      ]);
      expect(await cells(errors.last())).toEqual([
        '2026-11-23 09:00',
        '1',
        'HTTP 500',
        '{"code":500,"message":"receiver failing (test mode)"}',
      ]);

      // The record waiting for deptB's credit code, and where that code is filled in.
      expect(await outbox.getByRole('list', { name: '暂缓原因' }).textContent()).toContain('部门缺少统一社会信用代码：1 条');
      const waiting = outbox.getByTestId('waiting-record');
      expect(await waiting.count()).toBe(1);
      expect((await cells(waiting)).slice(0, 2)).toEqual([`rating-${waitingId}`, w.deptB.name]);
      expect(await waiting.getByRole('link', { name: '到「部门」填写信用代码' }).getAttribute('href')).toBe('/admin/departments');

      const letters = outbox.getByTestId('dead-letter');
      expect(await letters.count()).toBe(1);
      expect(await cells(letters)).toEqual([
        `rating-${dead}`,
        w.deptA.name,
        '2026-11-23',
        '2',
        'HTTP 500：{"code":500,"message":"receiver failing (test mode)"}',
        '2026-11-23 09:00',
        '重发',
      ]);

      // The reconciliation of the last 31 days: today is not balanced (1 dead, 1 pending, 1 waiting).
      const day = outbox.getByTestId('reconcile-day');
      await day.first().waitFor();
      expect(await day.count()).toBe(1);
      expect(await cells(day)).toEqual(['2026-11-23', '5', '5', '2', '1', '1', '1', '0', '不平衡 1 条待推送，1 条暂缓，1 条死信']);
      expect(await outbox.getByTestId('reconcile-summary').textContent()).toContain('1 天中 1 天不平衡');

      expect(await fitsWidth(page)).toBe(true);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/report-operator-${width}.png`, fullPage: true });
      expect(await axeViolations(page)).toEqual([]);

      // 重发, confirmed: the dead letter is pending again and leaves the list.
      let asked = '';
      page.once('dialog', (d) => {
        asked = d.message();
        void d.accept();
      });
      await letters.getByRole('button', { name: `重发 rating-${dead}` }).click();
      await expect.poll(() => outbox.getByTestId('resend-outcome').textContent()).toContain('已重新排入 1 条');
      expect(asked).toContain(`rating-${dead}`);
      expect((await outboxStates()).get(dead)).toBe('pending');
      expect((await outboxStates()).get(pending)).toBe('pending');
      await page.reload();
      await outbox.getByText('没有死信。').waitFor();
      expect(await outbox.getByTestId('dead-letter').count()).toBe(0);
      expect(await tile('pending')).toMatch(/^待推送2/);
    });
  }

  it('全部重发 asks first: dismissed, nothing changes; accepted, every dead letter is pending again', async () => {
    await start(true);
    const { dead } = await runDelivery();
    const page = await openAs(1440, w.admin.username);
    await page.goto(`${t!.url}/admin/reports`);
    const outbox = page.getByRole('region', { name: '上报运行情况' });
    page.once('dialog', (d) => void d.dismiss());
    await outbox.getByRole('button', { name: '全部重发' }).click();
    expect((await outboxStates()).get(dead)).toBe('dead');
    expect(await outbox.getByTestId('dead-letter').count()).toBe(1);
    page.once('dialog', (d) => void d.accept());
    await outbox.getByRole('button', { name: '全部重发' }).click();
    await expect.poll(() => outbox.getByTestId('resend-outcome').textContent()).toContain('已重新排入 1 条');
    await outbox.getByText('没有死信。').waitFor();
    expect((await outboxStates()).get(dead)).toBe('pending');
  });

  it('对账 over a chosen period; a period that ends before it starts is refused with the reason', async () => {
    await start(true);
    await runDelivery();
    const page = await openAs(1440, w.admin.username);
    await page.goto(`${t!.url}/admin/reports`);
    const reconcile = page.getByRole('region', { name: '对账', exact: true });
    await reconcile.getByTestId('reconcile-day').first().waitFor();
    await reconcile.getByLabel('开始日期').fill('2026-11-24');
    await reconcile.getByLabel('结束日期').fill('2026-11-25');
    await reconcile.getByRole('button', { name: '对账' }).click();
    await expect.poll(() => reconcile.getByTestId('reconcile-summary').textContent()).toBe('2026-11-24 至 2026-11-25：没有评价。');
    expect(await reconcile.getByTestId('reconcile-day').count()).toBe(0);
    await reconcile.getByLabel('开始日期').fill('2026-11-26');
    await reconcile.getByRole('button', { name: '对账' }).click();
    await expect.poll(() => reconcile.getByRole('alert').textContent()).toBe('起始日期不能晚于结束日期');
    // The reason alone: not the previous period's figures under it.
    expect(await reconcile.getByTestId('reconcile-summary').count()).toBe(0);
  });
});

describe('数据上报 without REPORT_URL, and for a supervisor', () => {
  it('an administrator is told reporting is not configured, and sees nothing else of the operator view', async () => {
    await start(false);
    await makeRating(t!.services, { codeId: w.codeA.id, score: 5 });
    const page = await openAs(390, w.admin.username);
    await page.goto(`${t!.url}/admin/reports`);
    const note = page.getByTestId('report-off');
    await note.waitFor();
    expect(await note.textContent()).toContain('未配置省级上报地址 REPORT_URL：记录不推送，可按月导出文件上传');
    const outbox = page.getByRole('region', { name: '上报运行情况' });
    expect(await outbox.getByText('待推送').count()).toBe(0);
    expect(await page.getByRole('region', { name: '对账', exact: true }).count()).toBe(0);
    // The monthly export is still there.
    await page.getByRole('button', { name: '下载 JSON Lines' }).waitFor();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/report-operator-off-390.png`, fullPage: true });
  });

  it('a supervisor sees the page as before and never asks for the operator routes', async () => {
    await start(true);
    await runDelivery();
    const page = await openAs(1440, w.supervisor.username);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${t!.url}/admin/reports`);
    await page.getByRole('heading', { name: '按月导出' }).waitFor();
    await page.getByRole('button', { name: '下载 JSON Lines' }).waitFor();
    await expect.poll(() => asked.some((p) => p === '/api/reports/held')).toBe(true);
    expect(await page.getByRole('region', { name: '上报运行情况' }).count()).toBe(0);
    expect(asked.filter((p) => p.startsWith('/api/reports/outbox') || p.startsWith('/api/reports/reconcile'))).toEqual([]);
  });
});
