import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';

// Random input against the public (no-login) routes: never a 5xx, never a row from a rejected request.
let t: TestApp;
let w: Awaited<ReturnType<typeof makeWorld>>;
beforeAll(async () => {
  t = await makeTestApp();
  w = await makeWorld(t.db);
  // the per-network limit is not under test here (a platform-wide value: the top-level administrator's)
  await t.services.settings.update((await t.services.auth.resolveActor(w.cityAdmin.id))!, {
    limits: {
      perCodeMinutes: 30,
      perDevicePerDay: 20,
      networkPerMinute: 100000,
      burstWindowMinutes: 10,
      burstPerNetwork: 60,
      burstPerDevice: 5,
    },
  });
});
afterAll(() => t.close());

const ratingCount = async () => (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n;
const caseCount = async () => (await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM cases`))!.n;

const anyJson = fc.jsonValue({ maxDepth: 3 });
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 600 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '<script>alert(1)</script>',
    '𠀀'.repeat(300),
    "'; DROP TABLE ratings; --",
    '13800138000',
    '1'.repeat(5000),
  ),
);
const field = fc.oneof(anyJson, nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nasty, { maxLength: 20 }));
const ratingBody = fc.record(
  {
    score: fc.oneof(fc.integer({ min: -3, max: 8 }), field),
    tags: fc.oneof(fc.array(fc.constantFrom('服务态度差', '态度热情', '其他', 'x'), { maxLength: 5 }), field),
    comment: field,
    phone: fc.oneof(fc.constantFrom('13800138000', '138 0013 8000', '+8613800138000', '2380013800'), field),
    consent: fc.oneof(fc.boolean(), field),
    clientId: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 40 }), field),
    idempotencyKey: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 40 }), field),
    extra: field,
  },
  { requiredKeys: [] },
);

describe('fuzzing the public routes', () => {
  it('POST /api/codes/{code}/ratings with random JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(ratingBody, fc.constantFrom(w.codeA.id, w.codeB.id, 'ZZZZZZ', 'abc', '%2e%2e'), async (body, code) => {
        const before = await ratingCount();
        const casesBefore = await caseCount();
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/codes/${code}/ratings`,
          payload: body as object,
          remoteAddress: '10.2.3.4',
        });
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/json');
        const json = res.json();
        if (res.statusCode >= 400) {
          expect(json).toEqual({ error: expect.any(String), message: expect.any(String) });
          expect(await ratingCount()).toBe(before);
          expect(await caseCount()).toBe(casesBefore);
        } else if (res.statusCode === 201) {
          expect(await ratingCount()).toBe(before + 1);
        } else {
          expect(await ratingCount()).toBe(before);
        }
      }),
      { numRuns: 400, seed: 20261122 },
    );
  });

  it('raw, malformed and huge bodies and odd content types', async () => {
    const raw = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('{', '{"score":5', '[]', 'null', '5', '"x"', '{"score":5}}', '\u0000', '{"__proto__":{"x":1},"score":5}'),
      fc.constant(JSON.stringify({ score: 5, comment: 'x'.repeat(40_000) })),
    );
    const types = fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=gbk',
    );
    await fc.assert(
      fc.asyncProperty(raw, types, async (payload, type) => {
        const before = await ratingCount();
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/codes/${w.codeA.id}/ratings`,
          payload,
          headers: { 'content-type': type },
        });
        expect(res.statusCode, `${type} ${payload.slice(0, 80)} → ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
          expect(await ratingCount()).toBe(before);
        }
      }),
      { numRuns: 250, seed: 7 },
    );
  });

  it('GET routes with random path and query values', async () => {
    const seg = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom('..', '%00', '%', '%zz', 'A'.repeat(300), w.codeA.id, w.codeA.id.toLowerCase()),
    );
    const routes = (s: string) => [
      `/api/codes/${encodeURIComponent(s)}`,
      `/api/codes/${encodeURIComponent(s)}/qr.svg`,
      `/api/codes/${w.codeA.id}/qr.png?size=${encodeURIComponent(s)}`,
      `/r/${encodeURIComponent(s)}`,
      `/s/${encodeURIComponent(s)}`,
      `/api/public/rankings?month=${encodeURIComponent(s)}`,
      `/api/public/cases/${encodeURIComponent(s)}`,
    ];
    await fc.assert(
      fc.asyncProperty(seg, async (s) => {
        for (const url of routes(s)) {
          const res = await t.app.inject({ url });
          expect(res.statusCode, `${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          if (url.startsWith('/api/') && res.statusCode >= 400) {
            expect(res.json()).toEqual({ error: expect.any(String), message: expect.any(String) });
          }
        }
      }),
      { numRuns: 120, seed: 11 },
    );
  });
});
