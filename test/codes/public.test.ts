import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { QR_PNG_SIZES } from '../../shared/domain.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { makeCode, makeDepartment, makeWorld } from '../helpers/factories.js';
import { decodePng, decodeSvg } from '../helpers/qr-decode.js';

let t: TestApp;
afterEach(() => t.close());

const CODES = ['ABC234', 'K7M9PQ', '23456789ABCD', 'ZZZZ'];

async function appWithCodes(env: Record<string, string> = {}) {
  t = await makeTestApp({ env });
  const dept = await makeDepartment(t.db, { name: '县公安局' });
  for (const id of CODES) await makeCode(t.db, { departmentId: dept.id, id, location: `县政务服务中心 A区 ${id}号窗口` });
  return dept;
}

describe('QR images decode to exactly {PUBLIC_BASE_URL}/r/{code}', () => {
  for (const base of ['http://test.local', 'https://pingyi.example.gov.cn/county']) {
    it(`SVG and PNG served over HTTP, several codes, PUBLIC_BASE_URL=${base}`, async () => {
      await appWithCodes({ PUBLIC_BASE_URL: base });
      for (const code of CODES) {
        const svg = await t.app.inject({ url: `/api/codes/${code}/qr.svg` });
        expect(svg.statusCode).toBe(200);
        expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
        expect(decodeSvg(svg.body)).toBe(`${base}/r/${code}`);

        const png = await t.app.inject({ url: `/api/codes/${code}/qr.png` });
        expect(png.statusCode).toBe(200);
        expect(png.headers['content-type']).toBe('image/png');
        const { img, text } = decodePng(png.rawPayload);
        expect([img.width, img.height]).toEqual([600, 600]);
        expect(text).toBe(`${base}/r/${code}`);
      }
    });
  }

  it('a lower-case code serves the image of the canonical code', async () => {
    await appWithCodes();
    const res = await t.app.inject({ url: '/api/codes/k7m9pq/qr.svg' });
    expect(res.statusCode).toBe(200);
    expect(decodeSvg(res.body)).toBe('http://test.local/r/K7M9PQ');
  });

  it('?size= sets the PNG size, one of 256, 600, 1200, 2048, and still decodes', async () => {
    await appWithCodes();
    for (const size of QR_PNG_SIZES) {
      const res = await t.app.inject({ url: `/api/codes/ABC234/qr.png?size=${size}` });
      expect(res.statusCode).toBe(200);
      const { img, text } = decodePng(res.rawPayload);
      expect([img.width, img.height]).toEqual([size, size]);
      expect(text).toBe('http://test.local/r/ABC234');
    }
  });

  it('absurd sizes are 400 JSON', async () => {
    await appWithCodes();
    for (const size of ['0', '127', '2049', '600.5', 'abc', '-600', '1e9', '99999999999999999999', '']) {
      const res = await t.app.inject({ url: `/api/codes/ABC234/qr.png?size=${size}` });
      expect(res.statusCode, `size=${size}`).toBe(400);
      expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }
  });

  it('a size outside the fixed set is 400, naming the sizes there are', async () => {
    await appWithCodes();
    for (const size of [128, 300, 601, 1000, 1024, 1500, 2047]) {
      const res = await t.app.inject({ url: `/api/codes/ABC234/qr.png?size=${size}` });
      expect(res.statusCode, `size=${size}`).toBe(400);
      expect(res.json()).toEqual({ error: 'ValidationError', message: '图片尺寸的取值不在允许范围内（可选：256、600、1200、2048）' });
    }
  });
});

describe('a code image never changes: strong ETag, immutable, 304', () => {
  for (const [kind, url] of [
    ['svg', '/api/codes/ABC234/qr.svg'],
    ['png', '/api/codes/ABC234/qr.png?size=256'],
  ] as const) {
    it(`${kind}: same ETag every time, 304 on If-None-Match, immutable cache headers`, async () => {
      await appWithCodes();
      const first = await t.app.inject({ url });
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const again = await t.app.inject({ url });
      expect(again.headers.etag).toBe(etag);
      expect(again.rawPayload.equals(first.rawPayload)).toBe(true);

      for (const header of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
        const cached = await t.app.inject({ url, headers: { 'if-none-match': header } });
        expect(cached.statusCode, header).toBe(304);
        expect(cached.body).toBe('');
        expect(cached.headers.etag).toBe(etag);
      }
      const stale = await t.app.inject({ url, headers: { 'if-none-match': '"something-else"' } });
      expect(stale.statusCode).toBe(200);
    });
  }

  it('different codes and sizes have different ETags', async () => {
    await appWithCodes();
    const tags = await Promise.all(
      ['/api/codes/ABC234/qr.svg', '/api/codes/K7M9PQ/qr.svg', '/api/codes/ABC234/qr.png', '/api/codes/ABC234/qr.png?size=1200'].map(
        async (url) => (await t.app.inject({ url })).headers.etag,
      ),
    );
    expect(new Set(tags).size).toBe(4);
  });

  it('concurrent first requests for one PNG get the same bytes', async () => {
    await appWithCodes();
    const [a, b] = await Promise.all([
      t.app.inject({ url: '/api/codes/ZZZZ/qr.png?size=256' }),
      t.app.inject({ url: '/api/codes/ZZZZ/qr.png?size=256' }),
    ]);
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);
    expect(PNG.sync.read(a.rawPayload).width).toBe(256);
  });
});

describe('GET /api/codes/{code} (public)', () => {
  it('answers the public info without login, and only the public fields', async () => {
    t = await makeTestApp();
    const w = await makeWorld(t.db);
    const res = await t.app.inject({ url: `/api/codes/${w.codeA.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      code: w.codeA.id,
      departmentName: w.deptA.name,
      location: w.codeA.location,
      staffName: null,
      serviceItems: [],
      active: true,
    });
  });

  it('a disabled code says so (active: false) and still serves its printed image', async () => {
    t = await makeTestApp();
    const dept = await makeDepartment(t.db);
    await makeCode(t.db, { departmentId: dept.id, id: 'QFF234', active: false });
    const info = await t.app.inject({ url: '/api/codes/QFF234' });
    expect(info.statusCode).toBe(200);
    expect(info.json().active).toBe(false);
    const svg = await t.app.inject({ url: '/api/codes/QFF234/qr.svg' });
    expect(svg.statusCode).toBe(200);
    expect(decodeSvg(svg.body)).toBe('http://test.local/r/QFF234');
  });

  it('unknown and malformed codes are 4xx JSON, never 500', async () => {
    t = await makeTestApp();
    const bad = [
      'ZZZZZZ',
      '..%2Fetc',
      '..%2F..%2Fetc%2Fpasswd',
      '%00',
      'ABC%00234',
      'A'.repeat(300),
      'B'.repeat(70),
      '%E8%AF%84%E8%AE%AE',
      'O0O0O0',
      '%20',
      "'%20OR%201=1--",
    ];
    for (const code of bad) {
      for (const suffix of ['', '/qr.svg', '/qr.png', '/qr.png?size=256']) {
        const res = await t.app.inject({ url: `/api/codes/${code}${suffix}` });
        expect([400, 404, 414], `${code}${suffix}`).toContain(res.statusCode);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
      const beacon = await t.app.inject({ method: 'POST', url: `/api/codes/${code}/opened` });
      expect([400, 404, 414], `${code}/opened`).toContain(beacon.statusCode);
      expect(beacon.json()).toMatchObject({ error: expect.any(String) });
    }
    const unknown = await t.app.inject({ url: '/api/codes/ZZZZZZ' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'CodeNotFound', message: '评议码不存在' });
  });
});
