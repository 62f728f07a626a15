// Group commit: the work items that arrive while the event loop is busy are written in ONE
// transaction, and each caller is answered only after that transaction committed. A commit costs far
// more than a rating's own inserts (a WAL sync on SQLite, a round trip and a WAL flush on PostgreSQL),
// so batching lifts ingest well above one commit per request. Each item runs in its own savepoint: a
// failing item rolls back alone and fails alone.
import type { Db, Tx } from '../../db/client.js';

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

type Outcome<O> = { ok: true; value: O } | { ok: false; err: unknown };

export interface GroupCommitOptions {
  /** Largest batch written in one transaction. */
  maxBatch?: number;
}

export class GroupCommitter<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  private readonly maxBatch: number;
  private inFlight = new Set<Promise<void>>();

  /**
   * `work` runs once per item inside the batch's transaction (in a savepoint of it); `afterBatch`, when
   * given, runs once per batch inside the same transaction after every item (writes that are cheaper
   * per batch than per item), and a failure there fails the whole batch.
   */
  constructor(
    private readonly db: Db,
    private readonly work: (tx: Tx, item: I) => Promise<O>,
    opts: GroupCommitOptions & {
      afterBatch?: (tx: Tx, done: O[]) => Promise<void>;
      beforeBatch?: (tx: Tx, items: I[]) => Promise<void>;
    } = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 100;
    this.afterBatch = opts.afterBatch;
    this.beforeBatch = opts.beforeBatch;
  }

  private readonly afterBatch?: (tx: Tx, done: O[]) => Promise<void>;
  private readonly beforeBatch?: (tx: Tx, items: I[]) => Promise<void>;

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after the I/O callbacks of this loop turn: every request parsed in the
        // same turn joins the batch, and a lone request waits no timer.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Writes everything queued now and waits for every batch in progress (tests and shutdown). */
  async flush(): Promise<void> {
    this.scheduled = false;
    // One batch at a time, and each batch is taken when the one before it has committed: what arrived
    // meanwhile joins it. On PostgreSQL, where a batch waits on round trips while the event loop keeps
    // turning, a batch per turn held about one rating (bench/README.md); a batch after each commit holds
    // everything that queued up during it. It also sees everything the batch before it stored (a
    // retried idempotency key), as on SQLite.
    const drained = this.tail.then(() => this.drain());
    this.tail = drained;
    this.inFlight.add(drained);
    void drained.finally(() => this.inFlight.delete(drained));
    await Promise.all([...this.inFlight]);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.write(this.queue.splice(0, this.maxBatch));
  }

  private tail: Promise<void> = Promise.resolve();

  private async write(batch: Pending<I, O>[]): Promise<void> {
    let outcomes: Outcome<O>[];
    try {
      outcomes = await this.db.transaction(async (tx) => {
        const out: Outcome<O>[] = [];
        if (this.beforeBatch)
          await this.beforeBatch(
            tx,
            batch.map((p) => p.item),
          );
        for (const p of batch) {
          try {
            out.push({ ok: true, value: await tx.transaction((sp) => this.work(sp, p.item)) });
          } catch (err) {
            out.push({ ok: false, err });
          }
        }
        if (this.afterBatch) {
          const done = out.flatMap((o) => (o.ok ? [o.value] : []));
          await this.afterBatch(tx, done);
        }
        return out;
      });
    } catch (err) {
      // The commit itself failed: nothing of this batch is stored, so every caller fails.
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.err);
    });
  }
}
