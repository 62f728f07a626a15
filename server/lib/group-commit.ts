// Group commit: the work items that arrive while the event loop is busy are written in ONE
// transaction, and each caller is answered only after that transaction committed. A commit costs far
// more than a rating's own inserts (a WAL sync on SQLite, a round trip and a WAL flush on PostgreSQL),
// so batching lifts ingest well above one commit per request.
//
// A failing item fails alone. A batch is first written without savepoints (each costs two statements
// per item, two round trips on PostgreSQL): an item may still be refused there, as long as it is
// refused before it wrote anything (`refused`). Any other failure rolls the whole attempt back, and the
// batch is written again with each item in its own savepoint, so that only the failing item fails.
//
// On PostgreSQL a batch can also meet another transaction's (another instance's batch, a staff
// action) in a lock cycle; PostgreSQL then ends one of them (deadlock_detected). Nothing of that
// attempt is stored, so the batch is written again (up to CONFLICT_RETRIES times), not failed.
import { type Db, isTransientConflict, type Tx } from '../../db/client.js';

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

type Outcome<O> = { ok: true; value: O } | { ok: false; err: unknown };

export interface GroupCommitOptions<I, O, C> {
  /** Largest batch written in one transaction. */
  maxBatch?: number;
  /**
   * Runs first in each attempt's transaction and answers the attempt's context, which every item of
   * it sees (what the batch has done so far, facts read for the whole batch at once).
   */
  beforeBatch: (tx: Tx, items: I[], attempt: { savepoints: boolean }) => Promise<C>;
  /**
   * Runs last in the transaction with the items that succeeded (writes cheaper per batch than per
   * item). When it fails in the attempt without savepoints, the batch is written again with them.
   */
  afterBatch?: (tx: Tx, done: O[], context: C) => Promise<void>;
  /** Runs after the commit, with the items that were stored. */
  afterCommit?: (done: O[]) => void;
  /** Errors an item throws before it wrote anything: they need no savepoint to fail alone. */
  refused?: (err: unknown) => boolean;
}

/** Rolls back a savepoint-free attempt in which an item failed after writing (see the file comment). */
class RetryWithSavepoints extends Error {}

/** How many times a batch ended by a lock cycle or a serialization conflict is written again. */
const CONFLICT_RETRIES = 3;

export class GroupCommitter<I, O, C> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  private readonly maxBatch: number;
  private inFlight = new Set<Promise<void>>();

  /**
   * `work` runs once per item inside the batch's transaction, with the attempt's context; a failure
   * in `beforeBatch` or `afterBatch` fails the whole batch.
   */
  constructor(
    private readonly db: Db,
    private readonly work: (tx: Tx, item: I, context: C) => Promise<O>,
    private readonly opts: GroupCommitOptions<I, O, C>,
  ) {
    this.maxBatch = opts.maxBatch ?? 100;
  }
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
    for (let conflicts = 0; ; conflicts++) {
      try {
        try {
          outcomes = await this.attempt(batch, false);
        } catch (err) {
          if (!(err instanceof RetryWithSavepoints)) throw err;
          outcomes = await this.attempt(batch, true);
        }
        break;
      } catch (err) {
        if (isTransientConflict(err) && conflicts < CONFLICT_RETRIES) continue;
        // The commit itself failed: nothing of this batch is stored, so every caller fails.
        for (const p of batch) p.reject(err);
        return;
      }
    }
    this.opts.afterCommit?.(outcomes.flatMap((o) => (o.ok ? [o.value] : [])));
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.err);
    });
  }

  /** One transaction over the batch; without savepoints it gives up on the first failure after a write. */
  private attempt(batch: Pending<I, O>[], savepoints: boolean): Promise<Outcome<O>[]> {
    return this.db.transaction(async (tx) => {
      const context = await this.opts.beforeBatch(
        tx,
        batch.map((p) => p.item),
        { savepoints },
      );
      const out: Outcome<O>[] = [];
      for (const p of batch) {
        try {
          out.push({
            ok: true,
            value: savepoints ? await tx.transaction((sp) => this.work(sp, p.item, context)) : await this.work(tx, p.item, context),
          });
        } catch (err) {
          // A lock cycle is the transaction's, not the item's: the whole batch is written again.
          if (isTransientConflict(err)) throw err;
          if (!savepoints && !this.opts.refused?.(err)) throw new RetryWithSavepoints();
          out.push({ ok: false, err });
        }
      }
      if (this.opts.afterBatch) {
        const done = out.flatMap((o) => (o.ok ? [o.value] : []));
        if (savepoints) await this.opts.afterBatch(tx, done, context);
        else
          await this.opts
            .afterBatch(tx, done, context)
            .catch((err: unknown) => Promise.reject(isTransientConflict(err) ? err : new RetryWithSavepoints()));
      }
      return out;
    });
  }
}
