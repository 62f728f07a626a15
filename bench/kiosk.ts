// Part `kiosk` — 评价器: a tablet at every window of the demo county (308) holds its event stream open on
// the real listening server; 办件 are then finished one at a time by a plain database write (as any
// instance, or anything else, would write them) and the time until the window's tablet has the
// `matter` event is measured. The goal is docs/api.md's: within 2 s. Also the cost of the one poll
// statement that serves every connected tablet, over a matters table of 200 000 older 办件.
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { exec, rows as rawRows } from '../db/client.js';
import * as q from '../db/queries/kiosks.js';
import { matters } from '../db/schema.js';
import { chinaDay } from '../shared/china-time.js';
import { listen, makeBenchApp, tempDir } from './lib/fixture.js';
import { benchCluster, freshPgDatabase } from './lib/postgres.js';
import { percentile, type Row, row } from './lib/results.js';

export interface KioskOptions {
  driver: 'sqlite' | 'pg';
  /** 办件 finished one after another while every tablet listens. */
  rounds: number;
  log: (msg: string) => void;
}

const OLD_MATTERS = 200_000;
const DELIVERY_GOAL_MS = 2_000;

interface Tablet {
  code: string;
  /** projectNo → when its `matter` event arrived (performance.now()). */
  arrived: Map<string, number>;
  waiters: Map<string, () => void>;
  ready: Promise<void>;
  close(): void;
}

async function openTablet(base: string, token: string, code: string): Promise<Tablet> {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/k/${token}/events`, { signal: ctrl.signal });
  if (res.status !== 200) throw new Error(`stream of ${code} answered ${res.status}`);
  const tablet = { code, arrived: new Map(), waiters: new Map(), close: () => ctrl.abort() } as Omit<Tablet, 'ready'> as Tablet;
  let ready: () => void = () => undefined;
  tablet.ready = new Promise<void>((resolve) => {
    ready = resolve;
  });
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith('event: kiosk')) ready();
          const m = /^event: matter\ndata: (.*)$/m.exec(block);
          if (m) {
            const projectNo = (JSON.parse(m[1]!) as { projectNo: string }).projectNo;
            tablet.arrived.set(projectNo, performance.now());
            tablet.waiters.get(projectNo)?.();
          }
        }
      }
    } catch {
      /* closed */
    }
  })();
  return tablet;
}

export async function runKiosk(opts: KioskOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const tmp = tempDir('kiosk');
  let dropDatabase: (() => Promise<void>) | null = null;
  let dbFile = join(tmp.dir, 'app.db');
  if (opts.driver === 'pg') {
    const cluster = await benchCluster();
    if (!cluster) throw new Error('kiosk-pg: PostgreSQL is not installed');
    const database = await freshPgDatabase(cluster, 'kiosk');
    dropDatabase = database.drop;
    dbFile = database.url;
  }
  // One address for all tablets here, as a hall behind one NAT address without a proxy would be.
  const t = await makeBenchApp({
    dbFile,
    logger: 'production',
    logFile: join(tmp.dir, 'server.log'),
    env: { MAX_CONNECTIONS_PER_ADDRESS: '2000' },
  });
  const tablets: Tablet[] = [];
  try {
    const now = Date.now();
    // Older 办件 over the last 60 days: the poll must find the recent ones through the index, not by reading these.
    let seq = 0;
    const old = (i: number) => {
      const code = t.codes[i % t.codes.length]!;
      const finishedAt = now - 10 * 60_000 - Math.floor((i / OLD_MATTERS) * 60 * 86_400_000);
      return {
        projectNo: `BENCH-OLD-${++seq}`,
        codeId: code.id,
        departmentId: code.departmentId,
        taskCode: 'BENCH',
        taskName: '个体工商户设立登记',
        status: 'finished' as const,
        acceptedAt: finishedAt - 3600_000,
        finishedAt,
        finishedDay: chinaDay(finishedAt),
        createdAt: finishedAt,
        updatedAt: finishedAt,
      };
    };
    for (let i = 0; i < OLD_MATTERS; i += 5_000) {
      const batch = Array.from({ length: Math.min(5_000, OLD_MATTERS - i) }, (_, j) => old(i + j));
      await t.db.transaction(async (tx) => {
        for (let k = 0; k < batch.length; k += 500) await tx.insert(matters).values(batch.slice(k, k + 500));
      });
    }
    if (opts.driver === 'pg') await exec(t.db, sql`ANALYZE matters`);
    opts.log(`kiosk: ${OLD_MATTERS} older 办件 written`);
    // Those writes held the event loop for seconds: the load shedding (as in production) would answer
    // the first streams 503 until its next samples.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const base = await listen(t.app);
    const ids: number[] = [];
    for (const code of t.codes) {
      const k = await t.services.kiosks.provision(t.admin, code.id);
      ids.push(k.id);
      tablets.push(await openTablet(base, k.url.split('/k/')[1]!, code.id));
    }
    await Promise.all(tablets.map((tb) => tb.ready));
    opts.log(`kiosk: ${tablets.length} tablets connected`);

    // The poll statement alone, for every tablet at once.
    const pollMs: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await q.pollKiosks(t.db, ids, Date.now() - 5 * 60_000);
      pollMs.push(performance.now() - t0);
    }
    pollMs.sort((a, b) => a - b);
    // How the database runs it (PostgreSQL: the statement as the app sends it, translated).
    const since = Date.now() - 5 * 60_000;
    const plan =
      opts.driver === 'pg'
        ? (
            await rawRows<{ 'QUERY PLAN': string }>(
              t.db,
              sql`EXPLAIN SELECT k.id FROM kiosks k JOIN codes c ON c.id = k.code_id
                LEFT JOIN matters m ON m.code_id = k.code_id AND m.finished_at >= ${since} AND m.status = 'finished'
                LEFT JOIN departments d ON d.id = m.department_id
                WHERE k.id IN (SELECT value::bigint FROM json_array_elements_text(${JSON.stringify(ids)}::json) AS j(value))`,
            )
          ).map((r) => r['QUERY PLAN'])
        : [];
    for (const line of plan) opts.log(`kiosk: plan ${line}`);

    const delivery: number[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      const tablet = tablets[(i * 37) % tablets.length]!;
      const code = t.codes.find((c) => c.id === tablet.code)!;
      const projectNo = `BENCH-NEW-${i}`;
      const arrived = new Promise<void>((resolve) => tablet.waiters.set(projectNo, resolve));
      const at = Date.now();
      await t.db.transaction(async (tx) => {
        await tx
          .insert(matters)
          .values({ ...old(0), projectNo, codeId: code.id, departmentId: code.departmentId, finishedAt: at, finishedDay: chinaDay(at) });
      });
      const committed = performance.now();
      await arrived;
      delivery.push(tablet.arrived.get(projectNo)! - committed);
      // Spread the writes over the poll period.
      await new Promise((resolve) => setTimeout(resolve, 100 + ((i * 131) % 700)));
    }
    delivery.sort((a, b) => a - b);
    const r1 = (v: number) => Math.round(v * 10) / 10;
    opts.log(
      `kiosk: delivery p50 ${r1(percentile(delivery, 50))} ms, max ${r1(delivery.at(-1)!)} ms; poll p50 ${r1(percentile(pollMs, 50))} ms`,
    );
    const name = `评价器: ${tablets.length} tablets, ${OLD_MATTERS.toLocaleString('en-US')} older 办件 (${opts.driver === 'pg' ? 'PostgreSQL' : 'SQLite'})`;
    const part = opts.driver === 'pg' ? 'kiosk-pg' : 'kiosk';
    const rows = [
      row(part, name, '办结 → matter event p50', r1(percentile(delivery, 50)), 'ms'),
      row(part, name, '办结 → matter event p95', r1(percentile(delivery, 95)), 'ms'),
      row(part, name, '办结 → matter event max', r1(delivery.at(-1)!), 'ms', { op: '<=', limit: DELIVERY_GOAL_MS }),
      row(part, name, 'poll statement (all tablets) p50', r1(percentile(pollMs, 50)), 'ms'),
      row(part, name, 'poll statement (all tablets) p95', r1(percentile(pollMs, 95)), 'ms'),
    ];
    return { rows, raw: { tablets: tablets.length, rounds: opts.rounds, deliveryMs: delivery.map(r1), pollMs: pollMs.map(r1), plan } };
  } finally {
    for (const tb of tablets) tb.close();
    await t.close();
    await dropDatabase?.();
    tmp.remove();
  }
}
