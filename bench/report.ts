// Part `report` (`report-pg` on PostgreSQL) — upward reporting (issue 13): "Reporting must not slow
// the rating path: ingest with reporting on (receiver on the same machine) ≥ 0.9 × ingest with it off,
// in the same run; a backlog of 1 M records drains at ≥ 5,000 records/s to a local receiver."
//  1. Ingest on vs off: ingest (c)'s load — the window-code POST with the citizen page's bodies, 10
//     networks — against the production app without REPORT_URL (off) and with REPORT_URL pointing at
//     a receiver in a child process (on), the app's periodic jobs started as server/main.ts starts them
//     (so the delivery job drains every 2 s while the ratings come in), interleaved off/on, on/off …
//     round by round. After each "on" measurement the outbox must drain: every stored rating
//     acknowledged once, none changed.
//  2. A backlog of `backlog` (1 M) pending records — a year of ratings generated as the dashboards part
//     does (lib/generate.ts), each with its outbox row — drained by calling deliverDue() until nothing
//     is pending; per REPORT_BATCH_SIZE, records/s and where the time went (lib/drain-profile.ts).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { type Db, openPgDb, statement, writerOf } from '../db/client.js';
import { migrateDb } from '../db/migrate.js';
import { claimDue } from '../db/queries/reporting.js';
import { runJobOnce } from '../server/lib/instances.js';
import type { DeliveryThreadStats } from '../server/modules/reporting/delivery-thread.js';
import type { Services } from '../server/services.js';
import { SETTINGS_DEFAULTS } from '../shared/api/settings.js';
import { chinaDay } from '../shared/china-time.js';
import { creditCheckChar, orgCheckChar } from '../shared/report-codes.js';
import { mainThreadCpuSeconds, procCpuSeconds, selfCpuSeconds } from './lib/cpu.js';
import { type DrainBreakdown, drainProfiler, type SeenStatement } from './lib/drain-profile.js';
import { type BenchApp, listen, makeBenchApp, tempDir } from './lib/fixture.js';
import { generateYear } from './lib/generate.js';
import { type LoadResult, runLoad } from './lib/load.js';
import { copyToPostgres } from './lib/pg-copy.js';
import { benchCluster, clusterInfo, clusterPids, freshPgDatabase, queryOnce } from './lib/postgres.js';
import { type ReceiverChild, type ReceiverStats, startReceiverChild } from './lib/report-receiver.js';
import { type Row, row } from './lib/results.js';

export interface ReportBenchOptions {
  driver: 'sqlite' | 'pg';
  /** Seconds of each ingest measurement (a fixed number of requests sized to it). */
  duration: number;
  connections: number;
  warmup: number;
  /** Ingest rounds, each one "off" and one "on" measurement. */
  rounds: number;
  /** Records of the drained backlog (0: skip the drain). */
  backlog: number;
  /** REPORT_BATCH_SIZE of each drain; the first is the one the goal is checked on. */
  batchSizes: number[];
  log: (msg: string) => void;
}

const APP_ID = 'bench-county-339821';
/** The drain's goal (issue 13) and the ingest ratio's. */
const DRAIN_GOAL = 5_000;
const RATIO_GOAL = 0.9;
/** How long an "on" measurement may take to deliver what was stored before it counts as failed. */
const CATCH_UP_LIMIT_MS = 120_000;
/** The lowest rate an ingest window is sized on (ratings/s). */
const MIN_SIZING_RATE = 1_500;
/** A drain slower than this is stopped: its rate is what it managed, the rest is left undelivered. */
const DRAIN_LIMIT_MS = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round2 = (x: number) => Math.round(x * 100) / 100;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * The periodic jobs, started exactly as server/main.ts starts them (every job of `services.jobs` on its
 * period through runJobOnce, which claims the period in job_runs): with REPORT_URL that includes
 * `reporting.deliverDue` every 2 s (unless `withoutDelivery`); in every mode the per-second cache sync.
 * Returns a stopper.
 */
function startJobs(services: Services, log: (msg: string) => void, withoutDelivery: boolean): () => void {
  const jobs = services.jobs.filter((job) => !(withoutDelivery && job.name === 'reporting.deliverDue'));
  const timers = jobs.map((job) => {
    const t = setInterval(() => {
      Promise.resolve()
        .then(() => runJobOnce(services.db, services.clock, job))
        .catch((err: unknown) => log(`report: job ${job.name} failed: ${(err as Error).message}`));
    }, job.everyMs);
    t.unref();
    return t;
  });
  return () => {
    for (const t of timers) clearInterval(t);
  };
}

/** A well-formed 统一社会信用代码 (as db/seed.ts makes the demo's) for the n-th department given one here. */
function benchCreditCode(n: number): string {
  const body = String(90_000_000 + n).padStart(8, '0');
  const first17 = `11339821${body}${orgCheckChar(body)}`;
  return first17 + creditCheckChar(first17);
}

/**
 * The demo county leaves two departments without a 统一社会信用代码 on purpose (their records wait for
 * it); the admin fills them in, as on the 部门 page, so that every rating is a record sent.
 */
async function fillCreditCodes(t: BenchApp): Promise<void> {
  const missing = await statement(t.db, 'SELECT id AS id FROM departments WHERE credit_code IS NULL ORDER BY id').all<{ id: number }>();
  for (const [n, d] of missing.entries()) await t.services.org.updateDepartment(t.admin, Number(d.id), { creditCode: benchCreditCode(n) });
}

async function outboxStates(db: Db): Promise<Record<string, number>> {
  const rows = await statement(db, 'SELECT state AS state, count(*) AS n FROM report_outbox GROUP BY state').all<{
    state: string;
    n: number | string;
  }>();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

async function countRows(db: Db, table: 'ratings' | 'report_outbox' | 'report_batches'): Promise<number> {
  return Number((await statement(db, `SELECT count(*) AS n FROM ${table}`).get<{ n: number | string }>())?.n ?? 0);
}

function reportEnv(receiver: ReceiverChild, secret: string, batchSize?: number): Record<string, string> {
  return {
    REPORT_URL: receiver.url,
    REPORT_APP_ID: APP_ID,
    REPORT_SECRET: secret,
    REPORT_SIGNATURE: 'hmac-sha256',
    ...(batchSize ? { REPORT_BATCH_SIZE: String(batchSize) } : {}),
    // REPORT_DELIVERY_THREAD=false in the bench's environment: the delivery on the app's own event loop (to compare).
    ...(process.env.REPORT_DELIVERY_THREAD ? { REPORT_DELIVERY_THREAD: process.env.REPORT_DELIVERY_THREAD } : {}),
  };
}

interface Ctx {
  opts: ReportBenchOptions;
  receiver: ReceiverChild;
  secret: string;
  /** PostgreSQL processes (report-pg), for their CPU. */
  pgPids: () => number[];
}

/** The production app on a fresh database of the part's driver (demo county, bench limits, credit codes filled). */
async function freshApp(ctx: Ctx, dir: string, env: Record<string, string>): Promise<{ t: BenchApp; close(): Promise<void> }> {
  const logFile = join(dir, 'server.log');
  if (ctx.opts.driver === 'sqlite') {
    const t = await makeBenchApp({ dbFile: join(dir, 'app.db'), logger: 'production', logFile, env });
    await fillCreditCodes(t);
    return { t, close: () => t.close() };
  }
  const cluster = await benchCluster();
  if (!cluster) throw new Error('report-pg: PostgreSQL is not installed');
  const database = await freshPgDatabase(cluster, 'report');
  const t = await makeBenchApp({ dbFile: database.url, logger: 'production', logFile, env });
  await fillCreditCodes(t);
  return {
    t,
    async close() {
      await t.close();
      await database.drop();
    },
  };
}

/**
 * off: no REPORT_URL. queue: REPORT_URL, so every rating's record enters the outbox in the rating's
 * transaction, but the delivery job is not started (what the enqueue alone costs). on: REPORT_URL and
 * the delivery job draining every 2 s.
 */
type Mode = 'off' | 'queue' | 'on';
const MODES: readonly Mode[] = ['off', 'queue', 'on'];

interface IngestMeasured {
  mode: Mode;
  round: number;
  run: LoadResult;
  /** Ratings stored by the measured requests, and by the app's whole life (warm-up included). */
  storedRows: number;
  storedTotal: number;
  /** Outbox rows still pending when the last measured answer came (on). */
  backlogAtEnd: number;
  /** From the last answer until every stored rating was acknowledged (on). */
  catchUpMs: number | null;
  outbox: Record<string, number>;
  receiver: ReceiverStats | null;
  /** POSTs the delivery job made over the app's life. */
  posts: number;
  /** Cores busy during the measured requests (CPU seconds per second). */
  cores: { app: number; postgres: number | null; load: number; receiver: number };
  /** The app's CPU per rating stored during the measured requests (µs): with reporting on, the delivery's share included. */
  appUsPerRating: number;
  /** The share of the measured requests' time the main event loop was busy (ELU). */
  mainLoopBusy: number;
  /** The main thread's own CPU per rating stored (µs): the rating path, without the delivery thread or V8's helpers. */
  mainUsPerRating: number;
  /** With the delivery thread (on): its loop's busy share, and the outcomes the main thread wrote for it (ms a second). */
  thread: { busy: number; writes: number; writeMsPerS: number } | null;
}

/** The delivery thread's share of the window between two of its stats (null without a thread, or one not yet started). */
function threadShares(a: DeliveryThreadStats | null, b: DeliveryThreadStats | null): IngestMeasured['thread'] {
  if (!b?.loop) return null;
  const active0 = a?.loop?.active ?? 0;
  const idle0 = a?.loop?.idle ?? 0;
  const span = b.loop.active + b.loop.idle - (active0 + idle0);
  return {
    busy: round2((b.loop.active - active0) / Math.max(1, span)),
    writes: b.writes - (a?.writes ?? 0),
    writeMsPerS: Math.round(((b.writeMs - (a?.writeMs ?? 0)) * 1000) / Math.max(1, span)),
  };
}

async function measureIngest(ctx: Ctx, mode: Mode, round: number, amount: number | null): Promise<IngestMeasured> {
  const { opts, receiver } = ctx;
  const tmp = tempDir(`report-ingest-${mode}`);
  if (mode === 'on') await receiver.reset();
  const env = { TRUST_PROXY: '127.0.0.1', ...(mode !== 'off' ? reportEnv(receiver, ctx.secret) : {}) };
  const { t, close } = await freshApp(ctx, tmp.dir, env);
  if ((t.services.reportDelivery !== null) !== (mode !== 'off')) throw new Error(`report: reporting is not as mode ${mode} needs`);
  const stopJobs = startJobs(t.services, opts.log, mode === 'queue');
  try {
    const url = await listen(t.app);
    const bodies = (seed: number) => ({
      codes: t.codes.map((c) => c.id),
      goodTags: SETTINGS_DEFAULTS.tags.good,
      badTags: SETTINGS_DEFAULTS.tags.bad,
      badShare: 0.05,
      seed,
    });
    // Sampled every 100 ms: autocannon ends an `amount` run at its next sample (lib/load.ts).
    const base = { url, connections: opts.connections, networks: 10, sampleIntMs: 100 };
    const seed = round * 8 + MODES.indexOf(mode) * 2;
    const warmup = await runLoad({ ...base, duration: opts.warmup, bodies: bodies(seed + 1) });
    // Sized to `duration` seconds, at no less than 1,500 ratings/s: a warm-up slowed by a neighbour would
    // otherwise leave a window of two seconds, in which the 2 s delivery job may not run at all.
    const n = amount ?? Math.round(Math.max(warmup.reqPerSec, MIN_SIZING_RATE) * opts.duration);
    await sleep(300);
    const before = await countRows(t.db, 'ratings');
    const cpu = () => ({
      app: selfCpuSeconds(),
      main: mainThreadCpuSeconds(),
      postgres: opts.driver === 'pg' ? procCpuSeconds(ctx.pgPids()) : null,
      receiver: procCpuSeconds([receiver.pid]),
    });
    const thread = () => t.services.reportDelivery?.stats?.() ?? null;
    const cpu0 = cpu();
    const loop0 = performance.eventLoopUtilization();
    const thread0 = thread();
    const run = await runLoad({ ...base, duration: 0, amount: n, bodies: bodies(seed + 2) });
    const cpu1 = cpu();
    const loop = performance.eventLoopUtilization(loop0);
    const thread1 = thread();
    const backlogAtEnd = (await outboxStates(t.db)).pending ?? 0;
    const ended = performance.now();
    // The group commit has answered every request: what is stored now is what the run stored.
    const storedTotal = await countRows(t.db, 'ratings');
    let catchUpMs: number | null = null;
    let outbox = await outboxStates(t.db);
    if (mode === 'on') {
      // The delivery job keeps running on its 2 s period: wait until it has acknowledged every rating.
      while ((outbox.acked ?? 0) < storedTotal || (outbox.pending ?? 0) > 0) {
        if (performance.now() - ended > CATCH_UP_LIMIT_MS) break;
        await sleep(100);
        outbox = await outboxStates(t.db);
      }
      if ((outbox.acked ?? 0) >= storedTotal && !(outbox.pending ?? 0)) catchUpMs = Math.round(performance.now() - ended);
    }
    stopJobs();
    // A run still going is joined, so that no POST is in flight when the receiver is asked.
    if (mode === 'on') await t.services.reportDelivery?.deliverDue();
    const posts = await countRows(t.db, 'report_batches');
    const rec = mode === 'on' ? await receiver.stats() : null;
    const secs = run.durationS;
    const m: IngestMeasured = {
      mode,
      round,
      run,
      storedRows: storedTotal - before,
      storedTotal,
      backlogAtEnd,
      catchUpMs,
      outbox,
      receiver: rec,
      posts,
      cores: {
        app: round2((cpu1.app - cpu0.app) / secs),
        postgres: cpu1.postgres === null || cpu0.postgres === null ? null : round2((cpu1.postgres - cpu0.postgres) / secs),
        load: round2(run.cpuS / secs),
        receiver: round2((cpu1.receiver - cpu0.receiver) / secs),
      },
      appUsPerRating: Math.round(((cpu1.app - cpu0.app) * 1e6) / Math.max(1, storedTotal - before)),
      mainLoopBusy: round2(loop.utilization),
      mainUsPerRating: Math.round(((cpu1.main - cpu0.main) * 1e6) / Math.max(1, storedTotal - before)),
      thread: threadShares(thread0, thread1),
    };
    opts.log(
      `${opts.driver === 'pg' ? 'report-pg' : 'report'} round ${round + 1} ${mode}: ${Math.round(run.reqPerSec)} ratings/s (${m.storedRows} stored, ${run.ok2xx} 2xx, ${run.non2xx + run.errors + run.timeouts} other), p50 ${run.p50} ms, p99 ${run.p99} ms; ` +
        `app CPU ${m.appUsPerRating} µs/rating (main thread ${m.mainUsPerRating}); main event loop busy ${m.mainLoopBusy}` +
        (m.thread
          ? `, delivery thread's loop busy ${m.thread.busy}, outcomes written by the main thread ${m.thread.writeMsPerS} ms/s (${m.thread.writes} transactions)`
          : '') +
        `; cores busy: app ${m.cores.app}${m.cores.postgres === null ? '' : `, PostgreSQL ${m.cores.postgres}`}, load ${m.cores.load}, receiver ${m.cores.receiver}` +
        (mode === 'queue' ? `; outbox ${JSON.stringify(outbox)}` : '') +
        (mode === 'on'
          ? `; backlog at the end ${backlogAtEnd}, all ${storedTotal} acknowledged after ${catchUpMs ?? 'NOT within 120 s'} ms; receiver ${rec!.distinct} distinct records, ${rec!.duplicates} twice, ${rec!.changed} changed, ${rec!.refused} refused, ${posts} POSTs`
          : ''),
    );
    return m;
  } finally {
    stopJobs();
    await close();
    tmp.remove();
  }
}

async function ingestOnOff(ctx: Ctx, part: string, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const { opts } = ctx;
  const all: IngestMeasured[][] = [];
  // Off and on alternate, and the order flips every round (off·queue·on, on·queue·off, …): a machine
  // getting slower or faster over the run weighs on both alike.
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? MODES : [...MODES].reverse();
    const measured: Partial<Record<Mode, IngestMeasured>> = {};
    // The measurements of a round send the same number of requests, sized on the round's first warm-up.
    let amount: number | null = null;
    for (const mode of order) {
      const m = await measureIngest(ctx, mode, round, amount);
      amount ??= m.run.ok2xx + m.run.non2xx + m.run.errors + m.run.timeouts;
      measured[mode] = m;
    }
    all.push([measured.off!, measured.on!, measured.queue!]);
  }
  raw.ingest = all;
  const queues = all.map(([, , queue]) => queue!);
  const name = (s: string) => `${s} (window-code POST, 10 networks)`;
  const offs = all.map(([off]) => off!.run.reqPerSec);
  const ons = all.map(([, on]) => on!.run.reqPerSec);
  const ratios = all.map(([off, on]) => on!.run.reqPerSec / off!.run.reqPerSec);
  const rounds = (xs: number[]) => `rounds: ${xs.map((x) => Math.round(x)).join(', ')}`;
  rows.push(
    row(part, name('ingest, reporting off'), `ratings/s (median of ${all.length})`, Math.round(median(offs)), '', null, rounds(offs)),
  );
  rows.push(row(part, name('ingest, reporting on'), `ratings/s (median of ${all.length})`, Math.round(median(ons)), '', null, rounds(ons)));
  const queueRates = queues.map((m) => m.run.reqPerSec);
  const queueRatios = all.map(([off, , queue]) => queue!.run.reqPerSec / off!.run.reqPerSec);
  rows.push(
    row(
      part,
      name('ingest, records enqueued, delivery job stopped'),
      `ratings/s (median of ${all.length})`,
      Math.round(median(queueRates)),
      '',
      null,
      rounds(queueRates),
    ),
  );
  rows.push(
    row(
      part,
      'ingest with records enqueued, not delivered / off',
      'ratio (median of rounds)',
      round2(median(queueRatios)),
      '×',
      null,
      `rounds: ${queueRatios.map((r) => r.toPrecision(3)).join(', ')}`,
    ),
  );
  rows.push(
    row(
      part,
      'ingest with reporting on / off',
      'ratio (median of rounds)',
      round2(median(ratios)),
      '×',
      { op: '>=', limit: RATIO_GOAL, unit: '×' },
      `rounds: ${ratios.map((r) => r.toPrecision(3)).join(', ')}`,
    ),
  );
  const mid = (ms: IngestMeasured[]) => ms.find((m) => m.run.reqPerSec === median(ms.map((x) => x.run.reqPerSec))) ?? ms[0]!;
  const midOff = mid(all.map(([off]) => off!));
  const midOn = mid(all.map(([, on]) => on!));
  rows.push(
    row(part, name('ingest, reporting off'), 'p50 / p99 latency (median round)', midOff.run.p50, 'ms', null, `p99 ${midOff.run.p99} ms`),
  );
  rows.push(
    row(part, name('ingest, reporting on'), 'p50 / p99 latency (median round)', midOn.run.p50, 'ms', null, `p99 ${midOn.run.p99} ms`),
  );
  const everything = all.flat();
  rows.push(
    row(
      part,
      'ingest, both modes',
      '|rows stored − 2xx answers|',
      Math.max(...everything.map((m) => Math.abs(m.storedRows - m.run.ok2xx))),
      '',
      { op: '<=', limit: 0, unit: '' },
      everything.map((m) => `${m.mode} ${m.storedRows}/${m.run.ok2xx}`).join('; '),
    ),
  );
  const onRuns = all.map(([, on]) => on!);
  rows.push(
    row(
      part,
      'ingest, reporting on',
      'ratings stored, not acknowledged',
      Math.max(...onRuns.map((m) => m.storedTotal - (m.receiver?.distinct ?? 0))),
      '',
      { op: '<=', limit: 0, unit: '' },
      onRuns
        .map(
          (m) =>
            `round ${m.round + 1}: ${m.storedTotal} stored (warm-up included), ${m.receiver?.distinct} acknowledged at the receiver, outbox ${JSON.stringify(m.outbox)}`,
        )
        .join('; '),
    ),
  );
  rows.push(
    row(
      part,
      'ingest, reporting on',
      'records received twice or changed, refused',
      Math.max(...onRuns.map((m) => (m.receiver?.duplicates ?? 0) + (m.receiver?.changed ?? 0) + (m.receiver?.refused ?? 0))),
      '',
      { op: '<=', limit: 0, unit: '' },
    ),
  );
  rows.push(
    row(
      part,
      'ingest, reporting on',
      'backlog pending at the end of the window (max)',
      Math.max(...onRuns.map((m) => m.backlogAtEnd)),
      'records',
      null,
      `rounds: ${onRuns.map((m) => m.backlogAtEnd).join(', ')} (the job drains every 2 s)`,
    ),
  );
  // The job drains whatever is due, batch after batch: while ratings keep coming, most claims find only
  // what arrived during the previous POST.
  const perPost = onRuns.map((m) => (m.receiver?.records ?? 0) / Math.max(1, m.posts));
  rows.push(
    row(
      part,
      'ingest, reporting on',
      'records per POST (median)',
      Math.round(median(perPost)),
      '',
      null,
      `rounds: ${onRuns.map((m) => `${m.receiver?.records ?? 0} records in ${m.posts} POSTs`).join(', ')}`,
    ),
  );
  const catchUps = onRuns.map((m) => m.catchUpMs);
  rows.push(
    row(
      part,
      'ingest, reporting on',
      'all acknowledged after the last answer (max)',
      catchUps.includes(null) ? null : Math.max(...(catchUps as number[])),
      'ms',
      null,
      `rounds: ${catchUps.map((c) => c ?? 'never').join(', ')}`,
    ),
  );
  const coreNote = (m: IngestMeasured) =>
    `app ${m.cores.app}${m.cores.postgres === null ? '' : `, PostgreSQL ${m.cores.postgres}`}, load generator ${m.cores.load}, receiver ${m.cores.receiver}`;
  rows.push(row(part, name('ingest, reporting off'), 'cores busy: app (median round)', midOff.cores.app, '', null, coreNote(midOff)));
  rows.push(row(part, name('ingest, reporting on'), 'cores busy: app (median round)', midOn.cores.app, '', null, coreNote(midOn)));
  rows.push(row(part, name('ingest, reporting on'), 'cores busy: receiver (median round)', midOn.cores.receiver, ''));
  // What reporting costs the app per rating (its own CPU, the delivery job's included), round by round.
  const perRating = (ms: IngestMeasured[]) => ms.map((m) => m.appUsPerRating);
  const offUs = perRating(all.map(([off]) => off!));
  const onUs = perRating(all.map(([, on]) => on!));
  const queueUs = perRating(queues);
  rows.push(
    row(part, name('ingest, reporting off'), 'app CPU per rating (median)', median(offUs), 'µs', null, `rounds: ${offUs.join(', ')}`),
  );
  rows.push(
    row(
      part,
      name('ingest, records enqueued, delivery job stopped'),
      'app CPU per rating (median)',
      median(queueUs),
      'µs',
      null,
      `rounds: ${queueUs.join(', ')}`,
    ),
  );
  rows.push(row(part, name('ingest, reporting on'), 'app CPU per rating (median)', median(onUs), 'µs', null, `rounds: ${onUs.join(', ')}`));
  rows.push(
    row(
      part,
      'ingest, records enqueued, delivery job stopped',
      'ratings stored without their outbox record',
      Math.max(...queues.map((m) => m.storedTotal - (m.outbox.pending ?? 0))),
      '',
      { op: '<=', limit: 0, unit: '' },
    ),
  );
  rows.push(row(part, name('ingest, reporting on'), 'cores busy: load generator (median round)', midOn.cores.load, ''));
}

interface DrainMeasured {
  batchSize: number;
  records: number;
  ms: number;
  perSec: number;
  runs: number;
  posts: number;
  outbox: Record<string, number>;
  receiver: ReceiverStats;
  cores: { app: number; postgres: number | null; receiver: number };
  profile: DrainBreakdown;
  /** Delivered by the delivery thread: the profile sees the main thread's outcome writes only. */
  threaded: boolean;
  /** One claim with the whole backlog pending (rolled back), and its plan. */
  probe: { ms: number; plan: string[] };
  /** The plans of the drain's two UPDATEs (the claim's settle, the acknowledgement), taken after it. */
  plans: Record<string, string[]>;
  /** Stopped at DRAIN_LIMIT_MS with records still pending. */
  stopped: boolean;
}

class RolledBack extends Error {}

/**
 * The plan of a statement as the app sent it (its text and values): SQLite's EXPLAIN QUERY PLAN;
 * PostgreSQL's EXPLAIN, with ANALYZE and BUFFERS when `analyze` (run in a transaction rolled back).
 */
async function planOf(t: BenchApp, s: SeenStatement, pgUrl: string | null, analyze: boolean): Promise<string[]> {
  if (pgUrl === null) {
    const rows = writerOf(t.db)
      .prepare(`EXPLAIN QUERY PLAN ${s.text}`)
      .all(...s.params) as { id: number; parent: number; detail: string }[];
    const depth = new Map<number, number>([[0, -1]]);
    return rows.map((r) => {
      const d = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    });
  }
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const res = await client.query(`EXPLAIN ${analyze ? '(ANALYZE, BUFFERS) ' : ''}${s.text}`, s.params);
    await client.query('ROLLBACK');
    return res.rows.map((r: Record<string, string>) => r['QUERY PLAN']!);
  } finally {
    await client.end();
  }
}

/**
 * One claim of `batchSize` records with the whole backlog pending, in a transaction rolled back: how
 * long the claim SELECT takes, and its plan (on PostgreSQL with ANALYZE), with the very text and values
 * the app sent.
 */
async function probeClaim(t: BenchApp, batchSize: number, pgUrl: string | null): Promise<{ ms: number; plan: string[] }> {
  const profiler = drainProfiler(t.db);
  let ms = 0;
  try {
    await t.db.transaction(async (tx) => {
      const t0 = performance.now();
      await claimDue(tx, t.services.clock.now(), batchSize);
      ms = performance.now() - t0;
      throw new RolledBack();
    });
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
  }
  const claim = profiler.stop().first.claim;
  return { ms, plan: claim ? await planOf(t, claim, pgUrl, true) : ['(the claim was not seen)'] };
}

/** Every record of the outbox pending and due again, as after the generation (the next batch size's drain). */
async function resetOutbox(t: BenchApp, pgUrl: string | null): Promise<void> {
  await t.db.transaction(async (tx) => {
    await statement(
      tx,
      `UPDATE report_outbox SET state = 'pending', reason = NULL, body = NULL, attempts = 0, next_attempt_at = 0,
         first_failed_at = NULL, last_attempt_at = NULL, last_answer = NULL, acked_at = NULL`,
    ).run();
    await statement(tx, 'DELETE FROM report_batches').run();
  });
  if (t.db.driver === 'sqlite') writerOf(t.db).pragma('wal_checkpoint(TRUNCATE)');
  // What autovacuum would have done after a million rows were rewritten.
  else await queryOnce(pgUrl!, 'VACUUM (ANALYZE) report_outbox');
}

async function drainOnce(ctx: Ctx, t: BenchApp, batchSize: number, pgUrl: string | null): Promise<DrainMeasured> {
  const { opts, receiver } = ctx;
  const delivery = t.services.reportDelivery!;
  const records = (await outboxStates(t.db)).pending ?? 0;
  const probe = await probeClaim(t, batchSize, pgUrl);
  opts.log(
    `  one claim of ${batchSize} with ${records.toLocaleString('en-US')} pending: ${probe.ms.toFixed(1)} ms; plan:\n    ${probe.plan.join('\n    ')}`,
  );
  await receiver.reset();
  const cpu = () => ({
    app: selfCpuSeconds(),
    postgres: opts.driver === 'pg' ? procCpuSeconds(ctx.pgPids()) : null,
    receiver: procCpuSeconds([receiver.pid]),
  });
  const cpu0 = cpu();
  const profiler = drainProfiler(t.db);
  const t0 = performance.now();
  let runs = 0;
  let idle = 0;
  let acked = 0;
  let stopped = false;
  // As the job does every 2 s, one call after the other: each drains batch after batch for up to 30 s.
  for (;;) {
    const r = await delivery.deliverDue();
    runs++;
    acked += r.acked;
    if (r.failed) opts.log(`report drain: ${r.failed} record attempts failed (the run backs off)`);
    if (r.posts === 0) {
      // Nothing was due: done, unless a backoff is what stopped it.
      if (((await outboxStates(t.db)).pending ?? 0) === 0 || ++idle > 5) break;
      await sleep(1000);
    } else idle = 0;
    opts.log(`  drain (batch ${batchSize}): ${acked.toLocaleString('en-US')} acknowledged, ${Math.round(performance.now() - t0)} ms`);
    if (performance.now() - t0 > DRAIN_LIMIT_MS) {
      stopped = ((await outboxStates(t.db)).pending ?? 0) > 0;
      if (stopped) opts.log(`  drain stopped after ${DRAIN_LIMIT_MS / 1000} s with records still pending`);
      break;
    }
  }
  const ms = performance.now() - t0;
  const profile = profiler.stop();
  const cpu1 = cpu();
  const plans: Record<string, string[]> = {};
  for (const kind of ['settleClaimed', 'acked'] as const) {
    const seen = profile.first[kind];
    if (seen) plans[kind] = await planOf(t, seen, pgUrl, false);
  }
  const secs = ms / 1000;
  const outbox = await outboxStates(t.db);
  const rec = await receiver.stats();
  const posts = await countRows(t.db, 'report_batches');
  return {
    batchSize,
    records,
    ms,
    perSec: (outbox.acked ?? 0) / secs,
    runs,
    posts,
    outbox,
    receiver: rec,
    cores: {
      app: round2((cpu1.app - cpu0.app) / secs),
      postgres: cpu1.postgres === null || cpu0.postgres === null ? null : round2((cpu1.postgres - cpu0.postgres) / secs),
      receiver: round2((cpu1.receiver - cpu0.receiver) / secs),
    },
    profile,
    probe,
    plans,
    stopped,
    threaded: delivery.threadId !== undefined,
  };
}

async function drainBacklog(ctx: Ctx, part: string, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const { opts, receiver } = ctx;
  const size = opts.backlog.toLocaleString('en-US');
  const tmp = tempDir('report-drain');
  const dbFile = join(tmp.dir, 'app.db');
  const logFile = join(tmp.dir, 'server.log');
  const baseEnv = reportEnv(receiver, ctx.secret);
  let dropDatabase: (() => Promise<void>) | null = null;
  try {
    // Generated into SQLite as the dashboards part does (its 办件 too: two thirds of the ratings are a
    // 办件's, whose records carry projectNo, 事项 and 经办人), then each rating's outbox row, pending.
    let t = await makeBenchApp({ dbFile, logger: 'production', logFile, env: baseEnv });
    await fillCreditCodes(t);
    const lastDay = chinaDay(Date.now() - 86_400_000);
    opts.log(`${part}: generating ${size} ratings and ${size} 办件 up to ${lastDay}`);
    const gen = await generateYear(t.db, t.services, {
      ratings: opts.backlog,
      matters: opts.backlog,
      lastDay,
      seed: 20261127,
      log: opts.log,
    });
    const t0 = performance.now();
    const sqlite = writerOf(t.db);
    sqlite.exec(`INSERT INTO report_outbox (kind, rating_id, case_id, day, state, attempts, next_attempt_at, created_at)
      SELECT 'rating', id, NULL, day, 'pending', 0, 0, created_at FROM ratings ORDER BY id`);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const enqueueMs = performance.now() - t0;
    const excluded = gen.excluded;
    opts.log(
      `${part}: generated in ${(gen.totalMs / 1000).toFixed(1)} s (${gen.cases} cases, ${excluded} ratings excluded on appeal), outbox rows in ${Math.round(enqueueMs)} ms`,
    );
    raw.generated = { ...gen, enqueueMs: Math.round(enqueueMs), lastDay };
    await t.close();
    let target = dbFile;
    if (opts.driver === 'pg') {
      const cluster = (await benchCluster())!;
      const database = await freshPgDatabase(cluster, 'report_drain');
      dropDatabase = database.drop;
      const schema = openPgDb(database.url);
      await migrateDb(schema);
      await schema.close();
      opts.log(`${part}: copying into PostgreSQL`);
      const copy = await copyToPostgres(dbFile, database.url, opts.log);
      raw.copy = copy;
      target = database.url;
    }
    const measured: DrainMeasured[] = [];
    for (const [i, batchSize] of opts.batchSizes.entries()) {
      // A server started on the backlog (as after the province's outage); the generator's garbage collected.
      t = await makeBenchApp({
        dbFile: target,
        logger: 'production',
        logFile,
        seeded: true,
        env: reportEnv(receiver, ctx.secret, batchSize),
      });
      try {
        if (i > 0) await resetOutbox(t, opts.driver === 'pg' ? target : null);
        setFlagsFromString('--expose-gc');
        (runInNewContext('gc') as () => void)();
        opts.log(`${part}: draining ${size} records, REPORT_BATCH_SIZE ${batchSize}`);
        const m = await drainOnce(ctx, t, batchSize, opts.driver === 'pg' ? target : null);
        measured.push(m);
        const p = m.profile;
        const pct = (x: number) => `${Math.round((x / p.wallMs) * 100)} %`;
        opts.log(
          `${part}: batch ${batchSize}: ${Math.round(m.perSec)} records/s (${m.outbox.acked} acknowledged in ${Math.round(m.ms)} ms, ${m.posts} POSTs, ${m.runs} deliverDue runs); outbox ${JSON.stringify(m.outbox)}; receiver ${m.receiver.distinct} distinct, ${m.receiver.duplicates} twice, ${m.receiver.changed} changed, ${m.receiver.refused} refused; cores busy: app ${m.cores.app}${m.cores.postgres === null ? '' : `, PostgreSQL ${m.cores.postgres}`}, receiver ${m.cores.receiver}\n` +
            (m.threaded
              ? // The claim, composing and POST run in the delivery thread, on its own loop and connection: the
                // profiler sees the statements of this thread only, i.e. the outcomes it writes for the thread.
                `  per batch of ${batchSize} (ms): ${(p.wallMs / p.batches).toFixed(1)} in all (claim, composing and POST in the delivery thread, not profiled); ` +
                `acknowledgement transaction written by the main thread ${(p.settleTx.ms / p.batches).toFixed(1)} (${pct(p.settleTx.ms)}: UPDATE ${(p.settleTx.ackUpdateMs / p.batches).toFixed(1)}, log INSERT ${(p.settleTx.logInsertMs / p.batches).toFixed(1)}, BEGIN/COMMIT ${(p.settleTx.beginCommitMs / p.batches).toFixed(1)}); receiver's own work ${(m.receiver.handleMs / Math.max(1, m.receiver.posts)).toFixed(1)}`
              : `  per batch of ${batchSize} (ms): claim transaction ${(p.claimTx.ms / p.batches).toFixed(1)} (${pct(p.claimTx.ms)}: SELECT ${(p.claimTx.selectMs / p.batches).toFixed(1)}, records composed in JS ${(p.claimTx.composeJsMs / p.batches).toFixed(1)}, settle UPDATE ${(p.claimTx.settleUpdateMs / p.batches).toFixed(1)}, BEGIN/COMMIT ${(p.claimTx.beginCommitMs / p.batches).toFixed(1)}, other SQL ${(p.claimTx.otherSqlMs / p.batches).toFixed(1)}); ` +
                `POST ${(p.post.ms / p.batches).toFixed(1)} (${pct(p.post.ms)}; of it the receiver's own work ${(m.receiver.handleMs / Math.max(1, m.receiver.posts)).toFixed(1)}); ` +
                `acknowledgement transaction ${(p.settleTx.ms / p.batches).toFixed(1)} (${pct(p.settleTx.ms)}: UPDATE ${(p.settleTx.ackUpdateMs / p.batches).toFixed(1)}, log INSERT ${(p.settleTx.logInsertMs / p.batches).toFixed(1)}, BEGIN/COMMIT ${(p.settleTx.beginCommitMs / p.batches).toFixed(1)}); between ${(p.unaccountedMs / p.batches).toFixed(1)}`),
        );
        for (const [kind, plan] of Object.entries(m.plans)) opts.log(`  plan of the ${kind} UPDATE:\n    ${plan.join('\n    ')}`);
      } finally {
        await t.close();
      }
    }
    raw.drain = measured;
    for (const [i, m] of measured.entries()) {
      const name = `drain ${size} pending records, REPORT_BATCH_SIZE ${m.batchSize}`;
      const goal = i === 0 ? ({ op: '>=', limit: DRAIN_GOAL, unit: ' records/s' } as const) : null;
      rows.push(
        row(
          part,
          name,
          'records acknowledged per second',
          Math.round(m.perSec),
          'records/s',
          goal,
          `${m.outbox.acked} in ${(m.ms / 1000).toFixed(1)} s, ${m.posts} POSTs, ${m.runs} deliverDue runs`,
        ),
      );
      rows.push(
        row(
          part,
          name,
          'acknowledged ≠ sent once, unchanged',
          Math.abs(m.receiver.distinct - (m.outbox.acked ?? 0)) + m.receiver.duplicates + m.receiver.changed + m.receiver.refused,
          '',
          { op: '<=', limit: 0, unit: '' },
          `receiver: ${m.receiver.distinct} distinct recordIds, ${m.receiver.duplicates} twice, ${m.receiver.changed} changed, ${m.receiver.refused} refused; outbox ${JSON.stringify(m.outbox)} (dropped: excluded on appeal)`,
        ),
      );
      rows.push(
        row(
          part,
          name,
          'records left undelivered',
          m.records - (m.outbox.acked ?? 0) - (m.outbox.dropped ?? 0),
          '',
          { op: '<=', limit: 0, unit: '' },
          m.stopped ? `stopped after ${DRAIN_LIMIT_MS / 1000} s` : undefined,
        ),
      );
      rows.push(
        row(
          part,
          name,
          'one claim SELECT, whole backlog pending',
          round2(m.probe.ms),
          'ms',
          null,
          'its plan is in the log and latest.json',
        ),
      );
      const p = m.profile;
      const per = (x: number) => (x / Math.max(1, p.batches)).toFixed(1);
      rows.push(
        row(
          part,
          name,
          'ms per batch: claim · POST · ack',
          round2(p.wallMs / Math.max(1, p.batches)),
          'ms',
          null,
          m.threaded
            ? `claim, composing and POST in the delivery thread (not profiled); ack transaction on the main thread ${per(p.settleTx.ms)}; receiver ${(m.receiver.handleMs / Math.max(1, m.receiver.posts)).toFixed(1)}`
            : `claim transaction ${per(p.claimTx.ms)} (SELECT ${per(p.claimTx.selectMs)}, composing ${per(p.claimTx.composeJsMs)}, settle UPDATE ${per(p.claimTx.settleUpdateMs)}), POST ${per(p.post.ms)} (receiver ${(m.receiver.handleMs / Math.max(1, m.receiver.posts)).toFixed(1)}), ack transaction ${per(p.settleTx.ms)}`,
        ),
      );
      rows.push(
        row(
          part,
          name,
          'cores busy: app',
          m.cores.app,
          '',
          null,
          `receiver ${m.cores.receiver}${m.cores.postgres === null ? '' : `, PostgreSQL ${m.cores.postgres}`}`,
        ),
      );
    }
  } finally {
    await dropDatabase?.();
    tmp.remove();
  }
}

export async function runReport(opts: ReportBenchOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const part = opts.driver === 'sqlite' ? 'report' : 'report-pg';
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const secret = randomBytes(24).toString('hex');
  let pgPids = (): number[] => [];
  if (opts.driver === 'pg') {
    const cluster = await benchCluster();
    if (!cluster) throw new Error(`${part}: PostgreSQL is not installed`);
    raw.postgres = await clusterInfo(cluster);
    pgPids = () => clusterPids(cluster);
  }
  const receiver = await startReceiverChild({ key: secret, appId: APP_ID, method: 'hmac-sha256' });
  const ctx: Ctx = { opts, receiver, secret, pgPids };
  try {
    if (opts.rounds > 0) await ingestOnOff(ctx, part, rows, raw);
    if (opts.backlog > 0) await drainBacklog(ctx, part, rows, raw);
  } finally {
    receiver.close();
  }
  return { rows, raw };
}
