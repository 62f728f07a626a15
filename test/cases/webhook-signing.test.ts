// DingTalk custom robots with 加签: the webhook keeps a secret (SEC…, encrypted with DATA_KEY, never
// shown again) and every attempt carries `timestamp` and `sign` in its URL. The receiver is a real HTTP
// server on 127.0.0.1 that checks the signature as DingTalk does: the HMAC recomputed from the URL's
// timestamp, which must be within an hour of its own clock (the test's clock), else HTTP 200 with
// errcode 310000.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { buildApp } from '../../server/app.js';
import { manualClock } from '../../server/lib/clock.js';
import { createLogger } from '../../server/lib/logger.js';
import { MAX_ATTEMPTS, RETRY_BACKOFF_MS } from '../../server/modules/notifications/notifications.service.js';
import { createServices } from '../../server/services.js';
import { bearerFor, freshDatabase, T0, type TestApp, testConfig, writeSql } from '../helpers/app.js';
import { makeWorld, useTestWorld } from '../helpers/factories.js';
import { badCase } from './helpers.js';

const SECRET = 'SEC4f2b9d0c6e1a8b7f3c5d2e9a0b1c4d7e6f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d';
const OTHER_SECRET = 'SEC0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const HOUR = 3600_000;

interface Robot {
  /** The address DingTalk gives: …/robot/send?access_token=… */
  url: string;
  requests: { path: string; query: URLSearchParams; body: unknown; accepted: boolean }[];
  server: Server;
}

/**
 * A DingTalk robot. With `secret`, it checks 加签 as DingTalk does (`now`: its clock); `script`: HTTP
 * statuses to answer first, before any check (a 500 is an outage).
 */
async function robot(secret: string | null, now: () => number, script: number[] = []): Promise<Robot> {
  const r: Robot = { url: '', requests: [], server: undefined as unknown as Server };
  r.server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://robot');
      const status = script.shift() ?? 200;
      let accepted = status === 200;
      if (accepted && secret !== null) {
        const timestamp = u.searchParams.get('timestamp') ?? '';
        const sign = u.searchParams.get('sign');
        const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
        accepted = /^\d{13}$/.test(timestamp) && Math.abs(now() - Number(timestamp)) <= HOUR && sign === expected;
      }
      r.requests.push({ path: u.pathname, query: u.searchParams, body: JSON.parse(raw), accepted });
      const answer = accepted
        ? { errcode: 0, errmsg: 'ok' }
        : { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? answer : { error: 'boom' }));
    });
  });
  await new Promise<void>((ok) => r.server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/robot/send?access_token=0123456789abcdef`;
  return r;
}

const servers: Server[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (servers.length) {
    const s = servers.pop()!;
    await new Promise<void>((ok) => s.close(() => ok()));
  }
  for (const close of closers.splice(0).reverse()) await close();
});

const deliveries = (t: TestApp) =>
  rows<{ status: string; attempts: number; last_error: string | null; next_attempt_at: number | null }>(
    t.db,
    sql`SELECT status, attempts, last_error, next_attempt_at FROM notification_deliveries ORDER BY id`,
  );

function api(t: TestApp, user: { id: number; role: string }) {
  const headers = bearerFor(t.app, user);
  return {
    create: (payload: object) => t.app.inject({ method: 'POST', url: '/api/webhooks', headers, payload }),
    patch: (id: number, payload: object) => t.app.inject({ method: 'PATCH', url: `/api/webhooks/${id}`, headers, payload }),
    list: () => t.app.inject({ url: '/api/webhooks', headers }),
    deliveries: (id: number) => t.app.inject({ url: `/api/webhooks/${id}/deliveries`, headers }),
  };
}

describe('DingTalk 加签 delivery (a real receiver that checks the signature)', () => {
  // The receivers listen on 127.0.0.1, which a webhook may only reach with WEBHOOK_ALLOW_PRIVATE=true.
  const { t, w } = useTestWorld({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });

  it('signs every attempt afresh: a retry two hours later carries a new timestamp and is accepted', async () => {
    const r = await robot(SECRET, () => t.clock.now(), [500]);
    servers.push(r.server);
    // Pasted with a line break, as copying from DingTalk's page may leave one.
    const res = await api(t, w.admin).create({
      name: '钉钉督查群',
      kind: 'dingtalk',
      url: r.url,
      events: ['bad_rating'],
      secret: ` ${SECRET}\n`,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'dingtalk', url: r.url, signed: true });

    const { kase } = await badCase(t, w);
    const first = t.clock.now();
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 1, retrying: 1 });
    // Much later than the first wait: a timestamp made at queueing or at the first attempt is now stale.
    t.clock.advance(2 * HOUR);
    expect(await t.services.notifications.deliverDue()).toEqual({ attempted: 1, delivered: 1, retrying: 0, failed: 0 });
    expect((await deliveries(t))[0]).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });

    expect(r.requests.map((q) => [q.query.get('timestamp'), q.accepted])).toEqual([
      [String(first), false],
      [String(first + 2 * HOUR), true],
    ]);
    const last = r.requests[1]!;
    expect(last.path).toBe('/robot/send');
    expect([...last.query.keys()]).toEqual(['access_token', 'timestamp', 'sign']);
    expect(last.query.get('access_token')).toBe('0123456789abcdef');
    // The clock and secret are fixed: these signatures hold a '+', which arrives only if URL-encoded.
    expect(r.requests.some((q) => q.query.get('sign')!.includes('+'))).toBe(true);
    expect(last.body).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining(kase.caseNo) } });
  });

  it('a wrong stored secret: the robot answers errcode 310000, the delivery is retried and finally failed with that error', async () => {
    const r = await robot(SECRET, () => t.clock.now());
    servers.push(r.server);
    const id = (
      await api(t, w.admin).create({ name: '群', kind: 'dingtalk', url: r.url, events: ['bad_rating'], secret: OTHER_SECRET })
    ).json().id as number;
    await badCase(t, w);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await t.services.notifications.deliverDue();
      t.clock.advance(RETRY_BACKOFF_MS[Math.min(i, RETRY_BACKOFF_MS.length - 1)]);
    }
    const [d] = await deliveries(t);
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null });
    expect(d!.last_error).toMatch(/^钉钉加签校验未通过.*errcode 310000: sign not match/);
    expect(r.requests).toHaveLength(MAX_ATTEMPTS);
    expect(r.requests.every((q) => !q.accepted && q.query.get('sign'))).toBe(true);
    // The staff page shows the same error.
    expect((await api(t, w.admin).deliveries(id)).json().deliveries[0]).toMatchObject({ status: 'failed', lastError: d!.last_error });

    // The right secret, put in: the next notice is accepted.
    expect((await api(t, w.admin).patch(id, { secret: SECRET })).json()).toMatchObject({ signed: true });
    await badCase(t, w);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 1, delivered: 1 });
    expect(r.requests.at(-1)!.accepted).toBe(true);
  });

  it('a robot without 加签 gets the stored URL as it is; a removed secret stops the signing', async () => {
    const r = await robot(null, () => t.clock.now());
    servers.push(r.server);
    const plain = (await api(t, w.admin).create({ name: '关键词群', kind: 'dingtalk', url: r.url, events: ['bad_rating'] })).json();
    expect(plain.signed).toBe(false);
    const signed = (
      await api(t, w.admin).create({ name: '加签群', kind: 'dingtalk', url: r.url, events: ['bad_rating'], secret: SECRET })
    ).json();
    const removed = await api(t, w.admin).patch(signed.id, { secret: null });
    expect(removed.json()).toMatchObject({ signed: false });
    await badCase(t, w);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 2, delivered: 2 });
    for (const q of r.requests) expect([...q.query.keys()]).toEqual(['access_token']);
  });

  it('a secret that no longer decrypts (DATA_KEY changed) fails the delivery at once, sending nothing', async () => {
    const r = await robot(SECRET, () => t.clock.now());
    servers.push(r.server);
    const id = (await api(t, w.admin).create({ name: '群', kind: 'dingtalk', url: r.url, events: ['bad_rating'], secret: SECRET })).json()
      .id as number;
    // As if written under another DATA_KEY: the authentication tag does not match.
    const [v, iv, , ct] = (await rows<{ s: string }>(t.db, sql`SELECT secret_enc AS s FROM webhooks WHERE id = ${id}`))[0]!.s.split('.');
    await writeSql(t.db, sql`UPDATE webhooks SET secret_enc = ${`${v}.${iv}.AAAAAAAAAAAAAAAAAAAAAA.${ct}`} WHERE id = ${id}`);
    t.services.notifications.forgetWebhooks();
    await badCase(t, w);
    expect(await t.services.notifications.deliverDue()).toEqual({ attempted: 1, delivered: 0, retrying: 0, failed: 1 });
    expect((await deliveries(t))[0]).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect((await deliveries(t))[0]!.last_error).toContain('加签密钥无法解密');
    expect(r.requests).toEqual([]);
  });
});

describe('webhook secrets: validation', () => {
  const { t, w } = useTestWorld();
  const ding = { name: '群', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', events: ['bad_rating'] };
  const count = async () => (await rows<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM webhooks`))[0]!.n;

  it('refuses a malformed secret, a secret on a WeCom robot, and names the field', async () => {
    const a = api(t, w.admin);
    for (const secret of ['abc', 'sec4f2b9d0c6e1a8b7f3c5d2e9a0b1c4d7', 'SEC', `${SECRET.slice(0, 20)} ${SECRET.slice(20)}`, '']) {
      const res = await a.create({ ...ding, secret });
      expect(res.statusCode, secret).toBe(400);
      expect(res.json(), secret).toMatchObject({
        error: 'InvalidWebhookSecret',
        message: expect.stringMatching(/加签密钥（secret）.*SEC 开头/),
      });
    }
    const wecom = await a.create({ ...ding, kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: SECRET });
    expect(wecom.statusCode).toBe(400);
    expect(wecom.json()).toMatchObject({ error: 'WebhookSecretNotAllowed', message: expect.stringContaining('加签密钥（secret）') });
    const typed = await a.create({ ...ding, secret: 42 });
    expect(typed.statusCode).toBe(400);
    expect(typed.json()).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('加签密钥（secret）') });
    const long = await a.create({ ...ding, secret: `SEC${'a'.repeat(300)}` });
    expect(long.json()).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('加签密钥（secret）过长') });
    expect(await count()).toBe(0);
  });

  it('an update keeps the secret unless it gives one; a WeCom change must drop it; refused updates change nothing', async () => {
    const a = api(t, w.admin);
    const id = (await a.create({ ...ding, secret: SECRET })).json().id as number;
    const stored = async () => (await rows<{ s: string | null }>(t.db, sql`SELECT secret_enc AS s FROM webhooks WHERE id = ${id}`))[0]!.s;
    const before = await stored();
    expect(before).toBeTruthy();

    expect((await a.patch(id, { name: '改名' })).json()).toMatchObject({ name: '改名', signed: true });
    expect(await stored()).toBe(before);
    const bad = await a.patch(id, { secret: 'SEC-not-a-secret' });
    expect(bad.json()).toMatchObject({ error: 'InvalidWebhookSecret' });
    const toWecom = await a.patch(id, { kind: 'wecom' });
    expect(toWecom.statusCode).toBe(400);
    expect(toWecom.json()).toMatchObject({ error: 'WebhookSecretNotAllowed', message: expect.stringContaining('secret: null') });
    expect(await stored()).toBe(before);
    expect((await a.list()).json().webhooks[0]).toMatchObject({ kind: 'dingtalk', signed: true });

    expect((await a.patch(id, { kind: 'wecom', secret: null })).json()).toMatchObject({ kind: 'wecom', signed: false });
    expect(await stored()).toBeNull();
    expect((await a.patch(id, { secret: SECRET })).json()).toMatchObject({ error: 'WebhookSecretNotAllowed' });
  });
});

/** The production logger writing to a file, for both the app's request log and the services' warnings. */
async function loggedApp(): Promise<TestApp & { logLines(): Promise<string[]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'msp-log-'));
  const file = join(dir, 'server.log');
  const config = testConfig({ WEBHOOK_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'info' });
  const fresh = await freshDatabase();
  const clock = manualClock(T0);
  const logger = createLogger('info', file);
  const services = await createServices({ config, db: fresh.db, clock, logger });
  const app = await buildApp({ services, logger });
  await app.ready();
  const close = async () => {
    await app.close();
    await fresh.db.close();
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  closers.push(close);
  return {
    app,
    db: fresh.db,
    services,
    config,
    clock,
    close,
    async logLines() {
      logger.flush();
      const read = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);
      // The destination writes asynchronously: wait for the delivery's warning.
      await expect.poll(() => read().some((l) => l.includes('webhook #'))).toBe(true);
      return read();
    },
  };
}

describe('webhook secrets are write-only', () => {
  it('no API answer, audit row or log line holds the secret', async () => {
    const t = await loggedApp();
    const w = await makeWorld(t.db);
    const r = await robot(SECRET, () => t.clock.now());
    servers.push(r.server);
    const a = api(t, w.admin);
    const answers: string[] = [];
    const keep = async (p: Promise<{ body: string; statusCode: number }>) => {
      const res = await p;
      answers.push(res.body);
      return res;
    };

    const created = await keep(a.create({ name: '群', kind: 'dingtalk', url: r.url, events: ['bad_rating'], secret: OTHER_SECRET }));
    expect(created.statusCode).toBe(201);
    const id = JSON.parse(created.body).id as number;
    await keep(a.list());
    await keep(a.patch(id, { name: '督查群' }));
    // A bad case, sent with the wrong secret (the failure is logged), then the right one put in.
    await badCase(t, w);
    await t.services.notifications.deliverDue();
    await keep(a.patch(id, { secret: SECRET }));
    await keep(a.deliveries(id));
    await keep(a.create({ name: 'x', kind: 'wecom', url: r.url, events: ['bad_rating'], secret: SECRET }));
    await keep(a.patch(id, { secret: `${SECRET}!` }));
    await keep(a.patch(id, { secret: null }));

    const audit = await rows<{ action: string; detail: string }>(
      t.db,
      sql`SELECT action, CAST(detail AS TEXT) AS detail FROM audit_log WHERE action LIKE 'webhook.%' ORDER BY id`,
    );
    expect(audit.map((x) => [x.action, JSON.parse(x.detail)])).toEqual([
      ['webhook.create', { name: '群', kind: 'dingtalk', events: ['bad_rating'], signed: true }],
      ['webhook.update', { fields: ['name'] }],
      ['webhook.update', { fields: ['secret'], secret: 'set' }],
      ['webhook.update', { fields: ['secret'], secret: 'removed' }],
    ]);
    const logged = await t.logLines();
    expect(logged.some((l) => l.includes('errcode 310000'))).toBe(true);
    // The secret, or its distinctive part, appears nowhere: not in answers, the audit log, the log, nor stored in clear.
    const stored = await rows<{ s: string | null }>(t.db, sql`SELECT secret_enc AS s FROM webhooks`);
    for (const secret of [SECRET, OTHER_SECRET]) {
      const part = secret.slice(3, 19);
      for (const text of [...answers, ...audit.map((x) => x.detail), ...logged, JSON.stringify(stored)]) expect(text).not.toContain(part);
    }
    expect(JSON.parse(answers[1]!).webhooks[0]).toEqual({
      id,
      name: '群',
      kind: 'dingtalk',
      url: r.url,
      events: ['bad_rating'],
      orgUnitId: w.county.id,
      active: true,
      signed: true,
      createdAt: T0,
    });
  });
});
