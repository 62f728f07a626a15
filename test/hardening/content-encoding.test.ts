// Issue 12, finding 9: a request body's Content-Encoding is decoded when the server knows it (gzip,
// deflate, br) and answered 415 otherwise — on the rating route as on every other — never read as
// plain JSON (x-bogus was accepted) nor refused as bad JSON (gzip was a 400).
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();

const rating = (n: number) => JSON.stringify({ score: 5, clientId: `client-enc-${n}`, idempotencyKey: `key-enc-0000${n}` });

async function storedRatings(): Promise<number> {
  return Number((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n);
}

function post(url: string, body: Buffer | string, encoding?: string) {
  return t.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: { 'content-type': 'application/json', ...(encoding ? { 'content-encoding': encoding } : {}) },
  });
}

describe('request Content-Encoding', () => {
  it('answers 415 with the error body to an encoding the server does not decode, and stores nothing', async () => {
    for (const encoding of ['x-bogus', 'compress', 'gzip, x-bogus']) {
      const res = await post(`/api/codes/${w.codeA.id}/ratings`, rating(1), encoding);
      expect(res.statusCode, encoding).toBe(415);
      expect(res.json(), encoding).toEqual({ error: 'UnsupportedContentEncoding', message: expect.stringContaining('不支持') });
    }
    // The same answer on a route of the staff app.
    const login = await post('/api/auth/login', JSON.stringify({ username: 'nobody', password: 'x' }), 'x-bogus');
    expect(login.statusCode).toBe(415);
    expect(login.json().error).toBe('UnsupportedContentEncoding');
    expect(await storedRatings()).toBe(0);
  });

  it('decodes gzip, deflate and br bodies and stores the rating', async () => {
    const encoders: Array<[string, (b: Buffer) => Buffer]> = [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ];
    let n = 0;
    for (const [encoding, encode] of encoders) {
      const res = await post(`/api/codes/${w.codeA.id}/ratings`, encode(Buffer.from(rating(++n))), encoding);
      expect(res.statusCode, encoding).toBe(201);
      expect(res.json().id, encoding).toBeDefined();
    }
    // Plain and `identity` bodies as before.
    expect((await post(`/api/codes/${w.codeB.id}/ratings`, rating(++n))).statusCode).toBe(201);
    expect((await post(`/api/codes/${w.codeC.id}/ratings`, rating(++n), 'identity')).statusCode).toBe(201);
    // Content codings are case-insensitive.
    expect((await post(`/api/codes/${w.codeC.id}/ratings`, gzipSync(Buffer.from(rating(++n))), 'GZIP')).statusCode).toBe(201);
    expect(await storedRatings()).toBe(6);
  });

  it('answers 400 to a body that does not decode and 413 to one that decodes past the body limit, never 500', async () => {
    const broken = await post(`/api/codes/${w.codeA.id}/ratings`, Buffer.from('not gzip at all'), 'gzip');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual({ error: 'InvalidContentEncoding', message: expect.any(String) });
    // 1 MB of spaces is a valid JSON prefix and gzips to ~1 KB: the limit counts decoded bytes.
    const bomb = gzipSync(Buffer.from(`${' '.repeat(1024 * 1024)}${rating(9)}`));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const big = await post(`/api/codes/${w.codeA.id}/ratings`, bomb, 'gzip');
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('PayloadTooLarge');
    expect(await storedRatings()).toBe(0);
  });
});
