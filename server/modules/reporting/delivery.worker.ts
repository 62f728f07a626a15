// The report delivery thread (delivery-thread.ts starts it): the delivery job of delivery.ts, run on
// its own event loop with its own database connection, so that reading, composing, signing and posting
// records never takes the time of the event loop that answers citizens. On SQLite it only reads: each
// batch's outcome (a few µs a record) is written by the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { type Db, openDb, openPgDb } from '../../../db/client.js';
import type { ReportConfig } from '../../config.js';
import { systemClock } from '../../lib/clock.js';
import { createCacheSync } from '../../lib/instances.js';
import type { Logger } from '../../lib/logger.js';
import { createOrgService } from '../org/org.service.js';
import { createSettingsService } from '../settings/settings.service.js';
import { createReportDelivery, type Outcome } from './delivery.js';
import type { FromThread, ToThread } from './delivery-thread.js';
import { createReportOutbox } from './outbox.js';

const port = parentPort;
if (!port) throw new Error('delivery.worker.ts runs as a worker thread (delivery-thread.ts)');
const { target, report } = workerData as { target: string; report: ReportConfig };
const send = (m: FromThread) => port.postMessage(m);

let nextWrite = 1;
const writes = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
/** SQLite: an outcome is written by the main thread, on its connection, in its queue of transactions. */
function writeOnMain(outcome: Outcome): Promise<void> {
  const id = nextWrite++;
  return new Promise<void>((resolve, reject) => {
    writes.set(id, { resolve, reject });
    send({ type: 'write', id, outcome });
  });
}

const log: Logger = {
  info: (fields, message) => send({ type: 'log', level: 'info', fields, message }),
  warn: (fields, message) => send({ type: 'log', level: 'warn', fields, message }),
  error: (fields, message) => send({ type: 'log', level: 'error', fields, message }),
};

const pg = /^postgres(ql)?:\/\//.test(target);
// SQLite: this connection only reads (a second writer would hold the rating path's writes, and SQLite
// drops the main connection's page cache after each of its commits: bench/README.md). PostgreSQL: its
// own pool, claims and outcomes included (rows are locked one by one).
const db: Db = pg ? openPgDb(target, { max: 2 }) : openDb(target);
const clock = systemClock;
// The records' codes come from the settings (detail codes) and the org tree, as on the main thread;
// their caches follow changes through cache_versions, checked before each run.
const outbox = createReportOutbox({ enabled: true });
const org = createOrgService({ db, clock, report: outbox });
const settings = createSettingsService({ db, clock, org, report: outbox });
const syncCaches = createCacheSync(db, { settings: () => settings.refresh(), org: () => settings.refresh() });
const delivery = createReportDelivery({ db, clock, config: report, settings, log, ...(pg ? {} : { writeOutcome: writeOnMain }) });

const ready = (async () => {
  await settings.load();
  await syncCaches();
})();

port.on('message', (m: ToThread) => {
  if (m.type === 'written') {
    const w = writes.get(m.id);
    writes.delete(m.id);
    if (m.error === null) w?.resolve();
    else w?.reject(new Error(m.error));
  } else if (m.type === 'run') {
    ready
      .then(async () => {
        await syncCaches();
        const run = await delivery.deliverDue();
        send({ type: 'done', id: m.id, run });
      })
      .catch((err: unknown) => send({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }));
  } else if (m.type === 'stop') {
    void (async () => {
      await delivery.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
      port.close();
    })();
  }
});
