// Group commit: the work items that arrive while the event loop is busy are written in ONE SQLite
// transaction, and each caller is answered only after that transaction committed. A WAL commit
// costs far more than a rating's own inserts, so batching lifts ingest well above one commit per
// request. Each item runs in its own savepoint: a failing item rolls back alone and fails alone.
import type Database from 'better-sqlite3';
import { type Db, sqliteOf, type Tx } from '../../db/client.js';

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  /** Largest batch written in one transaction. */
  maxBatch?: number;
}

export class GroupCommitter<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly runItem: Database.Transaction<(item: I) => O>;
  private readonly runBatch: Database.Transaction<(batch: Pending<I, O>[]) => Array<{ ok: true; value: O } | { ok: false; err: unknown }>>;

  constructor(db: Db, work: (tx: Tx, item: I) => O, opts: GroupCommitOptions = {}) {
    this.maxBatch = opts.maxBatch ?? 100;
    // better-sqlite3's own transactions: their BEGIN/SAVEPOINT/COMMIT statements are prepared once.
    // A drizzle query inside runs on the same connection, so it joins them; drizzle's own nested
    // transactions would prepare a SAVEPOINT statement per item.
    const client = sqliteOf(db);
    const tx = db as unknown as Tx;
    this.runItem = client.transaction((item: I) => work(tx, item));
    this.runBatch = client.transaction((batch: Pending<I, O>[]) =>
      batch.map((p) => {
        try {
          // Nested: a savepoint, so a failing item rolls back alone.
          return { ok: true as const, value: this.runItem(p.item) };
        } catch (err) {
          return { ok: false as const, err };
        }
      }),
    );
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after the I/O callbacks of this loop turn: every request parsed in the
        // same turn joins the batch, and a lone request waits no timer.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything queued now (tests and shutdown call it directly). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let outcomes: Array<{ ok: true; value: O } | { ok: false; err: unknown }>;
      try {
        outcomes = this.runBatch(batch);
      } catch (err) {
        // The commit itself failed: nothing of this batch is stored, so every caller fails.
        for (const p of batch) p.reject(err);
        continue;
      }
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.err);
      });
    }
  }
}
