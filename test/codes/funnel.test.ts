import { describe, expect, it } from 'vitest';
import { bearerFor, T0 } from '../helpers/app.js';
import { makeCode, makeRating, useTestWorld } from '../helpers/factories.js';

const DAY = 86_400_000;
const { t, w } = useTestWorld();
type User = { id: number; role: string };
const open = (code: string, init: { payload?: string; headers?: Record<string, string>; ip?: string } = {}) =>
  t.app.inject({ method: 'POST', url: `/api/codes/${code}/opened`, payload: init.payload, headers: init.headers, remoteAddress: init.ip });

async function funnelOf(u: User, code: string) {
  const res = await t.app.inject({ url: '/api/codes', headers: bearerFor(t.app, u) });
  return (res.json().codes as Array<{ code: string; funnel: Record<string, unknown> }>).find((c) => c.code === code)!.funnel;
}

describe('POST /api/codes/{code}/opened (the scan-funnel beacon)', () => {
  it('takes what navigator.sendBeacon sends (no body, text/plain, any blob type) and answers 204', async () => {
    const variants = [
      {},
      { payload: '', headers: { 'content-type': 'text/plain;charset=UTF-8' } },
      { payload: 'opened', headers: { 'content-type': 'text/plain;charset=UTF-8' } },
      { payload: '{"clientId":"x"}', headers: { 'content-type': 'application/json' } },
      { payload: '{not json', headers: { 'content-type': 'application/json' } },
      { payload: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { payload: 'xx', headers: { 'content-type': 'application/octet-stream' } },
    ];
    for (const v of variants) {
      const res = await open(w.codeA.id, v);
      expect(res.statusCode, JSON.stringify(v)).toBe(204);
      expect(res.body).toBe('');
    }
    expect(await funnelOf(w.headA, w.codeA.id)).toMatchObject({
      opens30d: variants.length,
      opensTotal: variants.length,
      lastOpenDay: '2026-11-23',
    });
  });

  it('unknown code 404, disabled code 410 and not counted', async () => {
    expect((await open('ZZZZZZ')).statusCode).toBe(404);
    const off = await makeCode(t.db, { departmentId: w.deptA.id, active: false });
    const res = await open(off.id);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ error: 'CodeDisabled' });
    expect(await funnelOf(w.headA, off.id)).toMatchObject({ opensTotal: 0 });
  });

  it('an oversized body is 413 JSON', async () => {
    const res = await open(w.codeA.id, { payload: 'x'.repeat(8192), headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('PayloadTooLarge');
  });

  it('is rate limited per address so one client cannot inflate the funnel cheaply', async () => {
    for (let i = 0; i < 120; i++) expect((await open(w.codeA.id, { ip: '203.0.113.7' })).statusCode).toBe(204);
    const limited = await open(w.codeA.id, { ip: '203.0.113.7' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'TooManyRequests', message: expect.any(String) });
    // Another address is not affected.
    expect((await open(w.codeA.id, { ip: '198.51.100.9' })).statusCode).toBe(204);
    expect(await funnelOf(w.headA, w.codeA.id)).toMatchObject({ opensTotal: 121 });
  });
});

describe('scan funnel on the codes list', () => {
  it('counts opens and submissions per code in the last 30 days and in total, from recorded opens and ratings', async () => {
    // Day 0: 3 opens, 2 ratings. Day 11 (first day of the window): 1 open. Day 40 ("now"): 2 opens, 1 rating.
    for (let i = 0; i < 3; i++) await open(w.codeA.id);
    await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    await makeRating(t.services, { codeId: w.codeA.id, score: 3 });
    t.clock.advance(11 * DAY);
    await open(w.codeA.id);
    t.clock.advance(29 * DAY);
    await open(w.codeA.id);
    await open(w.codeA.id);
    await makeRating(t.services, { codeId: w.codeA.id, score: 4 });
    await open(w.codeB.id);

    expect(await funnelOf(w.supervisor, w.codeA.id)).toEqual({
      opens30d: 3,
      submissions30d: 1,
      opensTotal: 6,
      submissionsTotal: 3,
      lastOpenDay: '2027-01-02',
      lastSubmissionDay: '2027-01-02',
      alert: null,
    });
    expect(await funnelOf(w.supervisor, w.codeB.id)).toMatchObject({ opens30d: 1, submissions30d: 0, opensTotal: 1 });
  });

  it('the 30-day window ends today and covers 30 China calendar days', async () => {
    await open(w.codeA.id); // 2026-11-23
    t.clock.advance(29 * DAY); // 2026-12-22: day 30 of the window
    expect(await funnelOf(w.headA, w.codeA.id)).toMatchObject({ opens30d: 1 });
    t.clock.advance(DAY);
    expect(await funnelOf(w.headA, w.codeA.id)).toMatchObject({ opens30d: 0, opensTotal: 1, lastOpenDay: '2026-11-23' });
  });

  it('alerts 长期无人扫码 for an active code without opens or ratings for 30 days (not for a new one)', async () => {
    expect((await funnelOf(w.headA, w.codeA.id)).alert).toBeNull();
    t.clock.advance(30 * DAY);
    expect((await funnelOf(w.headA, w.codeA.id)).alert).toBe('no_opens_30d');
    await open(w.codeA.id);
    expect((await funnelOf(w.headA, w.codeA.id)).alert).toBeNull();
  });

  it('ratings count as scans even when the beacon was lost', async () => {
    t.clock.advance(30 * DAY);
    await makeRating(t.services, { codeId: w.codeA.id, score: 5 });
    expect(await funnelOf(w.headA, w.codeA.id)).toMatchObject({ opens30d: 0, submissions30d: 1, alert: null });
  });

  it('alerts 有扫码无评价 when a code is opened repeatedly but nobody submits', async () => {
    for (let i = 0; i < 4; i++) await open(w.codeA.id);
    expect((await funnelOf(w.headA, w.codeA.id)).alert).toBeNull();
    await open(w.codeA.id);
    expect((await funnelOf(w.headA, w.codeA.id)).alert).toBe('opens_without_submissions');
    await makeRating(t.services, { codeId: w.codeA.id, score: 3 });
    expect((await funnelOf(w.headA, w.codeA.id)).alert).toBeNull();
  });

  it('a disabled code raises no alert', async () => {
    t.clock.advance(40 * DAY);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeA.id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { active: false },
    });
    expect((await funnelOf(w.headA, w.codeA.id)).alert).toBeNull();
  });
});

describe('GET /api/codes/{code}/funnel', () => {
  const series = (u: User, code: string, query = '') =>
    t.app.inject({ url: `/api/codes/${code}/funnel${query}`, headers: bearerFor(t.app, u) });

  it('gives every day of the range, zeros included', async () => {
    await open(w.codeA.id);
    t.clock.advance(2 * DAY);
    await open(w.codeA.id);
    await makeRating(t.services, { codeId: w.codeA.id, score: 4 });
    const res = await series(w.headA, w.codeA.id, '?from=2026-11-22&to=2026-11-26');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      code: w.codeA.id,
      from: '2026-11-22',
      to: '2026-11-26',
      days: [
        { day: '2026-11-22', opens: 0, submissions: 0 },
        { day: '2026-11-23', opens: 1, submissions: 0 },
        { day: '2026-11-24', opens: 0, submissions: 0 },
        { day: '2026-11-25', opens: 1, submissions: 1 },
        { day: '2026-11-26', opens: 0, submissions: 0 },
      ],
    });
  });

  it('defaults to the last 30 days', async () => {
    const body = (await series(w.headA, w.codeA.id)).json();
    expect(body).toMatchObject({ from: '2026-10-25', to: '2026-11-23' });
    expect(body.days).toHaveLength(30);
  });

  it('is scoped, and bad ranges are 400', async () => {
    expect((await series(w.headB, w.codeA.id)).statusCode).toBe(404);
    expect((await series(w.otherSupervisor, w.codeA.id)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/codes/${w.codeA.id}/funnel` })).statusCode).toBe(401);
    for (const q of ['?from=2026-11-30&to=2026-11-01', '?from=2020-01-01&to=2026-01-01', '?from=2026-13-01', '?to=yesterday']) {
      const res = await series(w.headA, w.codeA.id, q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().message).toEqual(expect.any(String));
    }
  });
});

it('T0 is the Monday 2026-11-23 these tests count from', () => {
  expect(new Date(T0 + 8 * 3600_000).toISOString().slice(0, 10)).toBe('2026-11-23');
});
