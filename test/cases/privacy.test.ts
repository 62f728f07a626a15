// 个人信息保护 (docs/domain.md): numbers masked everywhere but the audited phone route; erased a configurable
// time after the case closes (default 180 days), the erasure recorded; the rating stays.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow, rows } from '../../db/client.js';
import { bearerFor } from '../helpers/app.js';
import { makeRating, useTestWorld } from '../helpers/factories.js';
import { badCase, drive, getJson, move, PHONE } from './helpers.js';

// The webhook receiver listens on 127.0.0.1: allowed only with WEBHOOK_ALLOW_PRIVATE=true.
const { t, w } = useTestWorld({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
const DAY = 86_400_000;
const phoneOf = async (ratingId: number) =>
  (await firstRow<{ phone_enc: string | null; phone_erased_at: number | null; real_name: number }>(
    t.db,
    sql`SELECT phone_enc, phone_erased_at, real_name FROM ratings WHERE id = ${ratingId}`,
  ))!;

async function closeCase(caseId: number) {
  await drive(t, w.supervisor, caseId, { to: 'visited', classification: 'valid' });
  await drive(t, w.headA, caseId, { to: 'rectifying' });
  await drive(t, w.headA, caseId, { to: 'rectified', note: '整改' });
  await drive(t, w.supervisor, caseId, { to: 'answered', satisfaction: 'satisfied' });
  await drive(t, w.supervisor, caseId, { to: 'closed' });
}

describe('phone erasure job', () => {
  it('erases numbers 180 days after closure, keeps 实名 and the rating, records the erasure', async () => {
    const closed = await badCase(t, w);
    const stillOpen = await badCase(t, w);
    const good = (await makeRating(t.services, { codeId: w.codeA.id, score: 5, phone: '13700001111' })).rating;
    await closeCase(closed.kase.id);
    const closedAt = t.clock.now();

    t.clock.set(closedAt + 180 * DAY - 1000);
    expect(await t.services.cases.erasePhones()).toEqual({ erased: 0 });
    t.clock.set(closedAt + 180 * DAY + 1000);
    // The closed case's number and the old good rating's number go; the open case keeps its number.
    expect(await t.services.cases.erasePhones()).toEqual({ erased: 2 });
    expect(await phoneOf(closed.rating.id)).toEqual({ phone_enc: null, phone_erased_at: t.clock.now(), real_name: 1 });
    expect(await phoneOf(good.id)).toMatchObject({ phone_enc: null, real_name: 1 });
    expect((await phoneOf(stillOpen.rating.id)).phone_enc).not.toBeNull();
    expect(await t.services.cases.erasePhones()).toEqual({ erased: 0 });

    const audit = await rows<{ action: string; user_id: number | null; detail: string }>(
      t.db,
      sql`SELECT action, user_id, detail FROM audit_log WHERE action = 'privacy.erase_phones'`,
    );
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      count: 2,
      ratingIds: [closed.rating.id, good.id].sort((a, b) => a - b),
      retentionDays: 180,
    });

    const c = (await getJson(t, w.supervisor, `/api/cases/${closed.kase.id}`)).json();
    expect(c.events.at(-1)).toMatchObject({ type: 'phone_erased', public: true });
    expect(c.rating).toMatchObject({ phoneMasked: null, phoneErased: true, realName: true });
    expect(c.canViewPhone).toBe(false);
    const gone = await getJson(t, w.supervisor, `/api/cases/${closed.kase.id}/phone`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toEqual({ error: 'PhoneErased', message: '该手机号码已按规定删除' });
    expect((await t.services.cases.publicStatus(closed.kase.statusToken))!.events.at(-1)!.label).toBe('您留下的手机号码已按规定删除');
    // Statistics still count the rating as 实名.
    expect((await firstRow<{ r: number }>(t.db, sql`SELECT sum(real_name) AS r FROM daily_code_stats`))?.r).toBe(3);
  });

  it('the retention period is a setting; a spot check closed recently keeps its number', async () => {
    await t.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(t.app, w.cityAdmin),
      payload: { privacy: { phoneRetentionDays: 30 } },
    });
    const good = (await makeRating(t.services, { codeId: w.codeA.id, score: 4, phone: PHONE })).rating;
    t.clock.advance(25 * DAY);
    const spot = (
      await t.services.cases.drawSpotChecks((await t.services.auth.resolveActor(w.supervisor.id))!, { month: '2026-11', seed: 'k' })
    ).cases[0]!;
    await drive(t, w.supervisor, spot.id, { to: 'visited', genuine: true });
    await drive(t, w.supervisor, spot.id, { to: 'closed' });
    t.clock.advance(10 * DAY); // the rating is 35 days old, its spot check closed 10 days ago
    expect(await t.services.cases.erasePhones()).toEqual({ erased: 0 });
    t.clock.advance(21 * DAY);
    expect(await t.services.cases.erasePhones()).toEqual({ erased: 1 });
    expect((await phoneOf(good.id)).phone_enc).toBeNull();
  });
});

describe('no full phone number leaves the server outside the phone route', () => {
  it('scans every response of the case routes and every webhook payload', async () => {
    const payloads: string[] = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        payloads.push(raw);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const bodies: string[] = [];
      const call = async (user: { id: number; role: string } | null, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) => {
        const res = await t.app.inject({ method, url: path, headers: user ? bearerFor(t.app, user) : {}, ...(payload ? { payload } : {}) });
        bodies.push(res.body);
        return res;
      };
      await call(w.admin, 'POST', '/api/webhooks', { name: '企业微信', kind: 'wecom', url, events: ['bad_rating', 'case_overdue'] });
      await call(w.admin, 'POST', '/api/webhooks', { name: '钉钉', kind: 'dingtalk', url, events: ['bad_rating', 'case_overdue'] });
      const phones = ['13912345678', '15000001234', '18611112222'];
      const a = await badCase(t, w, { comment: `联系我 ${phones[1]} 或 ${phones[2]}` });
      const b = await badCase(t, w);
      for (let i = 0; i < 3; i++) await makeRating(t.services, { codeId: w.codeA.id, score: 5, phone: phones[i]! });

      for (const u of [w.supervisor, w.headA, w.admin, w.cityAdmin]) {
        await call(u, 'GET', '/api/cases');
        await call(u, 'GET', '/api/cases?sort=queue&actionable=true');
        await call(u, 'GET', `/api/cases/${a.kase.id}`);
        await call(u, 'GET', `/api/ratings/${a.rating.id}/history`);
      }
      await call(w.supervisor, 'POST', `/api/cases/${a.kase.id}/assign`, { officerId: w.headA.id });
      await call(w.supervisor, 'GET', `/api/cases/${a.kase.id}/assignees`);
      await call(w.supervisor, 'POST', `/api/cases/${a.kase.id}/transitions`, { to: 'visited', classification: 'valid', note: '已回访' });
      await call(w.headA, 'POST', `/api/cases/${a.kase.id}/transitions`, { to: 'rectifying' });
      await call(w.headA, 'POST', `/api/cases/${a.kase.id}/transitions`, { to: 'rectified', note: '整改措施' });
      await call(w.supervisor, 'POST', `/api/cases/${a.kase.id}/transitions`, { to: 'answered', satisfaction: 'satisfied' });
      await call(w.supervisor, 'POST', `/api/cases/${a.kase.id}/transitions`, { to: 'closed' });
      await call(w.supervisor, 'POST', `/api/cases/${b.kase.id}/transitions`, { to: 'closed' }); // 409
      await call(null, 'GET', `/api/public/cases/${a.kase.statusToken}`);
      await call(w.supervisor, 'POST', '/api/spot-checks/draw', { month: '2026-11', seed: 'scan' });
      await call(w.supervisor, 'GET', '/api/spot-checks');
      await call(w.admin, 'GET', '/api/webhooks');
      await call(w.admin, 'GET', '/api/webhooks/1/deliveries');
      t.clock.set(Date.parse('2026-12-20T09:00:00+08:00'));
      await t.services.cases.escalateOverdue();
      await t.services.notifications.deliverDue();
      await call(w.supervisor, 'GET', '/api/cases?overdue=true');

      expect(bodies.length).toBeGreaterThan(20);
      expect(payloads.length).toBeGreaterThanOrEqual(4);
      const everything = [...bodies, ...payloads].join('\n');
      expect(everything).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
      for (const p of phones) expect(everything).not.toContain(p);
      expect(everything).toContain('139****5678');

      // The one place a number is shown in full, to the one person allowed.
      const full = await move(t, w.supervisor, a.kase.id, { to: 'visited' });
      expect(full.statusCode).toBe(409);
      expect((await getJson(t, w.supervisor, `/api/cases/${b.kase.id}/phone`)).json()).toEqual({ phone: PHONE });
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });
});
