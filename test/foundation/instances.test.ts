// Several instances on one database (docs/operations.md): periodic jobs run once per period across
// them, and a change made through one instance reaches the others' caches at their next sync (≤ 1 s).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { countWrites } from '../../db/statement-count.js';
import { runJobOnce } from '../../server/lib/instances.js';
import { bearerFor, driverUnderTest, type TestApp } from '../helpers/app.js';
import { makeRating, useTwoInstances } from '../helpers/factories.js';

/** Two app instances on one database (their own connections, caches and clocks). */
const twoInstances = useTwoInstances();

const syncOf = (t: TestApp) => t.services.jobs.find((j) => j.name === 'caches.sync')!;

describe('several instances on one database', () => {
  it('a periodic job runs once per period, whichever instance asks first', async () => {
    const { a, b } = await twoInstances();
    let runs = 0;
    const job = { name: 'test.job', everyMs: 60_000, run: () => runs++ };
    expect(await runJobOnce(a.db, a.clock, job)).toBe(true);
    expect(await runJobOnce(b.db, b.clock, job)).toBe(false);
    b.clock.advance(30_000);
    expect(await runJobOnce(b.db, b.clock, job)).toBe(false);
    b.clock.advance(30_000);
    expect(await runJobOnce(b.db, b.clock, job)).toBe(true);
    expect(await runJobOnce(a.db, a.clock, { ...job })).toBe(false);
    expect(runs).toBe(2);
    // Cache upkeep runs on every instance.
    expect(await runJobOnce(a.db, a.clock, syncOf(a))).toBe(true);
    expect(await runJobOnce(b.db, b.clock, syncOf(b))).toBe(true);
  });

  it('a settings change on one instance reaches the other at its next cache sync', async () => {
    const { a, b, w } = await twoInstances();
    expect(b.services.settings.get().limits.perCodeMinutes).toBe(30);
    const res = await a.app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: bearerFor(a.app, w.cityAdmin),
      payload: { limits: { ...a.services.settings.get().limits, perCodeMinutes: 45 } },
    });
    expect(res.statusCode).toBe(200);
    expect(b.services.settings.get().limits.perCodeMinutes).toBe(30);
    await syncOf(b).run();
    expect(b.services.settings.get().limits.perCodeMinutes).toBe(45);
  });

  it('a code changed on one instance shows on the other after its next cache sync', async () => {
    const { a, b, w } = await twoInstances();
    expect((await b.app.inject({ url: `/api/codes/${w.codeA.id}` })).json().location).toBe(w.codeA.location);
    const res = await a.app.inject({
      method: 'PATCH',
      url: `/api/codes/${w.codeA.id}`,
      headers: bearerFor(a.app, w.admin),
      payload: { location: '县政务服务中心 新址 1号窗口' },
    });
    expect(res.statusCode).toBe(200);
    await syncOf(b).run();
    expect((await b.app.inject({ url: `/api/codes/${w.codeA.id}` })).json().location).toBe('县政务服务中心 新址 1号窗口');
  });

  // One SQLite file is served by one process; several instances share a PostgreSQL database.
  it.skipIf(driverUnderTest !== 'pg')(
    'a webhook notice is sent once when two instances run the delivery job at the same time',
    async () => {
      // The receiver listens on 127.0.0.1, which a webhook may only reach with WEBHOOK_ALLOW_PRIVATE=true.
      const { a, b, w } = await twoInstances({ WEBHOOK_ALLOW_PRIVATE: 'true' });
      // A slow receiver: each instance's run is still posting when the other one looks for due notices.
      const bodies: string[] = [];
      const receiver = createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c));
        req.on('end', () => {
          bodies.push(raw);
          setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}'), 300);
        });
      });
      await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
      try {
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/send`;
        const created = await a.app.inject({
          method: 'POST',
          url: '/api/webhooks',
          headers: bearerFor(a.app, w.admin),
          payload: { name: '督查群', kind: 'wecom', url, events: ['bad_rating'] },
        });
        expect(created.statusCode, created.body).toBe(201);
        for (let i = 0; i < 3; i++) await makeRating(a.services, { codeId: w.codeA.id, score: 1, comment: `差评 ${i}` });
        const [ra, rb] = await Promise.all([a.services.notifications.deliverDue(), b.services.notifications.deliverDue()]);
        expect(ra.delivered + rb.delivered).toBe(3);
        expect(ra.attempted + rb.attempted).toBe(3);
        expect(bodies).toHaveLength(3);
        expect(new Set(bodies).size).toBe(3);
      } finally {
        await new Promise<void>((ok) => receiver.close(() => ok()));
      }
    },
  );

  it.skipIf(driverUnderTest !== 'pg')('a device cannot rate one window twice in 30 minutes by alternating instances', async () => {
    const { a, b, w } = await twoInstances();
    const rate = (t: TestApp, key: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeA.id}/ratings`,
        payload: { score: 5, clientId: 'alternating-device-1', idempotencyKey: key },
      });
    expect((await rate(a, 'alternate-key-1')).statusCode).toBe(201);
    const second = await rate(b, 'alternate-key-2');
    expect(second.statusCode).toBe(429);
    expect(second.json().error).toBe('RatedRecently');
    // The same retry (same key) through the other instance is the stored rating, not a second one.
    const retry = await rate(b, 'alternate-key-1');
    expect(retry.statusCode).toBe(200);
  });

  it.skipIf(driverUnderTest !== 'pg')('requests arriving together are counted together, and each exactly once', async () => {
    const { a, w } = await twoInstances();
    const limits = { ...a.services.settings.get().limits, networkPerMinute: 10 };
    expect(
      (await a.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearerFor(a.app, w.cityAdmin), payload: { limits } }))
        .statusCode,
    ).toBe(200);
    const counted = countWrites(a.db, { filter: (s) => /rate_limit_hits/.test(s) });
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        a.app.inject({
          method: 'POST',
          url: `/api/codes/${w.codeA.id}/ratings`,
          remoteAddress: '10.8.8.8',
          payload: { score: 5, clientId: `together-device-${i}` },
        }),
      ),
    ).then((answers) => answers.map((r) => r.statusCode));
    counted.stop();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    // Sixteen requests, far fewer statements: the ones of one event-loop turn share one.
    expect(counted.count).toBeLessThan(16);
  });

  it.skipIf(driverUnderTest !== 'pg')('the per-network rate limit counts the requests of every instance together', async () => {
    const { a, b, w } = await twoInstances();
    const limits = { ...a.services.settings.get().limits, networkPerMinute: 10 };
    expect(
      (await a.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearerFor(a.app, w.cityAdmin), payload: { limits } }))
        .statusCode,
    ).toBe(200);
    await syncOf(b).run();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t = i % 2 === 0 ? a : b;
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeA.id}/ratings`,
        remoteAddress: '10.7.7.7',
        payload: { score: 5, clientId: `shared-limit-device-${i}` },
      });
      statuses.push(res.statusCode);
    }
    // Ten in the minute from that network, whichever instance took them; then 429 on both.
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
