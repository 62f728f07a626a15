// Upward reporting's delivery in its own worker thread (REPORT_DELIVERY_THREAD, the default on the wall
// clock): the app as main.ts builds it (system clock, a database file or PostgreSQL), a REAL local
// receiver, and citizens rating while the thread claims, posts and acknowledges. On SQLite the thread's
// own connection writes while the rating path writes on the main one: nothing may be lost, doubled or
// refused, and the app must close while a POST hangs.
import { threadId as mainThreadId } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { buildApp } from '../../server/app.js';
import { createServices, type Services } from '../../server/services.js';
import { freshDatabase, testConfig, writeSql } from '../helpers/app.js';
import { makeWorld, type World } from '../helpers/factories.js';
import { type ReportReceiver, startReportReceiver } from '../helpers/report-receiver.js';

const SECRET = 'province-shared-secret-0123456789';
const APP_ID = 'county-339821';

let receiver: ReportReceiver;
let app: FastifyInstance | null = null;
let services: Services;
let w: World;
let drop: (() => Promise<void>) | null = null;

async function start(env: Record<string, string> = {}) {
  const fresh = await freshDatabase();
  drop = async () => {
    await fresh.db.close();
    await fresh.drop();
  };
  const config = testConfig({ REPORT_URL: receiver.url, REPORT_APP_ID: APP_ID, REPORT_SECRET: SECRET, REPORT_BATCH_SIZE: '40', ...env });
  w = await makeWorld(fresh.db);
  await writeSql(fresh.db, sql`UPDATE departments SET credit_code = '11410000MB0000001A' WHERE id = ${w.deptA.id}`);
  await writeSql(fresh.db, sql`UPDATE departments SET credit_code = '11410000MB0000002B' WHERE id = ${w.deptB.id}`);
  await writeSql(fresh.db, sql`UPDATE org_units SET area_code = '410102000000' WHERE id = ${w.county.id}`);
  // No clock given: the system clock, as main.ts runs it.
  services = await createServices({ config, db: fresh.db });
  app = await buildApp({ services, logger: false });
  await app.ready();
}

beforeEach(async () => {
  receiver = await startReportReceiver({ key: SECRET, appId: APP_ID });
});
afterEach(async () => {
  await app?.close();
  app = null;
  await drop?.();
  drop = null;
  await receiver.close();
});

/** A citizen's rating from an address and device of its own (no limit or burst rule is involved). */
const rate = (i: number) =>
  app!.inject({
    method: 'POST',
    url: `/api/codes/${i % 2 ? w.codeA.id : w.codeB.id}/ratings`,
    payload: { score: 3 + (i % 3), clientId: `thread-device-${i}-0123456789`, idempotencyKey: `thread-key-${i}-0123456789` },
    remoteAddress: `10.${(i >> 8) & 255}.${i & 255}.7`,
  });
const outboxStates = async () =>
  Object.fromEntries(
    (
      await rows<{ state: string; n: number }>(
        services.db,
        sql`SELECT state, count(*) AS n FROM report_outbox GROUP BY state ORDER BY state`,
      )
    ).map((r) => [r.state, Number(r.n)]),
  );

describe('report delivery in its own thread', () => {
  it('is the default on the wall clock, delivers from another thread, and loses or doubles nothing while citizens rate', async () => {
    await start();
    const delivery = services.reportDelivery!;
    expect(delivery).toHaveProperty('threadId');
    const ids: number[] = [];
    const runs: Array<Promise<unknown>> = [];
    // Six waves of 40 concurrent ratings, a delivery run asked for during each: the thread claims and
    // acknowledges on its connection while the rating path commits on the main one.
    for (let wave = 0; wave < 6; wave++) {
      runs.push(delivery.deliverDue());
      const answers = await Promise.all(Array.from({ length: 40 }, (_, k) => rate(wave * 40 + k)));
      for (const res of answers) {
        expect(res.statusCode, res.body).toBe(201);
        ids.push(res.json().id);
      }
    }
    await Promise.all(runs);
    expect(delivery.threadId?.()).toEqual(expect.any(Number));
    expect(delivery.threadId?.()).not.toBe(mainThreadId);
    // On SQLite the thread only reads: its outcomes were written by the main thread, one per POST.
    if (services.db.driver === 'sqlite') expect(delivery.stats?.().writes).toBe(receiver.batches.length);
    // Whatever arrived after the last run's claim goes in the next runs.
    for (let i = 0; i < 20 && (await outboxStates()).pending; i++) await delivery.deliverDue();

    expect(await outboxStates()).toEqual({ acked: ids.length });
    expect([...receiver.acknowledged().keys()].sort()).toEqual(ids.map((id) => `rating-${id}`).sort());
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.changed).toEqual([]);
    // The thread wrote its batches' log on its own connection: one row per POST it made.
    const [logged] = await rows<{ n: number }>(services.db, sql`SELECT count(*) AS n FROM report_batches`);
    expect(Number(logged!.n)).toBe(receiver.batches.length);
  });

  it('closes while a POST hangs: the rating path is not blocked, and the records are sent after a restart', async () => {
    await start({ REPORT_TIMEOUT_MS: '60000' });
    const first = await rate(1);
    expect(first.statusCode).toBe(201);
    receiver.mode = 'hang';
    const run = services.reportDelivery!.deliverDue();
    run.catch(() => undefined);
    await receiver.waitFor('the POST to arrive', () => receiver.batches.length === 1);
    // The thread waits for an answer; citizens still rate (no write turn is held across the POST).
    const second = await rate(2);
    expect(second.statusCode).toBe(201);

    // Closing cuts the hanging POST (not after its 60 s timeout): a failed attempt, written as such.
    await services.reportDelivery!.close();
    expect(await rows(services.db, sql`SELECT state, attempts FROM report_outbox WHERE rating_id = ${first.json().id}`)).toEqual([
      { state: 'pending', attempts: 1 },
    ]);
    // A new thread (asked for the next run) sends both once the 1 s backoff has passed, once each.
    receiver.mode = 'ok';
    let acked = 0;
    for (let i = 0; i < 30 && acked < 2; i++) {
      acked += (await services.reportDelivery!.deliverDue()).acked;
      if (acked < 2) await new Promise((r) => setTimeout(r, 200));
    }
    expect(acked).toBe(2);
    expect([...receiver.acknowledged().keys()].sort()).toEqual([`rating-${first.json().id}`, `rating-${second.json().id}`].sort());
  });

  it('runs on the event loop with REPORT_DELIVERY_THREAD=false', async () => {
    await start({ REPORT_DELIVERY_THREAD: 'false' });
    expect(services.reportDelivery).not.toHaveProperty('threadId');
    const res = await rate(3);
    expect(await services.reportDelivery!.deliverDue()).toMatchObject({ acked: 1 });
    expect([...receiver.acknowledged().keys()]).toEqual([`rating-${res.json().id}`]);
  });
});
