// `npm run report -- --reconcile` (#13 item 4) as a real child process (`node --import tsx server/cli/report.ts`)
// against a database the test filled through the app and a REAL receiver: the per-day table, the summary,
// the exit codes (0 balanced or only today in flight, 1 a day unbalanced and why, 2 bad arguments), --json.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { addDays, chinaDay } from '../../shared/china-time.js';
import { driverUnderTest, freshDatabase, makeTestApp, type TestApp, writeSql } from '../helpers/app.js';
import { makeRating, makeWorld, type World } from '../helpers/factories.js';
import { type ReportReceiver, startReportReceiver } from '../helpers/report-receiver.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'province-shared-secret-0123456789';
const APP_ID = 'county-339821';
const HOUR = 3600_000;

let receiver: ReportReceiver;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let t: TestApp | undefined;
let w: World;

beforeEach(async () => {
  receiver = await startReportReceiver({ key: SECRET, appId: APP_ID });
  fresh = await freshDatabase();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
  await receiver.close();
  await fresh.drop();
});

const REPORT_ENV = () => ({ REPORT_URL: receiver.url, REPORT_APP_ID: APP_ID, REPORT_SECRET: SECRET, REPORT_DEAD_AFTER_HOURS: '1' });

/** The app on the test's database, its clock at `now`, with reporting on and deptA's codes filled in. */
async function start(now: number) {
  t = await makeTestApp({ db: fresh.db, now, env: REPORT_ENV() });
  w = await makeWorld(t.db);
  await writeSql(t.db, sql`UPDATE departments SET credit_code = '11410000MB0000001A' WHERE id = ${w.deptA.id}`);
  await writeSql(t.db, sql`UPDATE org_units SET area_code = '410102000000' WHERE id = ${w.county.id}`);
}

/** Closes the app (the CLI then has the database to itself, as an operator's run would). */
async function stop() {
  await t!.close();
  t = undefined;
}

/** The command, as a process of its own, against the test's database. */
function report(args: string[], env: Record<string, string> = REPORT_ENV()): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/report.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      JWT_SECRET: 'x'.repeat(40),
      DATA_KEY: '0'.repeat(64),
      ...(driverUnderTest === 'pg' ? { DATABASE_URL: fresh.url } : { DB_FILE: fresh.url }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
  });
}

/** Beijing 10:00 of a day. */
const at = (day: string) => Date.parse(`${day}T10:00:00+08:00`);

/**
 * Two days before today (Beijing): the first balanced (2 ratings, both acknowledged); on the second one
 * rating is acknowledged, one is a dead letter (failing past REPORT_DEAD_AFTER_HOURS), one was stored
 * with no outbox record (as before reporting was switched on).
 */
async function twoDays(): Promise<{ good: string; bad: string }> {
  const today = chinaDay(Date.now());
  const good = addDays(today, -3);
  const bad = addDays(today, -2);
  await start(at(good));
  const deliver = () => t!.services.reportDelivery!.deliverDue();
  await makeRating(t!.services, { codeId: w.codeA.id, score: 5 });
  await makeRating(t!.services, { codeId: w.codeA.id, score: 4 });
  expect(await deliver()).toMatchObject({ acked: 2 });
  t!.clock.set(at(bad));
  await makeRating(t!.services, { codeId: w.codeA.id, score: 5 });
  expect(await deliver()).toMatchObject({ acked: 1 });
  const dying = await makeRating(t!.services, { codeId: w.codeA.id, score: 3, tags: ['等候时间长'] });
  const unqueued = await makeRating(t!.services, { codeId: w.codeA.id, score: 4 });
  await writeSql(t!.db, sql`DELETE FROM report_outbox WHERE rating_id = ${unqueued.rating.id}`);
  receiver.mode = 'fail';
  expect(await deliver()).toMatchObject({ failed: 1 });
  t!.clock.set(at(bad) + HOUR + 60_000);
  expect(await deliver()).toMatchObject({ failed: 1 });
  expect(await rows(t!.db, sql`SELECT state FROM report_outbox WHERE rating_id = ${dying.rating.id}`)).toEqual([{ state: 'dead' }]);
  await stop();
  return { good, bad };
}

// Each run starts node with tsx (1–2 s, several times that on a busy machine): a roomier timeout than the default.
describe('npm run report -- --reconcile', { timeout: 90_000 }, () => {
  it('a balanced period: the per-day table, a summary line, exit 0', async () => {
    const { good } = await twoDays();
    const run = await report(['--reconcile', '--from', good, '--to', good]);
    expect(run.err).toBe('');
    expect(run.code, run.out).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`上报对账 / report reconciliation ${good} — ${good}（北京时间 / Beijing time）`);
    expect(lines[1]!.split(/\s+/)).toEqual(['日期', '存储评价', '应上报', '已确认', '待推送', '暂缓', '死信', '未入队', '是否平衡']);
    expect(lines[2]!.split(/\s+/)).toEqual([good, '2', '2', '2', '0', '0', '0', '0', '是']);
    // Aligned: each figure ends under its heading's end (a CJK character takes two columns).
    const cols = (s: string) => [...s].reduce((n, ch) => n + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
    expect(cols(lines[2]!.slice(0, lines[2]!.indexOf('是')))).toBe(cols(lines[1]!.slice(0, lines[1]!.indexOf('是否平衡'))));
    expect(lines.at(-1)).toBe('1 天全部平衡 / all 1 day(s) balanced: OK');
  });

  it('an unbalanced day: exit 1, naming the day and why (a dead letter, a record never queued)', async () => {
    const { good, bad } = await twoDays();
    const run = await report(['--reconcile', `--from=${good}`, `--to=${bad}`]);
    expect(run.code, run.out).toBe(1);
    const lines = run.out.trimEnd().split('\n');
    expect(lines[2]!.split(/\s+/)).toEqual([bad, '3', '3', '1', '0', '0', '1', '1', '否']);
    expect(lines[3]!.split(/\s+/)).toEqual([good, '2', '2', '2', '0', '0', '0', '0', '是']);
    expect(run.out).toContain('2 天中 1 天不平衡 / 1 of 2 day(s) unbalanced:');
    expect(run.out).toContain(`  ${bad}：1 条死信，1 条未入队`);
    expect(run.out).toContain('死信在「数据上报」页重发');

    // The default period (the last 31 days) holds both days: the same verdict.
    const byDefault = await report(['--reconcile']);
    expect(byDefault.code).toBe(1);
    expect(byDefault.out).toContain(`  ${bad}：1 条死信，1 条未入队`);
  });

  it('--json: the same rows with the English field names, and the verdict', async () => {
    const { good, bad } = await twoDays();
    const run = await report(['--reconcile', '--from', good, '--to', bad, '--json']);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.out);
    expect(json).toMatchObject({ enabled: true, from: good, to: bad, ok: false, inFlight: null });
    expect(json.days).toEqual([
      { day: bad, stored: 3, reportable: 3, acked: 1, pending: 0, waiting: 0, dead: 1, notQueued: 1, balanced: false },
      { day: good, stored: 2, reportable: 2, acked: 2, pending: 0, waiting: 0, dead: 0, notQueued: 0, balanced: true },
    ]);
    expect(json.unbalanced).toEqual([{ day: bad, why: '1 条死信，1 条未入队' }]);
  });

  it('only today still in flight (records pending, none dead or missing): exit 0, and today is said', async () => {
    const now = Date.now();
    await start(now - 2 * 86_400_000);
    await makeRating(t!.services, { codeId: w.codeA.id, score: 5 });
    await t!.services.reportDelivery!.deliverDue();
    t!.clock.set(now);
    await makeRating(t!.services, { codeId: w.codeA.id, score: 5 });
    await makeRating(t!.services, { codeId: w.codeA.id, score: 4 });
    await stop();
    const run = await report(['--reconcile']);
    const today = chinaDay(now);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(new RegExp(`^${today}\\s+2\\s+2\\s+0\\s+2\\s+0\\s+0\\s+0\\s+否（今天，推送中）$`, 'm'));
    expect(run.out.trimEnd().split('\n').at(-1)).toBe(
      `其余 1 天平衡；今天（${today}）2 条待推送，仍在推送中 / balanced but today, still in flight: OK`,
    );
  });

  it('today with a dead letter is not excused: exit 1', async () => {
    const now = Date.now();
    await start(now - 2 * HOUR);
    receiver.mode = 'fail';
    await makeRating(t!.services, { codeId: w.codeA.id, score: 5 });
    await t!.services.reportDelivery!.deliverDue();
    t!.clock.set(now);
    await t!.services.reportDelivery!.deliverDue();
    await stop();
    const run = await report(['--reconcile', '--json']);
    expect(run.code, run.out).toBe(1);
    // (2 hours before now may be yesterday in Beijing: the stored day is the rating's.)
    expect(JSON.parse(run.out).unbalanced).toEqual([{ day: chinaDay(now - 2 * HOUR), why: '1 条死信' }]);
  });

  it('without REPORT_URL in its environment it says so, and still reads the outbox as stored', async () => {
    const { good } = await twoDays();
    const run = await report(['--reconcile', '--from', good, '--to', good], {});
    expect(run.code).toBe(0);
    expect(run.out).toContain('未配置 REPORT_URL');
  });

  it('bad arguments: usage and exit 2, nothing read', async () => {
    await start(Date.now());
    await stop();
    for (const args of [
      [],
      ['--frobnicate'],
      ['--reconcile', '--frobnicate'],
      ['--reconcile', '--from'],
      ['--reconcile', '--to=2026-02-30'],
      ['--reconcile', '--json=yes'],
      ['--reconcile', '--from', '2024-01-01', '--to', '2026-01-01'],
    ]) {
      const run = await report(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.out, args.join(' ')).toBe('');
      expect(run.err, args.join(' ')).toContain('用法 / usage: npm run report -- --reconcile');
    }
    expect((await report(['--reconcile', '--from', '2026-11-22', '--to', '2026-11-21'])).err).toContain('起始日期不能晚于结束日期');
  }, 120_000);
});
