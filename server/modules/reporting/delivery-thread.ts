// Upward reporting's delivery in a worker thread (REPORT_DELIVERY_THREAD, on by default): the job of
// delivery.ts runs on its own event loop and database connection (delivery.worker.ts), on the core the
// rating path leaves. Run on the server's own event loop, delivery cost the rating path a quarter of its
// throughput under load (bench/README.md, upward reporting): ~35 µs of the loop per record, read,
// composed, signed, posted and acknowledged.
//
// The main thread keeps what decides when: the job's period (claimed across instances in job_runs)
// calls `deliverDue`, which asks the thread for a run and answers the run's outcome. On SQLite the thread
// only reads; each batch's outcome (acknowledged or failed, a few µs a record) is written here, on the
// main connection, in its queue of transactions: a second writing connection would hold the rating
// path's writes for its transactions, and SQLite drops the main connection's page cache after each of
// its commits (bench/README.md: ingest 0.69–0.80× of off that way, 0.85× with the writes handed back).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connectionTarget, type Db } from '../../../db/client.js';
import type { ReportConfig } from '../../config.js';
import type { Logger } from '../../lib/logger.js';
import { type DeliveryRun, type Outcome, writeOutcome } from './delivery.js';

/** Messages to the thread. */
export type ToThread = { type: 'run'; id: number } | { type: 'written'; id: number; error: string | null } | { type: 'stop' };
/** Messages from the thread. */
export type FromThread =
  | { type: 'write'; id: number; outcome: Outcome }
  | { type: 'done'; id: number; run: DeliveryRun }
  | { type: 'failed'; id: number; message: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; fields: object; message?: string };

// Run from the TypeScript sources (`node --import tsx`, vitest) the worker is a .ts file: its thread
// registers tsx's loader first (an `--import tsx` in a worker's execArgv does not reach its entry
// module on Node 20); run from compiled JavaScript it is a .js file and needs nothing.
const fromSources = import.meta.url.endsWith('.ts');
const WORKER = new URL(`./delivery.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
const workerScript = (): string | URL => {
  if (!fromSources) return WORKER;
  // tsx's ESM API (its `tsx/esm/api` export for import): `register()` installs the loader.
  const api = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); });`;
};

export interface DeliveryThreadStats {
  /** Outcomes the main thread wrote for the thread (SQLite), and the time their transactions took in all (ms). */
  writes: number;
  writeMs: number;
  /** The thread's event loop: active and idle ms since it started. */
  loop: { active: number; idle: number } | null;
}
/** How long `close` waits for the run going on to finish its batch before ending the thread. */
const STOP_GRACE_MS = 5_000;

export function createDeliveryThread(deps: { db: Db; config: ReportConfig; log: Logger }) {
  const { db, config, log } = deps;
  let worker: Worker | null = null;
  let nextRun = 1;
  const runs = new Map<number, { resolve: (r: DeliveryRun) => void; reject: (e: Error) => void }>();
  let writes = 0;
  let writeMs = 0;

  function start(): Worker {
    if (worker) return worker;
    const w = new Worker(workerScript(), { eval: fromSources, workerData: { target: connectionTarget(db), report: config } });
    // The server's sockets keep the process alive, not this thread.
    w.unref();
    w.on('message', (m: FromThread) => {
      if (m.type === 'write') {
        const started = performance.now();
        writeOutcome(db, m.outcome, config.deadAfterMs).then(
          () => {
            writes++;
            writeMs += performance.now() - started;
            w.postMessage({ type: 'written', id: m.id, error: null } satisfies ToThread);
          },
          (err: unknown) =>
            w.postMessage({ type: 'written', id: m.id, error: err instanceof Error ? err.message : String(err) } satisfies ToThread),
        );
      } else if (m.type === 'done' || m.type === 'failed') {
        const r = runs.get(m.id);
        runs.delete(m.id);
        if (m.type === 'done') r?.resolve(m.run);
        else r?.reject(new Error(`report delivery failed: ${m.message}`));
      } else if (m.type === 'log') {
        log[m.level](m.fields, m.message);
      }
    });
    w.on('error', (err) => log.error({ err }, 'report delivery thread failed'));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      // Runs it had not answered fail (what it sent and had not written yet is resent, from the spool).
      for (const r of runs.values()) r.reject(new Error(`report delivery thread exited (code ${code})`));
      runs.clear();
    });
    worker = w;
    return w;
  }

  return {
    /** Asks the thread for a run (one going on is joined there) and answers what it delivered. */
    deliverDue(): Promise<DeliveryRun> {
      const w = start();
      const id = nextRun++;
      return new Promise<DeliveryRun>((resolve, reject) => {
        runs.set(id, { resolve, reject });
        w.postMessage({ type: 'run', id } satisfies ToThread);
      });
    },

    /** The thread's id, once started (operations, tests). */
    threadId(): number | null {
      return worker?.threadId ?? null;
    },

    /** What the thread has cost the main thread's connection, and how busy its own loop has been (bench, operations). */
    stats(): DeliveryThreadStats {
      const elu = worker?.performance.eventLoopUtilization();
      return { writes, writeMs, loop: elu ? { active: elu.active, idle: elu.idle } : null };
    },

    /** Lets the run going on finish its batch, then ends the thread (the server is stopping). */
    async close(): Promise<void> {
      const w = worker;
      if (!w) return;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage({ type: 'stop' } satisfies ToThread);
      const timer = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
