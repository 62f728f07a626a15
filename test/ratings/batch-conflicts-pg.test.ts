// Two transactions that write the same rows on PostgreSQL (two instances' rating batches; a batch and
// a staff action): the rollup rows of a batch are written in key order, so such transactions wait for
// each other instead of deadlocking; a batch that PostgreSQL still ends to break a lock cycle is
// written again, not failed (server/lib/group-commit.ts); any other request so ended is answered 503
// ConcurrentUpdate, to be sent again (the staff app does so by itself). SQLite's transactions take
// turns: none of this happens there.
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { api, saveSession } from '../../client/shared/api.js';
import { type Db, exec, rows, type Tx } from '../../db/client.js';
import { RollupBatch, writeRollups } from '../../db/queries/rollups.js';
import { GroupCommitter } from '../../server/lib/group-commit.js';
import { badCase, move, snapshot } from '../cases/helpers.js';
import { bearerFor, driverUnderTest } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();
const DAY = '2026-11-20';

/** A promise (`fired`) and the function that resolves it (`fire`): one step telling another to go on. */
function signal(): { fired: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const fired = new Promise<void>((r) => {
    fire = r;
  });
  return { fired, fire };
}

/**
 * A transaction on its own connection: `first`, then it waits until released, then `then`, then it
 * commits.
 */
function heldTransaction(db: Db, first: (tx: Tx) => Promise<void>, then?: (tx: Tx) => Promise<void>) {
  const gate = signal();
  const started = signal();
  const done = db.transaction(async (tx) => {
    await first(tx);
    started.fire();
    await gate.fired;
    await then?.(tx);
  });
  return { ready: started.fired, release: gate.fire, done };
}

const deadlocks = async (db: Db) =>
  Number((await rows<{ n: number }>(db, sql`SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()`))[0]!.n);

/**
 * The database's count of deadlocks once it is above `before`. A backend reports it with its other
 * statistics when idle, at most once a second (later when the statistics are busy), so the count can
 * lag the error by a second or more.
 */
async function deadlocksAfter(db: Db, before: number): Promise<number> {
  for (let i = 0; i < 150; i++) {
    const n = await deadlocks(db);
    if (n > before) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
  return deadlocks(db);
}

/** Waits until `n` backends of this database wait for a lock. */
async function untilWaiting(db: Db, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [r] = await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (r!.n >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`fewer than ${n} transactions waiting for a lock`);
}

/** Waits until a backend waits for a lock that backend `pid` holds. */
async function untilBlockedBy(db: Db, pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [r] = await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`,
    );
    if (r!.n >= 1) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no transaction waiting for backend ${pid}`);
}

/** A rollup batch of one 5★ rating per code, the codes added in the order given. */
function batchOf(codes: readonly { id: string; departmentId: number }[]): RollupBatch {
  const b = new RollupBatch();
  for (const c of codes)
    b.addRating(
      {
        codeId: c.id,
        departmentId: c.departmentId,
        day: DAY,
        hour: 10,
        score: 5,
        tags: [],
        realName: false,
        stored: { citizen: true, flagged: false, bound: false, detailed: false },
      },
      1,
      1,
    );
  return b;
}

const s5Of = async (db: Db) =>
  Object.fromEntries(
    (await rows<{ code: string; s5: number }>(db, sql`SELECT code_id AS code, s5 FROM daily_code_stats WHERE day = ${DAY}`)).map((r) => [
      r.code,
      Number(r.s5),
    ]),
  );

/**
 * Keys k1 < k2 < k3 in write order. With k3's row held by a third transaction, a batch of k1, k3, k2 and
 * then a batch of k2, k1 are written. In arrival order the first would hold k1 and wait for k3, the second
 * hold k2 and wait for k1, and the first then wait for k2: a cycle. In key order the first holds k1 and k2
 * and waits for k3, and the second waits for k1. Both must commit.
 */
async function crossedBatches<K>(
  [k1, k2, k3]: readonly [K, K, K],
  batchOfKeys: (keys: readonly K[]) => RollupBatch,
  holdK3: (tx: Tx) => Promise<void>,
): Promise<void> {
  await t.db.transaction((tx) => writeRollups(tx, batchOfKeys([k1, k2, k3])));
  const holder = heldTransaction(t.db, holdK3);
  await holder.ready;
  const first = t.db.transaction((tx) => writeRollups(tx, batchOfKeys([k1, k3, k2])));
  await untilWaiting(t.db, 1);
  const second = t.db.transaction((tx) => writeRollups(tx, batchOfKeys([k2, k1])));
  await untilWaiting(t.db, 2);
  holder.release();
  await holder.done;
  await expect(Promise.all([first, second])).resolves.toBeDefined();
}

describe.runIf(driverUnderTest === 'pg')('transactions that write the same rows, on PostgreSQL', () => {
  it('two batches with the same rollup rows in opposite orders wait for each other instead of deadlocking', async () => {
    // k1 < k2 < k3 in the order the rows are written (their keys, `code|day`, compared as strings).
    const [k1, k2, k3] = [w.codeA, w.codeB, w.codeC].sort((a, b) => (`${a.id}|${DAY}` < `${b.id}|${DAY}` ? -1 : 1)) as [
      typeof w.codeA,
      typeof w.codeA,
      typeof w.codeA,
    ];
    await crossedBatches([k1, k2, k3], batchOf, async (tx) => {
      await exec(tx, sql`SELECT 1 FROM daily_code_stats WHERE code_id = ${k3.id} AND day = ${DAY} FOR UPDATE`);
    });
    expect(await s5Of(t.db)).toEqual({ [k1.id]: 3, [k2.id]: 3, [k3.id]: 2 });
  });

  it('two batches of pushes that count 办件 of the same departments in opposite orders wait for each other', async () => {
    // matter_status_counts rows, written with the batch's other rollups in key order (`department|status`).
    const [d1, d2, d3] = [w.deptA.id, w.deptB.id, w.deptC.id].sort((a, b) => (`${a}|accepted` < `${b}|accepted` ? -1 : 1)) as [
      number,
      number,
      number,
    ];
    const counting = (departments: readonly number[]) => {
      const b = new RollupBatch();
      for (const departmentId of departments) b.countMatter(null, { departmentId, status: 'accepted' });
      return b;
    };
    await crossedBatches([d1, d2, d3], counting, async (tx) => {
      await exec(tx, sql`SELECT 1 FROM matter_status_counts WHERE department_id = ${d3} AND status = 'accepted' FOR UPDATE`);
    });
    const counts = await rows<{ d: number; n: number }>(
      t.db,
      sql`SELECT department_id AS d, count AS n FROM matter_status_counts WHERE status = 'accepted'`,
    );
    expect(Object.fromEntries(counts.map((r) => [Number(r.d), Number(r.n)]))).toEqual({ [d1]: 3, [d2]: 3, [d3]: 2 });
  });

  it('a batch ended by a lock cycle is written again, and every caller of it is answered', async () => {
    await exec(t.db, sql`CREATE TABLE lock_probe (id integer PRIMARY KEY, v integer NOT NULL)`);
    await exec(t.db, sql`INSERT INTO lock_probe VALUES (1, 0), (2, 0)`);
    const before = await deadlocks(t.db);
    let failedOnce = false;
    // The batch takes row 2 and waits at this gate; the other transaction then asks for row 2; only then
    // does the batch ask for row 1, which the other holds. The batch closes the cycle, so its own check
    // (deadlock_timeout after it began to wait) always finds it, however slow the machine; the other
    // transaction's check is put off far beyond. (The batch waiting first and the other closing the
    // cycle more than deadlock_timeout later made PostgreSQL end the other one on a loaded machine.)
    const row2Held = signal();
    const row1Asked = signal();
    // When PostgreSQL ends the batch, the other transaction is woken to take row 2, but a batch written
    // again at once can update row 2 first, then ask for row 1 again: a second cycle (the likely cause of
    // two deadlocks counted in a CI run). Written again, the batch waits until the other has committed.
    let otherDone: Promise<void> | undefined;
    let attemptsOf7 = 0;
    const committer = new GroupCommitter<number, number, null>(
      t.db,
      async (tx, item) => {
        // Item 0 fails once after writing, so the batch is written again with savepoints: the lock
        // cycle below then ends the attempt in which each item would fail alone.
        if (item === 0 && !failedOnce) {
          failedOnce = true;
          throw new Error('once');
        }
        if (item === 0) return 0;
        if (++attemptsOf7 > 1) await otherDone;
        await exec(tx, sql`UPDATE lock_probe SET v = v + ${item} WHERE id = 2`);
        row2Held.fire();
        await row1Asked.fired;
        await exec(tx, sql`UPDATE lock_probe SET v = v + ${item} WHERE id = 1`);
        return item;
      },
      { beforeBatch: async () => null },
    );
    const other = heldTransaction(
      t.db,
      async (tx) => {
        await exec(tx, sql`SET LOCAL deadlock_timeout = '60s'`);
        await exec(tx, sql`UPDATE lock_probe SET v = v + 100 WHERE id = 1`);
      },
      async (tx) => {
        await exec(tx, sql`UPDATE lock_probe SET v = v + 100 WHERE id = 2`);
      },
    );
    otherDone = other.done;
    await other.ready;
    // One batch of both (submitted in one turn).
    const answers = Promise.all([committer.submit(0), committer.submit(7)]);
    await row2Held.fired;
    other.release();
    await untilWaiting(t.db, 1);
    // The batch asks for row 1: a cycle. PostgreSQL ends the batch's transaction, and the other one
    // commits; the batch is written again.
    row1Asked.fire();
    await other.done;

    await expect(answers).resolves.toEqual([0, 7]);
    expect(attemptsOf7).toBe(2);
    expect(await deadlocksAfter(t.db, before)).toBe(before + 1);
    const probe = await rows<{ id: number; v: number }>(t.db, sql`SELECT id, v FROM lock_probe ORDER BY id`);
    expect(probe.map((r) => Number(r.v))).toEqual([107, 107]);
  });
});

/**
 * Runs `moveCase` (a move of case `caseId` of department A) into a lock cycle: another transaction holds
 * the open cases' count of the department, which the move lowers, and then asks for the case, which the
 * move has locked first (getCaseForUpdate). PostgreSQL ends the move's transaction, which waited first.
 * Answers what `moveCase` answered.
 */
async function moveInLockCycle<T>(caseId: number, moveCase: () => Promise<T>): Promise<T> {
  let otherPid = 0;
  const other = heldTransaction(
    t.db,
    async (tx) => {
      otherPid = Number((await rows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`))[0]!.pid);
      await exec(
        tx,
        sql`SELECT 1 FROM case_status_counts WHERE department_id = ${w.deptA.id} AND kind = 'bad_rating' AND status = 'open' FOR UPDATE`,
      );
    },
    async (tx) => {
      await exec(tx, sql`SELECT 1 FROM cases WHERE id = ${caseId} FOR UPDATE`);
    },
  );
  await other.ready;
  const answer = moveCase();
  // The move itself waiting on the other transaction (not any backend waiting on some lock: tests run
  // side by side): only then may the other close the cycle, so the move's deadlock check finds it.
  await untilBlockedBy(t.db, otherPid);
  other.release();
  await other.done;
  return answer;
}

describe.runIf(driverUnderTest === 'pg')('a staff action ended by a lock cycle, on PostgreSQL', () => {
  it('is answered 503 ConcurrentUpdate with Retry-After, stores nothing, and goes through when sent again', async () => {
    const { kase } = await badCase(t, w);
    const before = await snapshot(t, kase.id);
    const res = await moveInLockCycle(kase.id, () =>
      move(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid', note: '已回访' }),
    );
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toEqual({ error: 'ConcurrentUpdate', message: '有其他操作同时修改了相同的数据，本次操作未保存，请重试' });
    expect(await snapshot(t, kase.id)).toEqual(before);
    const again = await move(t, w.supervisor, kase.id, { to: 'visited', classification: 'valid', note: '已回访' });
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('visited');
  });

  it('is sent again by the staff app by itself (client/shared/api.ts): the move goes through once, no error shown', async () => {
    const { kase } = await badCase(t, w);
    const before = await snapshot(t, kase.id);
    // The staff app's own API client against the server over HTTP, its paths resolved as the page's are.
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const stored = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => stored.set(k, v),
      removeItem: (k: string) => stored.delete(k),
    });
    const realFetch = globalThis.fetch;
    const sent: number[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
      const res = await realFetch(new URL(path, base), init);
      sent.push(res.status);
      return res;
    });
    try {
      const token = bearerFor(t.app, w.supervisor).authorization.slice('Bearer '.length);
      saveSession(token, { id: w.supervisor.id, username: 'supervisor', displayName: '督查', role: 'supervisor', departmentIds: [] });
      const deadlocksBefore = await deadlocks(t.db);
      // The same lock cycle as above: PostgreSQL ends the move's first transaction.
      const moved = await moveInLockCycle(kase.id, () =>
        api<{ status: string }>(`/api/cases/${kase.id}/transitions`, {
          method: 'POST',
          body: { to: 'visited', classification: 'valid', note: '已回访' },
        }),
      );
      expect(moved.status).toBe('visited');
      expect(sent).toEqual([503, 200]);
      expect(await deadlocksAfter(t.db, deadlocksBefore)).toBe(deadlocksBefore + 1);
      // Stored once: one event more than before (the visit), not two.
      expect((await snapshot(t, kase.id)).events).toBe(Number(before.events) + 1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
