// The test receiver of the upward report (test/helpers/report-receiver.ts) is itself tested with real
// POSTs over a real socket: what the delivery tests conclude is only as good as what it checks.
import smCrypto from 'sm-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createSigner } from '../../server/modules/reporting/signing.js';
import { T0 } from '../helpers/app.js';
import { type ReportReceiver, signedPost, startReportReceiver } from '../helpers/report-receiver.js';

const SECRET = 'province-shared-secret';
const APP_ID = '330000-demo';

const rating = (id: number, extra: Record<string, unknown> = {}) => ({
  recordId: `rating-${id}`,
  type: 'rating',
  ratingId: id,
  projectNo: null,
  satisfaction: 5,
  pf: '3',
  evalDetail: [],
  writingEvaluation: null,
  assessTime: '2026-11-23T09:30:00+08:00',
  deptCode: '11410000MB0000001A',
  deptName: '社保窗口',
  areaCode: '130102000000',
  ...extra,
});
const batch = (...records: object[]) => ({ appId: APP_ID, records });

const opened: ReportReceiver[] = [];
async function receiver(opts: Partial<Parameters<typeof startReportReceiver>[0]> = {}): Promise<ReportReceiver> {
  const r = await startReportReceiver({ key: SECRET, appId: APP_ID, ...opts });
  opened.push(r);
  return r;
}
afterEach(async () => {
  for (const r of opened.splice(0)) await r.close();
});

const post = (r: ReportReceiver, body: string | object, init?: Parameters<typeof signedPost>[4]) =>
  signedPost(r.url, 'hmac-sha256', SECRET, body, init);

describe('answers as its mode says', () => {
  it("'ok' answers 200 {code:0}, keeps the batch as received and acknowledges its records", async () => {
    const r = await receiver();
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/report$/);
    const before = Date.now();
    const res = await post(r, batch(rating(1), rating(2)), { timestamp: String(before) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ code: 0 });
    expect(r.batches).toHaveLength(1);
    const [b] = r.batches;
    expect(b).toMatchObject({ timestamp: String(before), signatureOk: true, appId: APP_ID, status: 200, records: [rating(1), rating(2)] });
    expect(b!.signature).toBe(createSigner('hmac-sha256', SECRET).sign(String(before), JSON.stringify(batch(rating(1), rating(2)))));
    expect(b!.at).toBeGreaterThanOrEqual(before);
    expect([...r.acknowledged().keys()]).toEqual(['rating-1', 'rating-2']);
    expect(r.acknowledged().get('rating-2')).toEqual(rating(2));
    expect([r.badSignatures, r.changed, r.phoneLeaks]).toEqual([0, [], []]);
  });

  it("'fail' answers 500 and acknowledges nothing; the same batch sent again once 'ok' is acknowledged once", async () => {
    const r = await receiver();
    r.mode = 'fail';
    const first = await post(r, batch(rating(1)));
    expect(first.status).toBe(500);
    await first.body?.cancel();
    expect(r.acknowledged().size).toBe(0);
    r.mode = 'ok';
    expect((await post(r, batch(rating(1)))).status).toBe(200);
    expect((await post(r, batch(rating(1), rating(2)))).status).toBe(200);
    expect(r.batches.map((b) => b.status)).toEqual([500, 200, 200]);
    expect([...r.acknowledged().keys()]).toEqual(['rating-1', 'rating-2']);
    expect(r.changed).toEqual([]);
  });

  it("'hang' reads the whole batch and never answers: the client gives up on its own timeout", async () => {
    const r = await receiver();
    r.mode = 'hang';
    const sent = post(r, batch(rating(1)), { signal: AbortSignal.timeout(300) });
    await expect(sent).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(r.batches).toHaveLength(1);
    expect(r.batches[0]).toMatchObject({ status: 0, signatureOk: true, records: [rating(1)] });
    expect(r.acknowledged().size).toBe(0);
  });
});

describe('goes away and comes back', () => {
  it('stop(): a delivery in flight sees its connection reset, the next one ECONNREFUSED; start() listens on the same port again', async () => {
    const r = await receiver();
    const url = r.url;
    expect((await post(r, batch(rating(1)))).status).toBe(200); // leaves a keep-alive connection open too
    r.mode = 'hang';
    const inFlight = post(r, batch(rating(2)));
    await r.waitFor('the hanging batch', () => r.batches.length === 2);
    await r.stop();
    await expect(inFlight).rejects.toThrow('fetch failed');
    await expect(post(r, batch(rating(3)))).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
    await r.stop(); // stopping twice is harmless

    await r.start();
    expect(r.url).toBe(url);
    r.mode = 'ok';
    expect((await post(r, batch(rating(2), rating(3)))).status).toBe(200);
    expect([...r.acknowledged().keys()]).toEqual(['rating-1', 'rating-2', 'rating-3']);
    expect(r.batches.map((b) => b.status)).toEqual([200, 0, 200]);
  });

  it('waitFor resolves once its condition holds and otherwise fails naming what it waited for', async () => {
    const r = await receiver();
    const waiting = r.waitFor('rating-1 acknowledged', () => r.acknowledged().has('rating-1'));
    await post(r, batch(rating(1)));
    await waiting;
    await expect(r.waitFor('rating-9 acknowledged', () => r.acknowledged().has('rating-9'), 100)).rejects.toThrow(
      /timed out after 100 ms waiting for rating-9 acknowledged \(1 POSTs received, 1 records acknowledged/,
    );
  });
});

describe('what it checks in the records', () => {
  it('a recordId that comes back with different content lands in `changed`, in whatever batch and answer it came', async () => {
    const r = await receiver();
    await post(r, batch(rating(1), rating(2), rating(3)));
    // The same record with its keys in another order is the same record.
    const reordered = Object.fromEntries(Object.entries(rating(1)).reverse());
    await post(r, batch(reordered));
    expect(r.changed).toEqual([]);
    r.mode = 'fail';
    await post(r, batch(rating(2, { satisfaction: 4 })));
    r.mode = 'ok';
    await post(r, batch(rating(3, { evalDetail: ['101'] }), rating(4)));
    await post(r, batch(rating(3, { evalDetail: ['102'] })));
    expect(r.changed).toEqual(['rating-2', 'rating-3']);
    // What was acknowledged first stays what acknowledged() reports.
    expect(r.acknowledged().get('rating-3')).toEqual(rating(3));
    expect(r.acknowledged().size).toBe(4);
  });

  it('a record that carries a mobile number, written in any usual way, lands in `phoneLeaks`', async () => {
    const r = await receiver();
    const leaks = [
      rating(1, { writingEvaluation: '请回电13800138000' }),
      rating(2, { writingEvaluation: '电话 138 0013 8000 谢谢' }),
      rating(3, { writingEvaluation: '+86 139-1234-5678' }),
      rating(4, { writingEvaluation: '１３９１２３４５６７８' }),
      rating(5, { proManager: 13912345678 }),
      rating(6, { nested: { note: ['联系 186.1234.5678'] } }),
    ];
    const clean = [
      rating(11, { writingEvaluation: '请回电 138****8000，服务很好' }),
      rating(12, { projectNo: '330106202611230013', taskCode: '11441900MB2C12345X4440111001' }),
      rating(13, { writingEvaluation: '排队等了12分钟，取号 A138' }),
      rating(14, { caseNo: 'CP20261123-0001', closedAt: '2026-11-23T13:08:00+08:00', ratingId: 1380013800 }),
    ];
    expect((await post(r, batch(...leaks, ...clean))).status).toBe(200);
    expect(r.phoneLeaks).toEqual(['rating-1', 'rating-2', 'rating-3', 'rating-4', 'rating-5', 'rating-6']);
    // A leak is a leak whatever was answered: the record has left the server.
    r.mode = 'fail';
    await post(r, batch(rating(20, { writingEvaluation: '15012345678' })));
    expect(r.phoneLeaks).toContain('rating-20');
  });
});

describe('what it refuses', () => {
  it('a wrong, missing or stale signature, or another Content-Type, is 401 and counted, never acknowledged', async () => {
    const r = await receiver();
    const body = batch(rating(1));
    const stale = String(Date.now() - 6 * 60_000);
    const answers = [
      await signedPost(r.url, 'hmac-sha256', 'not-the-secret', body),
      await signedPost(r.url, 'hmac-sm3', SECRET, body),
      await post(r, body, { headers: { 'x-report-signature': '' } }),
      await post(r, body, { timestamp: stale }),
      await post(r, body, { timestamp: String(Date.now() + 6 * 60_000) }),
      await post(r, body, { headers: { 'x-report-timestamp': `${Date.now()}.5` } }),
      await post(r, body, { headers: { 'content-type': 'text/plain' } }),
      await post(r, body, { headers: { 'content-type': 'application/json; charset=gbk' } }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 401, error: 'BadSignature' });
    }
    expect(r.badSignatures).toBe(answers.length);
    expect(r.batches.every((b) => !b.signatureOk && b.status === 401)).toBe(true);
    expect(r.acknowledged().size).toBe(0);
    // Within the window and with a charset it is fine.
    const fresh = await post(r, body, {
      timestamp: String(Date.now() - 4 * 60_000),
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(fresh.status).toBe(200);
    expect(r.badSignatures).toBe(answers.length);
  });

  it('checks the raw bytes: a body that is not the UTF-8 of what was signed is refused even if it decodes to it', async () => {
    const r = await receiver();
    const text = JSON.stringify(batch(rating(1, { writingEvaluation: 'x\uFFFDy' })));
    const ts = String(Date.now());
    const raw = Buffer.from(text.replace('x\uFFFDy', 'x\u0000y'), 'utf8');
    raw[raw.indexOf(0)] = 0xff; // invalid UTF-8 that decodes to U+FFFD
    const res = await fetch(r.url, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-report-timestamp': ts,
        'x-report-signature': createSigner('hmac-sha256', SECRET).sign(ts, text),
      },
    });
    expect(res.status).toBe(401);
    expect(r.badSignatures).toBe(1);
  });

  it('a signed body that is not a report batch is 400: bad JSON, no records, a record without recordId, another appId', async () => {
    const r = await receiver();
    const bodies = [
      '{"appId":"330000-demo","records":[',
      '',
      JSON.stringify({ appId: APP_ID }),
      JSON.stringify([rating(1)]),
      JSON.stringify(batch({ ratingId: 1 })),
      JSON.stringify({ appId: APP_ID, records: [rating(1), 'rating-2'] }),
      JSON.stringify({ appId: 'other-county', records: [rating(1)] }),
    ];
    const errors: string[] = [];
    for (const body of bodies) {
      const res = await post(r, body);
      expect(res.status, body).toBe(400);
      errors.push(((await res.json()) as { error: string }).error);
    }
    expect(errors).toEqual([
      'MalformedJson',
      'MalformedJson',
      'MalformedBatch',
      'MalformedBatch',
      'MalformedBatch',
      'MalformedBatch',
      'UnknownAppId',
    ]);
    expect(r.badSignatures).toBe(0);
    expect(r.acknowledged().size).toBe(0);
    expect(r.batches).toHaveLength(bodies.length);
  });

  it('anything but POST /report is 404 and not a batch', async () => {
    const r = await receiver();
    expect((await fetch(r.url)).status).toBe(404);
    expect((await signedPost(r.url.replace('/report', '/other'), 'hmac-sha256', SECRET, batch(rating(1)))).status).toBe(404);
    expect(r.batches).toHaveLength(0);
  });
});

describe('other signatures and clocks', () => {
  it('sm2: verifies with the public key; an HMAC of the same batch is refused', async () => {
    const { privateKey, publicKey } = smCrypto.sm2.generateKeyPairHex();
    const r = await receiver({ method: 'sm2', key: publicKey });
    expect((await signedPost(r.url, 'sm2', privateKey, batch(rating(1)))).status).toBe(200);
    expect((await signedPost(r.url, 'hmac-sha256', privateKey, batch(rating(2)))).status).toBe(401);
    expect([...r.acknowledged().keys()]).toEqual(['rating-1']);
    expect(r.badSignatures).toBe(1);
  });

  it('hmac-sm3', async () => {
    const r = await receiver({ method: 'hmac-sm3' });
    expect((await signedPost(r.url, 'hmac-sm3', SECRET, batch(rating(1)))).status).toBe(200);
    expect((await post(r, batch(rating(2)))).status).toBe(401);
  });

  it("`now` sets its clock: a sender on the tests' manual clock (T0) is within the window", async () => {
    const r = await receiver({ now: () => T0 });
    expect((await post(r, batch(rating(1)), { timestamp: String(T0 + 60_000) })).status).toBe(200);
    expect((await post(r, batch(rating(2)))).status).toBe(401); // the real clock is days after T0
    expect(r.batches[0]!.at).toBe(T0);
  });
});
