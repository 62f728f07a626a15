// Notifications to 企业微信 / 钉钉 group robots, against real HTTP receivers on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { MAX_ATTEMPTS, RETRY_BACKOFF_MS } from '../../server/modules/notifications/notifications.service.js';
import { bearerFor } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';
import { badCase, PHONE } from './helpers.js';

interface Receiver {
  url: string;
  bodies: unknown[];
  /** Status codes to answer, in order; 200 once exhausted. */
  script: number[];
  server: Server;
}

async function receiver(script: number[] = [], answer = '{"errcode":0,"errmsg":"ok"}'): Promise<Receiver> {
  const r: Receiver = { url: '', bodies: [], script, server: undefined as unknown as Server };
  r.server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      r.bodies.push({ contentType: req.headers['content-type'], method: req.method, body: JSON.parse(raw) });
      const status = r.script.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? answer : '{"error":"boom"}');
    });
  });
  await new Promise<void>((ok) => r.server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/cgi-bin/webhook/send?key=secret-key`;
  return r;
}

const close = (s: Server) => new Promise<void>((ok) => s.close(() => ok()));

// The receivers listen on 127.0.0.1, which a webhook may only reach with WEBHOOK_ALLOW_PRIVATE=true.
const { t, w } = useTestWorld({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
const servers: Server[] = [];
// Before the app closes: vitest runs afterEach hooks in reverse order.
afterEach(async () => {
  while (servers.length) await close(servers.pop()!);
});

async function hook(payload: object, user = w.admin) {
  return t.app.inject({ method: 'POST', url: '/api/webhooks', headers: bearerFor(t.app, user), payload });
}
const deliveries = async () =>
  await rows<{
    webhook_id: number;
    event: string;
    status: string;
    attempts: number;
    last_error: string | null;
    next_attempt_at: number | null;
  }>(t.db, sql`SELECT webhook_id, event, status, attempts, last_error, next_attempt_at FROM notification_deliveries ORDER BY id`);

describe('webhook notifications', () => {
  it('a new 差评 reaches a 企业微信 and a 钉钉 robot in their exact formats, without the phone number', async () => {
    const wecom = await receiver();
    const ding = await receiver();
    servers.push(wecom.server, ding.server);
    const a = await hook({ name: '督查群', kind: 'wecom', url: wecom.url, events: ['bad_rating', 'case_overdue'] });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({
      name: '督查群',
      kind: 'wecom',
      events: ['bad_rating', 'case_overdue'],
      active: true,
      orgUnitId: w.county.id,
    });
    expect((await hook({ name: '钉钉群', kind: 'dingtalk', url: ding.url, events: ['bad_rating'] })).statusCode).toBe(201);

    const { kase } = await badCase(t, w, { comment: '请回电 13812345678！\n**等了**两个小时 [链接](http://x) 没有人管' });
    expect((await deliveries()).map((d) => d.status)).toEqual(['pending', 'pending']);
    expect(await t.services.notifications.deliverDue()).toEqual({ attempted: 2, delivered: 2, retrying: 0, failed: 0 });
    expect((await deliveries()).map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
    ]);

    expect(wecom.bodies).toHaveLength(1);
    const wb = wecom.bodies[0] as { contentType: string; method: string; body: { msgtype: string; markdown: { content: string } } };
    expect(wb.method).toBe('POST');
    expect(wb.contentType).toMatch(/^application\/json/);
    expect(Object.keys(wb.body).sort()).toEqual(['markdown', 'msgtype']);
    expect(wb.body.msgtype).toBe('markdown');
    expect(Object.keys(wb.body.markdown)).toEqual(['content']);
    const content = wb.body.markdown.content;
    for (const part of [kase.caseNo, w.deptA.name, w.codeA.location, '非常不满意', kase.dueDate, kase.contactDueDate, '138****5678'])
      expect(content).toContain(part);

    const db = ding.bodies[0] as { body: { msgtype: string; markdown: { title: string; text: string } } };
    expect(db.body.msgtype).toBe('markdown');
    expect(Object.keys(db.body.markdown).sort()).toEqual(['text', 'title']);
    expect(db.body.markdown.title).toContain(kase.caseNo);
    for (const part of [kase.caseNo, w.deptA.name, w.codeA.location, '非常不满意', kase.dueDate])
      expect(db.body.markdown.text).toContain(part);

    for (const r of [wecom, ding]) {
      const text = JSON.stringify(r.bodies);
      expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain('](http');
    }
    // Nothing more to send.
    expect(await t.services.notifications.deliverDue()).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(await t.services.notifications.listDeliveries((await t.services.auth.resolveActor(w.admin.id))!, a.json().id)).toEqual([
      expect.objectContaining({ event: 'bad_rating', caseId: kase.id, status: 'delivered', attempts: 1 }),
    ]);
  });

  it('retries a receiver that answers 500, then 200, with backoff', async () => {
    const r = await receiver([500]);
    servers.push(r.server);
    await hook({ name: '群', kind: 'wecom', url: r.url, events: ['bad_rating'] });
    await badCase(t, w);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 1, retrying: 1 });
    expect((await deliveries())[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'HTTP 500',
      next_attempt_at: t.clock.now() + RETRY_BACKOFF_MS[0],
    });
    // Not due yet.
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 0 });
    t.clock.advance(RETRY_BACKOFF_MS[0]);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 1, delivered: 1 });
    expect((await deliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
    expect(r.bodies).toHaveLength(2);
  });

  it('a robot that answers 200 with a non-zero errcode is retried too', async () => {
    const r = await receiver([], '{"errcode":93000,"errmsg":"invalid webhook url"}');
    servers.push(r.server);
    await hook({ name: '群', kind: 'dingtalk', url: r.url, events: ['bad_rating'] });
    await badCase(t, w);
    await t.services.notifications.deliverDue();
    expect((await deliveries())[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await deliveries())[0]!.last_error).toContain('93000');
  });

  it('a dead receiver never affects storing ratings; the delivery fails after its retries', async () => {
    const dead = await receiver();
    await close(dead.server);
    await hook({ name: '已失效', kind: 'wecom', url: dead.url, events: ['bad_rating'] });
    // Through the public submission route as well as the factory.
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/codes/${w.codeA.id}/ratings`,
      payload: { score: 1, tags: ['服务态度差'] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().followUp.caseNo).toMatch(/^CP/);
    const { kase } = await badCase(t, w);
    expect(kase.status).toBe('open');
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))?.n).toBe(2);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await t.services.notifications.deliverDue();
      t.clock.advance(RETRY_BACKOFF_MS[Math.min(i, RETRY_BACKOFF_MS.length - 1)]);
    }
    const ds = await deliveries();
    expect(ds).toHaveLength(2);
    for (const d of ds) expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null });
    expect(ds[0]!.last_error).toBeTruthy();
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 0 });
    // The ratings are all still there, the cases open.
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM cases WHERE status = 'open'`))?.n).toBe(2);
  });

  it('overdue escalation notifies case_overdue subscribers; scope, inactive hooks and duplicates are respected', async () => {
    const r = await receiver();
    const other = await receiver();
    servers.push(r.server, other.server);
    const h = (await hook({ name: '超期', kind: 'wecom', url: r.url, events: ['case_overdue'] })).json();
    // The other county's robot must not hear about department A.
    await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: bearerFor(t.app, w.cityAdmin),
      payload: { name: '另一县', kind: 'wecom', url: other.url, events: ['bad_rating', 'case_overdue'], orgUnitId: w.otherCounty.id },
    });
    const { kase } = await badCase(t, w);
    expect(await deliveries()).toEqual([]);
    t.clock.set(Date.parse('2026-11-25T09:00:00+08:00'));
    await t.services.cases.escalateOverdue();
    await t.services.notifications.deliverDue();
    expect(r.bodies).toHaveLength(1);
    const content = (r.bodies[0] as { body: { markdown: { content: string } } }).body.markdown.content;
    expect(content).toContain(kase.caseNo);
    expect(content).toContain('回访时限');
    expect(other.bodies).toEqual([]);
    // Enqueueing the same event for the same case again queues nothing new.
    const row = (await firstRow<{ id: number }>(t.db, sql`SELECT id FROM cases WHERE id = ${kase.id}`))!;
    expect(await t.db.transaction((tx) => t.services.notifications.enqueueForCase(tx, 'case_overdue', { ...kase, id: row.id }))).toBe(0);
    // A deactivated robot gets nothing.
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${h.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { active: false, events: ['bad_rating', 'case_overdue'] },
    });
    expect(patched.json()).toMatchObject({ active: false });
    await badCase(t, w);
    expect(await deliveries()).toHaveLength(1);
  });
});

describe('webhook administration', () => {
  it('is for administrators of the scope only', async () => {
    expect(
      (
        await hook(
          { name: 'x', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', events: ['bad_rating'] },
          w.supervisor,
        )
      ).statusCode,
    ).toBe(403);
    expect((await hook({ name: 'x', kind: 'wecom', url: 'ftp://example.com/hook', events: ['bad_rating'] })).statusCode).toBe(400);
    expect((await hook({ name: 'x', kind: 'slack', url: 'https://example.com/hook', events: ['bad_rating'] })).statusCode).toBe(400);
    expect((await hook({ name: 'x', kind: 'wecom', url: 'https://example.com/hook', events: ['everything'] })).statusCode).toBe(400);
    expect(
      (await hook({ name: 'x', kind: 'wecom', url: 'https://example.com/hook', events: ['bad_rating'], orgUnitId: w.otherCounty.id }))
        .statusCode,
    ).toBe(404);
    const created = (
      await hook({ name: '群', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', events: ['bad_rating'] })
    ).json();
    const list = await t.app.inject({ url: '/api/webhooks', headers: bearerFor(t.app, w.admin) });
    expect(list.json().webhooks).toEqual([expect.objectContaining({ id: created.id, kind: 'dingtalk' })]);
    expect((await t.app.inject({ url: '/api/webhooks', headers: bearerFor(t.app, w.supervisor) })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/webhooks/${created.id}`, headers: bearerFor(t.app, w.admin) })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/webhooks', headers: bearerFor(t.app, w.admin) })).json().webhooks).toEqual([]);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/webhooks/${created.id}`, headers: bearerFor(t.app, w.admin) })).statusCode,
    ).toBe(404);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM audit_log WHERE action LIKE 'webhook.%'`))?.n).toBe(2);
  });

  it('good ratings and spot checks never notify', async () => {
    await hook({ name: '群', kind: 'wecom', url: 'http://127.0.0.1:9/x', events: ['bad_rating', 'case_overdue'] });
    await makeRating(t.services, { codeId: w.codeA.id, score: 5, phone: PHONE });
    await t.services.cases.drawSpotChecks((await t.services.auth.resolveActor(w.supervisor.id))!, { month: '2026-11', seed: 'x' });
    expect(await deliveries()).toEqual([]);
  });
});
