// Where a drain of the upward-report outbox spends its time, seen from outside the delivery job
// (server/modules/reporting/delivery.ts is not touched): every statement the app runs is timed (SQLite:
// better-sqlite3's Statement prototype; PostgreSQL: pg.Client.prototype.query, from the call to the
// answer), in order. Each delivery step is a claim transaction (BEGIN, the claim SELECT, the records
// composed in JS, the settle UPDATE, COMMIT), the POST (the batch joined and signed, the HTTP round trip,
// the receiver's work), then a settle transaction (BEGIN, the acknowledgement UPDATE, the batch's log
// row, COMMIT): the gap between a claim's COMMIT and the next BEGIN is the POST.
import type Database from 'better-sqlite3';
import pg from 'pg';
import { type Db, sqliteOf, writerOf } from '../../db/client.js';

interface Event {
  kind: Kind;
  t0: number;
  t1: number;
}

export type Kind = 'begin' | 'commit' | 'claim' | 'settleClaimed' | 'acked' | 'failed' | 'logBatch' | 'other';

function kindOf(sql: string): Kind {
  const s = sql.trim();
  if (/^begin\b/i.test(s)) return 'begin';
  if (/^commit\b/i.test(s)) return 'commit';
  // The claim: outbox rows joined with their ratings, whatever its shape (a CTE of the due ids or not).
  if (s.includes('"outboxId"') && s.includes('JOIN ratings r ON r.id = o.rating_id')) return 'claim';
  if (s.includes('UPDATE report_outbox SET state = batch.state')) return 'settleClaimed';
  if (s.includes("UPDATE report_outbox SET state = 'acked'")) return 'acked';
  if (s.includes('UPDATE report_outbox SET attempts = attempts + 1')) return 'failed';
  if (s.includes('INSERT INTO report_batches')) return 'logBatch';
  return 'other';
}

/** A statement as the driver got it: its text (PostgreSQL: with $n placeholders) and parameters. */
export interface SeenStatement {
  text: string;
  params: unknown[];
}

/** Milliseconds of the drain by step; `wallMs` is the whole, `unaccounted` what lies between the steps. */
export interface DrainBreakdown {
  /** The first statement of each kind run while the profiler was on (for their plans). */
  first: Partial<Record<Kind, SeenStatement>>;
  wallMs: number;
  batches: number;
  claimTx: { ms: number; selectMs: number; settleUpdateMs: number; beginCommitMs: number; otherSqlMs: number; composeJsMs: number };
  post: { ms: number };
  settleTx: { ms: number; ackUpdateMs: number; logInsertMs: number; beginCommitMs: number; otherMs: number };
  unaccountedMs: number;
}

type Fn = (...args: unknown[]) => unknown;

export function drainProfiler(db: Db) {
  const events: Event[] = [];
  const first: Partial<Record<Kind, SeenStatement>> = {};
  const seen = (kind: Kind, text: string, params: unknown[]) => {
    first[kind] ??= { text, params };
  };
  let restore: () => void;
  if (db.driver === 'sqlite') {
    const connections = new Set<Database.Database>([writerOf(db), sqliteOf(db)]);
    const proto = Object.getPrototypeOf(writerOf(db).prepare('SELECT 1')) as Record<string, Fn>;
    const originals = (['run', 'get', 'all', 'iterate'] as const).map((m) => [m, proto[m]!] as const);
    for (const [m, original] of originals) {
      proto[m] = function (this: Database.Statement, ...args: unknown[]) {
        if (!connections.has(this.database)) return original.apply(this, args);
        const t0 = performance.now();
        const out = original.apply(this, args);
        const kind = kindOf(this.source);
        events.push({ kind, t0, t1: performance.now() });
        seen(kind, this.source, args);
        return out;
      };
    }
    restore = () => {
      for (const [m, original] of originals) proto[m] = original;
    };
  } else {
    const proto = pg.Client.prototype as unknown as { query: Fn };
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const q = args[0];
      const text = typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '');
      const values = typeof q === 'string' ? args[1] : (q as { values?: unknown } | undefined)?.values;
      const t0 = performance.now();
      const out = original.apply(this, args);
      if (out && typeof (out as Promise<unknown>).then === 'function') {
        const e: Event = { kind: kindOf(text), t0, t1: t0 };
        events.push(e);
        seen(e.kind, text, Array.isArray(values) ? values : []);
        (out as Promise<unknown>).then(
          () => (e.t1 = performance.now()),
          () => (e.t1 = performance.now()),
        );
      }
      return out;
    };
    restore = () => {
      proto.query = original;
    };
  }
  const started = performance.now();

  return {
    /** Stops timing and splits the time since the profiler started. */
    stop(): DrainBreakdown {
      const wallMs = performance.now() - started;
      restore();
      const r: DrainBreakdown = {
        first,
        wallMs,
        batches: 0,
        claimTx: { ms: 0, selectMs: 0, settleUpdateMs: 0, beginCommitMs: 0, otherSqlMs: 0, composeJsMs: 0 },
        post: { ms: 0 },
        settleTx: { ms: 0, ackUpdateMs: 0, logInsertMs: 0, beginCommitMs: 0, otherMs: 0 },
        unaccountedMs: 0,
      };
      let i = 0;
      let lastClaimEnd: number | null = null;
      while (i < events.length) {
        if (events[i]!.kind !== 'begin') {
          i++;
          continue;
        }
        const begin = events[i]!;
        let j = i + 1;
        while (j < events.length && events[j]!.kind !== 'commit') j++;
        if (j === events.length) break;
        const inside = events.slice(i + 1, j);
        const commit = events[j]!;
        const ms = commit.t1 - begin.t0;
        const sum = (k: Kind) => inside.filter((e) => e.kind === k).reduce((n, e) => n + e.t1 - e.t0, 0);
        const bc = begin.t1 - begin.t0 + commit.t1 - commit.t0;
        if (inside.some((e) => e.kind === 'claim')) {
          const sqlMs = inside.reduce((n, e) => n + e.t1 - e.t0, 0);
          r.claimTx.ms += ms;
          r.claimTx.selectMs += sum('claim');
          r.claimTx.settleUpdateMs += sum('settleClaimed');
          r.claimTx.otherSqlMs += sqlMs - sum('claim') - sum('settleClaimed');
          r.claimTx.beginCommitMs += bc;
          r.claimTx.composeJsMs += ms - sqlMs - bc;
          lastClaimEnd = commit.t1;
        } else if (inside.some((e) => e.kind === 'acked' || e.kind === 'failed')) {
          r.batches++;
          r.settleTx.ms += ms;
          r.settleTx.ackUpdateMs += sum('acked') + sum('failed');
          r.settleTx.logInsertMs += sum('logBatch');
          r.settleTx.beginCommitMs += bc;
          r.settleTx.otherMs += ms - bc - sum('acked') - sum('failed') - sum('logBatch');
          if (lastClaimEnd !== null) r.post.ms += begin.t0 - lastClaimEnd;
          lastClaimEnd = null;
        }
        i = j + 1;
      }
      r.unaccountedMs = wallMs - r.claimTx.ms - r.post.ms - r.settleTx.ms;
      return r;
    },
  };
}
