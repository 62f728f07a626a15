// Upward reporting's delivery (docs/domain.md 10.6, docs/operations.md 数据上报): a job claims the due
// records of the outbox, composes each record once (its body is kept — in the outbox from its first
// failure on, in the spool file while its first POST is under way on SQLite — so a resend sends the very
// same record under the same recordId), POSTs them in signed batches to REPORT_URL and writes the answer
// back. A 2xx acknowledges the whole batch; anything else, or no answer within REPORT_TIMEOUT_MS, sends
// the batch again later, with a backoff doubling from 1 s up to 60 s. A batch refused with a 4xx is
// split in halves until the record the receiver refuses is alone, so one bad record never blocks the
// others. A record failing for REPORT_DEAD_AFTER_HOURS becomes a dead letter, resent by hand.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Db } from '../../../db/client.js';
import { jsonArray } from '../../../db/client.js';
import * as q from '../../../db/queries/reporting.js';
import { chinaDay } from '../../../shared/china-time.js';
import type { ReportConfig } from '../../config.js';
import { type Clock, systemClock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { SettingsService } from '../settings/settings.service.js';
import { WAITING_FOR_REVIEW } from './outbox.js';
import { caseResultRecord, composeRating, missingCodes, type ReportRecord } from './records.js';
import { createSigner } from './signing.js';
import { createSpool } from './spool.js';

/** The longest wait between two attempts while the receiver fails (the contract: at most 60 s). */
export const MAX_BACKOFF_MS = 60_000;
/** How long one run keeps draining before it leaves the rest to the next run. */
const RUN_BUDGET_MS = 30_000;
/** The answer's size kept for the operator (a receiver's error page can be long). */
const ANSWER_CHARS = 300;
/** Why a record of an excluded rating is never sent. */
const DROPPED = '评价已剔除（不计入任何统计），不上报';

export interface PostAnswer {
  /** The HTTP status, or null when none came (timeout, refused, reset). */
  status: number | null;
  text: string;
}

export interface DeliveryRun {
  /** Records acknowledged in this run. */
  acked: number;
  /** Record-attempts that failed in this run. */
  failed: number;
  /** POSTs made. */
  posts: number;
}

/** The wait after the n-th failure in a row: 1 s, 2 s, 4 s … capped at 60 s. */
export function backoffMs(failuresInARow: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failuresInARow - 1));
}

/**
 * What a delivery writes back to the outbox after a POST (or a claim that sent nothing): the claim's
 * drops and waits; the records posted, acknowledged (`next` null) or failed (due again at `next`), with
 * the bodies the outbox did not hold yet; the POST in the batch log.
 */
export interface Outcome {
  decided: q.Settled[];
  /** The outbox ids posted (none: only `decided` is written). */
  ids: number[];
  unstored: Array<{ outboxId: number; body: string }>;
  next: number | null;
  now: number;
  status: number | null;
  answer: string;
  ms: number;
}

/** Writes an outcome in one transaction of `db` (on SQLite, the delivery thread's go through the main thread's connection). */
export async function writeOutcome(db: Db, o: Outcome, deadAfterMs: number): Promise<void> {
  await db.transaction(async (tx) => {
    await q.settleClaimed(tx, [
      ...o.decided,
      ...o.unstored.map((r) => ({ outboxId: r.outboxId, state: 'pending' as const, reason: null, body: r.body, next: o.next ?? o.now })),
    ]);
    if (!o.ids.length) return;
    const acked = o.next === null;
    if (acked) await q.markAcked(tx, o.ids, o.now, o.answer);
    else await q.markFailed(tx, o.ids, o.now, o.next ?? o.now, o.now - deadAfterMs, o.answer);
    await q.logBatch(tx, { at: o.now, day: chinaDay(o.now), records: o.ids.length, acked, status: o.status, answer: o.answer, ms: o.ms });
  });
}

/** A 4xx that is about the request itself (not 408 timeout or 429 slow down): a record in it may be refused. */
const isRefusal = (status: number | null) => status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;

export function createReportDelivery(deps: {
  db: Db;
  /** The application's clock: due times, backoff, dead letters (tests move it by hand). */
  clock: Clock;
  config: ReportConfig;
  settings: Pick<SettingsService, 'forDepartment'>;
  log: Logger;
  /** The wall clock the signature's timestamp comes from (a receiver checks it against its own). */
  wallClock?: Clock;
  /** Where outcomes are written (default: a transaction of `db`; the delivery thread on SQLite: the main thread). */
  writeOutcome?: (o: Outcome) => Promise<void>;
}) {
  const { db, clock, config, settings, log } = deps;
  const write = deps.writeOutcome ?? ((o: Outcome) => writeOutcome(db, o, config.deadAfterMs));
  const wall = deps.wallClock ?? systemClock;
  const signer = createSigner(config.signature, config.secret);
  const url = new URL(config.url);
  const https = url.protocol === 'https:';
  // One kept-alive connection: batches go one after another, and a new TLS handshake per batch would cost more than the batch.
  const agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const lease = 2 * config.timeoutMs + 30_000;
  // Beside the database file, as SQLite's own -wal and -shm files are.
  const spool = createSpool(db.driver === 'sqlite' && db.file !== ':memory:' ? `${db.file}-report-spool` : null);
  const appIdJson = JSON.stringify(config.appId);

  let running: Promise<DeliveryRun> | null = null;
  /** Set by `stop`: the run going on ends after its batch, and no run starts. */
  let stopped = false;
  /** Failed POSTs in a row (a 2xx resets it), and no claim before `pausedUntil`. */
  let failuresInARow = 0;
  let pausedUntil = 0;

  function post(body: string): Promise<PostAnswer> {
    const timestamp = String(wall.now());
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-report-timestamp': timestamp,
      'x-report-signature': signer.sign(timestamp, body),
      'x-report-signature-method': signer.method,
    };
    return new Promise((resolve) => {
      let settled = false;
      const done = (a: PostAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(a);
      };
      const req = (https ? httpsRequest : httpRequest)(url, { method: 'POST', headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < ANSWER_CHARS) text += c;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, text: text.slice(0, ANSWER_CHARS) }));
        res.on('error', (err) => done({ status: null, text: `应答中断：${err.message}` }));
      });
      const timer = setTimeout(() => {
        done({ status: null, text: `超时：${config.timeoutMs / 1000} 秒内无应答` });
        req.destroy();
      }, config.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => done({ status: null, text: `连接失败：${err.code ?? err.message}` }));
      req.end(body);
    });
  }

  const describe = (a: PostAnswer) => (a.status === null ? a.text : `HTTP ${a.status}${a.text ? `：${a.text}` : ''}`);

  /** A record to POST (keyed as the spool keys it): its body, and whether the outbox row holds that body already. */
  interface Outgoing {
    outboxId: number;
    ratingId: number;
    createdAt: number;
    body: string;
    stored: boolean;
  }

  /**
   * What to do with claimed rows: an excluded rating's record is dropped, a held one's waits for its
   * decision, one missing a code waits with the reason; the others are sent with their body (the one
   * stored, the one spooled before a crash, or composed now).
   */
  async function decide(rows: readonly q.ClaimedRow[], now: number): Promise<{ outgoing: Outgoing[]; decided: q.Settled[] }> {
    const outgoing: Outgoing[] = [];
    const decided: q.Settled[] = [];
    for (const row of rows) {
      const base = { outboxId: row.outboxId, body: null, next: now };
      if (row.excluded) {
        decided.push({ ...base, state: 'dropped', reason: DROPPED });
        continue;
      }
      if (row.held) {
        decided.push({ ...base, state: 'waiting', reason: WAITING_FOR_REVIEW });
        continue;
      }
      let body = row.body ?? spool.take({ outboxId: row.outboxId, ratingId: row.ratingId, createdAt: row.createdAt });
      if (body === null) {
        let composed: { record: ReportRecord; missing: string[] };
        if (row.kind === 'rating') {
          const { detailCodes } = (await settings.forDepartment(row.departmentId)).report;
          composed = composeRating({ ...row, id: row.ratingId, tags: jsonArray(row.tags) }, detailCodes);
        } else {
          const record = caseResultRecord({
            id: row.caseId ?? 0,
            caseNo: row.caseNo ?? '',
            ratingId: row.ratingId,
            closedAt: row.closedAt ?? now,
            classification: row.classification,
            satisfaction: row.satisfaction,
            projectNo: row.projectNo,
            rectification: row.rectification,
          });
          composed = { record, missing: missingCodes(record, 0) };
        }
        const { record, missing } = composed;
        if (missing.length) {
          decided.push({ ...base, state: 'waiting', reason: missing.join('；') });
          continue;
        }
        body = JSON.stringify(record);
      }
      outgoing.push({ outboxId: row.outboxId, ratingId: row.ratingId, createdAt: row.createdAt, body, stored: row.body !== null });
    }
    return { outgoing, decided };
  }

  /** A claimed batch: the records to POST, and the decisions about the others. */
  interface Claimed {
    outgoing: Outgoing[];
    /** Drops and waits not written yet (SQLite), written before the POST. */
    decided: q.Settled[];
    full: boolean;
  }

  /**
   * Claims up to a batch of due records.
   *
   * PostgreSQL (several instances): the rows are read, locked (instances skip each other's) and leased in
   * one transaction, each body stored before it is sent.
   *
   * SQLite (one process, one delivery): the rows are read and composed outside any transaction, and
   * nothing about the records sent is written before the POST; the batch's outcome (acknowledged; or
   * failed, the bodies stored for the resends) is then written in one transaction — by the main
   * thread, for the delivery thread, on the rating path's connection, so it must be cheap: storing each
   * body and lease before the POST, then clearing them at the acknowledgement, cost ~16 µs a record of
   * transaction time, the acknowledgement alone ~3.5 (bench report). A body sent but not yet written is
   * in the spool file beside the database, so a kill -9 between the POST and its outcome still resends
   * the very same record. One delivery per SQLite file: no lease is needed.
   */
  async function claim(now: number): Promise<Claimed> {
    if (db.driver === 'pg') {
      return db.transaction(async (tx) => {
        const rows = await q.claimDue(tx, now, config.batchSize);
        const { outgoing, decided } = await decide(rows, now);
        await q.settleClaimed(tx, [
          ...decided,
          ...outgoing.map((o) => ({
            outboxId: o.outboxId,
            state: 'pending' as const,
            reason: null,
            body: o.stored ? null : o.body,
            next: now + lease,
          })),
        ]);
        return { outgoing: outgoing.map((o) => ({ ...o, stored: true })), decided: [], full: rows.length === config.batchSize };
      });
    }
    const rows = await q.claimDue(db, now, config.batchSize);
    const { outgoing, decided } = await decide(rows, now);
    return { outgoing, decided, full: rows.length === config.batchSize };
  }

  /** Writes an attempt's outcome: acknowledged; or failed, due again at `next` (or dead), the bodies not stored yet stored for the resends. */
  async function settle(records: Outgoing[], answer: PostAnswer, ms: number, next: number | null): Promise<void> {
    const acked = next === null;
    await write({
      decided: [],
      ids: records.map((r) => r.outboxId),
      unstored: acked ? [] : records.filter((r) => !r.stored).map((r) => ({ outboxId: r.outboxId, body: r.body })),
      next,
      now: clock.now(),
      status: answer.status,
      answer: describe(answer),
      ms,
    });
    for (const r of records) r.stored = true;
  }

  /**
   * Sends records, splitting a refused batch (4xx) in halves until the refused record is alone. Answers
   * false when the receiver is failing (5xx, timeout, no connection): the run stops and backs off.
   */
  async function send(records: Outgoing[], run: DeliveryRun): Promise<boolean> {
    const started = wall.now();
    const answer = await post(`{"appId":${appIdJson},"records":[${records.map((r) => r.body).join(',')}]}`);
    run.posts++;
    const ids = records.map((r) => r.outboxId);
    if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
      await settle(records, answer, wall.now() - started, null);
      run.acked += ids.length;
      failuresInARow = 0;
      return true;
    }
    if (isRefusal(answer.status) && records.length > 1) {
      const half = Math.ceil(records.length / 2);
      return (await send(records.slice(0, half), run)) && send(records.slice(half), run);
    }
    run.failed += ids.length;
    if (isRefusal(answer.status)) {
      // One record the receiver refuses: it waits the longest backoff, the others go on.
      await settle(records, answer, wall.now() - started, clock.now() + MAX_BACKOFF_MS);
      log.warn({ recordIds: ids, status: answer.status }, 'report receiver refused a record');
      return true;
    }
    failuresInARow++;
    const wait = backoffMs(failuresInARow);
    pausedUntil = clock.now() + wait;
    await settle(records, answer, wall.now() - started, clock.now() + wait);
    log.warn({ records: ids.length, answer: describe(answer), retryInMs: wait }, 'report delivery failed; retried later');
    return false;
  }

  /**
   * Posts a claimed batch; false when the receiver is failing. The claim's drops and waits are written
   * first (rare: held ratings, missing codes): a release or a code filled in makes only records already
   * waiting due again, so one that lands between the read and this write (the few ms of composing, not
   * the POST's up to REPORT_TIMEOUT_MS) leaves its record waiting until the hourly sweep. Then the
   * bodies are spooled (SQLite) and sent.
   */
  async function deliver(c: Claimed, run: DeliveryRun): Promise<boolean> {
    if (c.decided.length) {
      await write({ decided: c.decided, ids: [], unstored: [], next: null, now: clock.now(), status: null, answer: '', ms: 0 });
    }
    if (!c.outgoing.length) return true;
    spool.write(c.outgoing);
    return send(c.outgoing, run);
  }

  return {
    /**
     * Drains the due records, batch after batch, until none is due, the receiver fails (then it backs
     * off) or the run has taken 30 s. A run already going on is joined, not doubled.
     */
    deliverDue(): Promise<DeliveryRun> {
      if (running) return running;
      running = (async () => {
        const run: DeliveryRun = { acked: 0, failed: 0, posts: 0 };
        const started = wall.now();
        while (!stopped && clock.now() >= pausedUntil && wall.now() - started < RUN_BUDGET_MS) {
          const claimed = await claim(clock.now());
          if (!(await deliver(claimed, run))) break;
          // A batch that was not full drained what was due: the next run (2 s on) finds what arrived
          // meanwhile in one batch, rather than a claim per handful of ratings (bench report: the
          // delivery's cost to the rating path fell from +57 to +12 µs a rating).
          if (!claimed.full) break;
        }
        return run;
      })().finally(() => {
        running = null;
      });
      return running;
    },

    /**
     * Ends the run going on: a POST in flight is cut (a failed attempt, retried after its backoff), its
     * outcome written, and no batch follows.
     */
    async stop(): Promise<void> {
      stopped = true;
      agent.destroy();
      await running;
    },

    /** Closes the kept-alive connection (the server is stopping). */
    close(): void {
      agent.destroy();
    },
  };
}
