import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { T0, writeSql } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { makeMatter } from '../helpers/matters.js';

// These tests read the built citizen page (npm test builds the client first).
const { t, w } = useTestWorld({ env: { CLIENT_DIR: 'dist/client' } });

function pageData(html: string): Record<string, unknown> {
  const m = /<script id="page-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  if (!m) throw new Error('no page data');
  return JSON.parse(m[1]!);
}

let n = 0;
const key = () => `page-key-${String(++n).padStart(6, '0')}`;
const open = (token: string) => t.app.inject({ url: `/e/${token}` });
const rate = (token: string, body: object) =>
  t.app.inject({ method: 'POST', url: `/api/e/${token}/ratings`, payload: body, remoteAddress: '10.9.9.9' });
const matterOf = (over: Partial<Parameters<typeof makeMatter>[1]> = {}) =>
  makeMatter(t.db, { codeId: w.codeA.id, departmentId: w.deptA.id, ...over });

describe('GET /e/{token} — the citizen page of a 办件 (一次一评)', () => {
  it('a valid link: 200, one self-contained page with the 事项, department, window, 办结 day and the county reasons', async () => {
    const m = await matterOf({ taskName: '食品经营许可（新办）', finishedAt: T0 - 14 * 3600_000 });
    const res = await open(m.linkToken!);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(res.body).toContain('lang="zh-CN"');
    expect(res.body).not.toMatch(/<script[^>]+src=/);
    const data = pageData(res.body);
    expect(data).toEqual({
      kind: 'matter',
      // The issuer named in the header (settings citizen.authority; none set here).
      authority: '',
      token: m.linkToken,
      taskName: '食品经营许可（新办）',
      departmentName: w.deptA.name,
      location: w.codeA.location,
      // 14 h before 2026-11-23 10:00 Beijing time is the 22nd in Beijing (the 21st… 22nd in UTC).
      finishedOn: '11月22日',
      expiresAt: new Date(T0 - 14 * 3600_000 + 7 * 86_400_000).toISOString(),
      rated: 0,
      standing: '，请评价',
      tags: expect.objectContaining({ bad: expect.arrayContaining(['服务态度差']) }),
      commentMax: 500,
    });
  });

  it('shows the department the 办件 was handled in, even after its window moved to another', async () => {
    const m = await matterOf();
    await writeSql(t.db, sql`UPDATE codes SET department_id = ${w.deptB.id} WHERE id = ${w.codeA.id}`);
    expect(pageData((await open(m.linkToken!)).body)).toMatchObject({ departmentName: w.deptA.name });
  });

  it('carries no personal data: neither the applicant phone, nor the 经办人, nor the 办件编号', async () => {
    const m = await matterOf({ staffName: '欧阳经办' });
    const phoneEnc = t.services.crypto.encryptPhone('13912345678');
    await writeSql(t.db, sql`UPDATE matters SET applicant_phone_enc = ${phoneEnc} WHERE id = ${m.id}`);
    const res = await open(m.linkToken!);
    expect(res.statusCode).toBe(200);
    for (const secret of ['13912345678', phoneEnc, '欧阳经办', m.projectNo]) expect(res.body).not.toContain(secret);
  });

  it('after one rating it offers the 追评 (rated 1); after the 追评 no form (rated 2)', async () => {
    const m = await matterOf();
    expect((await rate(m.linkToken!, { score: 5, idempotencyKey: key() })).statusCode).toBe(201);
    const second = await open(m.linkToken!);
    expect(second.statusCode).toBe(200);
    expect(pageData(second.body)).toMatchObject({ kind: 'matter', rated: 1 });
    expect((await rate(m.linkToken!, { score: 2, idempotencyKey: key() })).statusCode).toBe(201);
    const third = await open(m.linkToken!);
    expect(third.statusCode).toBe(200);
    expect(pageData(third.body)).toMatchObject({ kind: 'matter', rated: 2 });
  });

  it('an unknown link is a 404 page, a link past its period a 410 page that still says where', async () => {
    const unknown = await open('no-such-token-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('text/html');
    expect(pageData(unknown.body)).toEqual({
      kind: 'missing',
      authority: '',
      hotline: '12345 政务服务便民热线',
      code: '',
      reason: 'link',
      title: '评价链接无效',
      advice: expect.stringContaining('扫描窗口的评议码'),
    });
    expect((await open('x'.repeat(500))).statusCode).toBe(404);

    const m = await matterOf();
    t.clock.set(T0 + 7 * 86_400_000);
    expect((await open(m.linkToken!)).statusCode).toBe(200); // the last moment of the period
    t.clock.set(T0 + 7 * 86_400_000 + 1);
    const gone = await open(m.linkToken!);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('lang="zh-CN"');
    expect(pageData(gone.body)).toEqual({
      kind: 'missing',
      authority: '',
      // The other channels: the window's code, the county's hotline (settings citizen.hotline).
      hotline: '12345 政务服务便民热线',
      code: '',
      reason: 'expired',
      title: '评价期限已过',
      advice: expect.stringContaining('扫描窗口的评议码'),
      departmentName: w.deptA.name,
      location: w.codeA.location,
    });
  });

  it('a link whose 办件 is not (or no longer) finished is unknown, as its rating is', async () => {
    const m = await matterOf();
    // (A rejected 办件's link is its 办不成事 form instead: test/matters/report-link.test.ts.)
    await writeSql(t.db, sql`UPDATE matters SET status = 'accepted' WHERE id = ${m.id}`);
    const res = await open(m.linkToken!);
    expect(res.statusCode).toBe(404);
    expect(pageData(res.body)).toMatchObject({ reason: 'link' });
    expect((await rate(m.linkToken!, { score: 5 })).statusCode).toBe(404);
  });

  it('serves the service worker at /e/sw.js too (its scope covers the link pages), never as a link', async () => {
    const res = await t.app.inject({ url: '/e/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe((await t.app.inject({ url: '/r/sw.js' })).body);
  });
});

describe('POST /api/e/{token}/ratings — a retry of a stored rating (the phone queue’s resend)', () => {
  it('the 追评 sent again with its key answers 200 with the same rating, not 409', async () => {
    const m = await matterOf();
    await rate(m.linkToken!, { score: 5, idempotencyKey: key() });
    const body = { score: 1, tags: ['服务态度差'], idempotencyKey: key() };
    const first = await rate(m.linkToken!, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ assessNumber: 2, followUp: { caseNo: expect.any(String) } });
    const again = await rate(m.linkToken!, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    // A new rating is still refused.
    expect((await rate(m.linkToken!, { score: 5, idempotencyKey: key() })).statusCode).toBe(409);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE matter_id = ${m.id}`))!.n).toBe(2);
  });

  it('a rating stored within the period and sent again after it answers 200, a new one 410', async () => {
    const m = await matterOf();
    const body = { score: 4, idempotencyKey: key() };
    const first = await rate(m.linkToken!, body);
    expect(first.statusCode).toBe(201);
    t.clock.set(T0 + 7 * 86_400_000 + 60_000);
    const again = await rate(m.linkToken!, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect((await rate(m.linkToken!, { score: 4, idempotencyKey: key() })).statusCode).toBe(410);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE matter_id = ${m.id}`))!.n).toBe(1);
  });
});
