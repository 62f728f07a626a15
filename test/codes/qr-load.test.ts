// QR PNGs as a CPU lever (issue 9, finding 2). A flood of uncached PNGs — every code, every size — is
// drawn by the worker pool, never on the event loop that answers citizens; a size outside the fixed set
// is refused; a large image costs its sender more of the per-address limit; and a full render queue
// answers 503 at once instead of queueing without bound. (How fast ratings stay under such a flood is
// measured in bench/, `npm run bench -- abuse`, never here.)
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as qrCodes from '../../qr-codes/index.js';
import { PNG_PER_MINUTE } from '../../server/modules/codes/print.routes.js';
import { QR_PNG_SIZES } from '../../shared/domain.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { makeCode, makeDepartment } from '../helpers/factories.js';
import { decodePng } from '../helpers/qr-decode.js';
import { startServerProcess, useServerProcesses } from '../helpers/server-process.js';

// Counts every PNG drawn on this (the server's) thread; the worker threads load their own copy.
vi.mock(import('../../qr-codes/index.js'), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, renderQrPng: vi.fn(actual.renderQrPng) };
});

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  vi.mocked(qrCodes.renderQrPng).mockClear();
});

async function appWithCodes(count: number, env: Record<string, string> = {}) {
  t = await makeTestApp({ env });
  const dept = await makeDepartment(t.db);
  const codes: string[] = [];
  for (let i = 0; i < count; i++) codes.push((await makeCode(t.db, { departmentId: dept.id })).id);
  return { t, codes };
}

describe('a flood of uncached QR PNGs', () => {
  it('every code at every size is drawn by a worker thread, never on the event loop, while citizens rate', async () => {
    const { t, codes } = await appWithCodes(4);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;

    // 8 connections, as in the issue, over every (code, size): each request is a cache miss.
    const wanted = codes.flatMap((code) => QR_PNG_SIZES.map((size) => ({ code, size })));
    const pending = [...wanted];
    const images = new Map<string, { status: number; body: Buffer; type: string | null }>();
    const flood = Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = pending.shift(); next; next = pending.shift()) {
          const res = await fetch(`${base}/api/codes/${next.code}/qr.png?size=${next.size}`);
          const body = Buffer.from(await res.arrayBuffer());
          images.set(`${next.code}@${next.size}`, { status: res.status, body, type: res.headers.get('content-type') });
        }
      }),
    );
    // Citizens rate meanwhile, on the same server.
    const ratings = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const res = await fetch(`${base}/api/codes/${codes[i % codes.length]}/ratings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ score: 5, clientId: `flood-device-${i}-0000`, idempotencyKey: `flood-key-${i}-0000` }),
        });
        return res.status;
      }),
    );
    await flood;

    expect(ratings).toEqual(Array(6).fill(201));
    expect(images.size).toBe(wanted.length);
    for (const [key, image] of images) {
      expect(image.status, key).toBe(200);
      expect(image.type, key).toBe('image/png');
    }
    // Drawn by the pool's thread, one image per miss; not once on this thread.
    expect(qrCodes.renderQrPng).not.toHaveBeenCalled();
    const stats = t.services.pngRenderer.stats();
    expect(stats.completed).toBe(wanted.length);
    expect(stats.threadIds).toHaveLength(1);
    expect(stats.threadIds).not.toContain(threadId);
    // The images the worker drew decode to the code's URL, at each size.
    for (const size of QR_PNG_SIZES) {
      const { img, text } = decodePng(images.get(`${codes[0]}@${size}`)!.body);
      expect([img.width, img.height]).toEqual([size, size]);
      expect(text).toBe(`http://test.local/r/${codes[0]}`);
    }

    // Closing the server ends the worker thread.
    await t.app.close();
    expect(t.services.pngRenderer.stats().threadIds).toEqual([]);
  });

  it('a full render queue answers 503 JSON with Retry-After at once, and the image is drawn when asked again', async () => {
    const { t, codes } = await appWithCodes(10, { QR_RENDER_THREADS: '1', QR_RENDER_QUEUE: '1' });
    const first = await Promise.all(codes.map((code) => t.app.inject({ url: `/api/codes/${code}/qr.png?size=1200` })));
    const statuses = first.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    for (const busy of first.filter((r) => r.statusCode === 503)) {
      expect(busy.headers['content-type']).toMatch(/^application\/json/);
      expect(busy.headers['retry-after']).toBe('2');
      expect(busy.json()).toEqual({ error: 'QrRenderBusy', message: '二维码图片生成繁忙，请稍后再试' });
    }
    // A refused image is not cached as a failure: asked again one at a time, each is drawn.
    for (const [i, code] of codes.entries()) {
      if (statuses[i] !== 503) continue;
      const again = await t.app.inject({ url: `/api/codes/${code}/qr.png?size=1200` });
      expect(again.statusCode).toBe(200);
      expect(again.headers['content-type']).toBe('image/png');
    }
    expect(t.services.pngRenderer.stats().completed).toBe(codes.length);
  });
});

describe('the sizes of qr.png and what they cost the sender', () => {
  it('only the fixed sizes are served: any other is 400 naming them', async () => {
    const { t, codes } = await appWithCodes(1);
    for (const size of [128, 300, 1000, 1024, 1500, 2047]) {
      const res = await t.app.inject({ url: `/api/codes/${codes[0]}/qr.png?size=${size}` });
      expect(res.statusCode, `size=${size}`).toBe(400);
      expect(res.json()).toEqual({ error: 'ValidationError', message: '图片尺寸的取值不在允许范围内（可选：256、600、1200、2048）' });
    }
    expect(t.services.pngRenderer.stats().completed).toBe(0);
  });

  it('the per-address limit is weighted by size: the larger the image, the fewer a minute', async () => {
    const { t, codes } = await appWithCodes(1);
    const limits = QR_PNG_SIZES.map((size) => PNG_PER_MINUTE[size]);
    // Strictly fewer for each larger size.
    expect([...limits].sort((a, b) => b - a)).toEqual(limits);
    expect(new Set(limits).size).toBe(limits.length);

    const get = (size: number, remoteAddress = '10.20.30.40') =>
      t.app.inject({ url: `/api/codes/${codes[0]}/qr.png?size=${size}`, remoteAddress });
    for (const size of QR_PNG_SIZES) {
      for (let i = 0; i < PNG_PER_MINUTE[size]; i++) {
        const res = await get(size);
        expect(res.statusCode, `${size} px, request ${i + 1}`).toBe(200);
      }
      const refused = await get(size);
      expect(refused.statusCode, `${size} px, request ${PNG_PER_MINUTE[size] + 1}`).toBe(429);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.json()).toEqual({
        error: 'TooManyRequests',
        message: `${size} 像素的二维码图片每分钟最多 ${PNG_PER_MINUTE[size]} 张，请稍后再试`,
      });
      // Counted per address: another sender still gets the image.
      expect((await get(size, '10.20.30.41')).statusCode).toBe(200);
    }
  });
});

describe('the production server (node --import tsx server/main.ts)', () => {
  const processes = useServerProcesses();

  it('draws PNGs in its worker thread: the image decodes to the code URL', async () => {
    const dir = processes.tempDir('qr-worker-');
    const server = await startServerProcess({ DB_FILE: join(dir, 'app.db'), PUBLIC_BASE_URL: 'https://pingyi.example.gov.cn' });
    const code = /\/r\/([A-Z0-9]+)\s/.exec(server.output())![1]!;
    const res = await fetch(`${server.url}/api/codes/${code}/qr.png?size=1200`);
    expect(res.status).toBe(200);
    const { img, text } = decodePng(Buffer.from(await res.arrayBuffer()));
    expect([img.width, img.height]).toEqual([1200, 1200]);
    expect(text).toBe(`https://pingyi.example.gov.cn/r/${code}`);
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
