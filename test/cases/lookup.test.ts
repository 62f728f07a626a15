// 找回进度查询链接 (#12, item 1): POST /api/cases/lookup { caseNo, phoneLast4 } → the status link of a
// real-name 差评 case. One 404 for every miss; 5 wrong tries per case number a day, from any network.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { useTestWorld } from '../helpers/factories.js';
import { badCase, PHONE } from './helpers.js';

const { t, w } = useTestWorld();

function lookup(body: unknown, ip = '203.0.113.7') {
  return t.app.inject({ method: 'POST', url: '/api/cases/lookup', payload: body as object, remoteAddress: ip });
}

const audits = () =>
  rows<{ action: string; targetId: string | null; detail: string }>(
    t.db,
    sql`SELECT action, target_id AS "targetId", detail FROM audit_log WHERE action = 'case.lookup' ORDER BY id`,
  );

describe('POST /api/cases/lookup', () => {
  it('the right case number and last 4 digits give the status link, and the try is audited', async () => {
    const { kase } = await badCase(t, w);
    const res = await lookup({ caseNo: kase.caseNo, phoneLast4: PHONE.slice(-4) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ statusUrl: `/s/${kase.statusToken}` });
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ url: res.json().statusUrl })).statusCode).not.toBe(404);
    // As a citizen may type it: lower case, spaces, another dash, or no CP.
    for (const typed of [kase.caseNo.toLowerCase(), ` ${kase.caseNo.replace('-', '－')} `, kase.caseNo.slice(2).replace('-', ' ')]) {
      expect((await lookup({ caseNo: typed, phoneLast4: PHONE.slice(-4) })).json(), typed).toEqual({ statusUrl: `/s/${kase.statusToken}` });
    }
    const [row] = await audits();
    expect(row).toMatchObject({ targetId: String(kase.id) });
    const detail = typeof row!.detail === 'string' ? JSON.parse(row!.detail) : row!.detail;
    expect(detail).toMatchObject({ caseNo: kase.caseNo, result: 'found', network: expect.any(String) });
    // The network is kept as a keyed hash, never the address; the phone never.
    expect(JSON.stringify(detail)).not.toContain('203.0.113.7');
    expect(JSON.stringify(detail)).not.toContain(PHONE.slice(-4));
  });

  it('wrong digits, an unknown number and an anonymous case are one and the same 404', async () => {
    const { kase } = await badCase(t, w);
    const { kase: anonymous } = await badCase(t, w, { anonymous: true });
    const wrong = await lookup({ caseNo: kase.caseNo, phoneLast4: '0000' });
    const unknown = await lookup({ caseNo: 'CP20200101-9999', phoneLast4: PHONE.slice(-4) });
    const anon = await lookup({ caseNo: anonymous.caseNo, phoneLast4: PHONE.slice(-4) });
    for (const res of [wrong, unknown, anon]) {
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(wrong.body);
    }
    expect(wrong.json()).toEqual({ error: 'CaseNotFound', message: expect.stringContaining('匿名评价没有留手机号') });
    expect((await audits()).map((a) => (typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail).result)).toEqual([
      'mismatch',
      'unknown',
      'no_phone',
    ]);
  });

  it('after 5 wrong tries in a day the case number is refused (429), from any network, even with the right digits', async () => {
    const { kase } = await badCase(t, w);
    for (let i = 0; i < 5; i++) {
      expect((await lookup({ caseNo: kase.caseNo, phoneLast4: String(1000 + i) }, `198.51.100.${i}`)).statusCode).toBe(404);
    }
    const sixth = await lookup({ caseNo: kase.caseNo, phoneLast4: PHONE.slice(-4) }, '192.0.2.99');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toEqual({ error: 'LookupLimit', message: expect.stringContaining('明天再试') });
    // Typed another way it is the same case number.
    expect((await lookup({ caseNo: kase.caseNo.toLowerCase(), phoneLast4: '1234' }, '192.0.2.100')).statusCode).toBe(429);
    expect((await audits()).at(-1)).toMatchObject({ targetId: null });
    // Another case number is not affected; the next day the number may be tried again.
    const { kase: other } = await badCase(t, w);
    expect((await lookup({ caseNo: other.caseNo, phoneLast4: PHONE.slice(-4) }, '192.0.2.99')).statusCode).toBe(200);
    t.clock.set(t.clock.now() + 86_400_000);
    expect((await lookup({ caseNo: kase.caseNo, phoneLast4: PHONE.slice(-4) }, '192.0.2.99')).statusCode).toBe(200);
  });

  it('right answers do not use up the tries', async () => {
    const { kase } = await badCase(t, w);
    for (let i = 0; i < 8; i++) expect((await lookup({ caseNo: kase.caseNo, phoneLast4: PHONE.slice(-4) })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await lookup({ caseNo: kase.caseNo, phoneLast4: '0000' })).statusCode).toBe(404);
    expect((await lookup({ caseNo: kase.caseNo, phoneLast4: PHONE.slice(-4) })).statusCode).toBe(429);
  });

  it('one network is limited across case numbers (30 an hour)', async () => {
    for (let i = 0; i < 30; i++)
      expect((await lookup({ caseNo: `CP20200101-${i}`, phoneLast4: '0000' }, '198.51.100.200')).statusCode).toBe(404);
    const res = await lookup({ caseNo: 'CP20200101-99', phoneLast4: '0000' }, '198.51.100.200');
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({ error: 'TooManyRequests', message: expect.stringMatching(/频繁/) });
    expect((await lookup({ caseNo: 'CP20200101-99', phoneLast4: '0000' }, '198.51.100.201')).statusCode).toBe(404);
  });

  it('bad input is a 400 in Chinese', async () => {
    for (const body of [{ caseNo: 'CP20261123-0001', phoneLast4: '12a4' }, { caseNo: '', phoneLast4: '1234' }, { caseNo: 'x' }]) {
      const res = await lookup(body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
    }
  });
});
