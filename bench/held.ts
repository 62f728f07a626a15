// Part `held` / `held-pg` — the review queue of held ratings (issue #11: "the review queue stays ≤ 50 ms for
// 100 k held ratings"). The demo county gets 1 000 000 counted ratings and 100 000 held ones in 200 bursts
// of 500 (one network each), written straight into the tables; then the queue's routes are asked
// through the real app (app.inject, every plugin and the JSON schemas included) as the city's
// administrator (scope: every department) and the time per request is measured. Last, one burst is
// released and the rest excluded by the decision route, timed (information: a decision is rare).
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Db, exec, firstRow, isPg, statement } from '../db/client.js';
import { findUserByUsername } from '../db/queries/users.js';
import { DEMO_USERS } from '../db/seed.js';
import { chinaDay } from '../shared/china-time.js';
import { makeBenchApp, nextTurn, tempDir } from './lib/fixture.js';
import { benchCluster, freshPgDatabase } from './lib/postgres.js';
import { percentile, type Row, row } from './lib/results.js';

export interface HeldOptions {
  driver: 'sqlite' | 'pg';
  /** Requests per route measured. */
  requests: number;
  log: (msg: string) => void;
}

const COUNTED = 1_000_000;
const HELD = 100_000;
const BURST = 500;
const GOAL_MS = 50;

interface Item {
  c: string;
  d: number;
  s: number;
  at: number;
  day: string;
  n: string;
  k: string;
  h: number;
  g: number | null;
}

async function insertRatings(db: Db, items: readonly Item[]): Promise<void> {
  const text = isPg(db)
    ? `INSERT INTO ratings (code_id, department_id, score, tags, real_name, client_hash, net_hash, channel, created_at, day,
         flagged, flag_reason, held, hold_group_id)
       SELECT c, d, s, '[]', 0, k, n, 'qr', at, day, h, CASE WHEN h = 1 THEN 'network_burst' END, h, g
       FROM json_to_recordset(@rows::json) AS j(c text, d bigint, s int, at bigint, day text, n text, k text, h int, g bigint)`
    : `INSERT INTO ratings (code_id, department_id, score, tags, real_name, client_hash, net_hash, channel, created_at, day,
         flagged, flag_reason, held, hold_group_id)
       SELECT value ->> 'c', value ->> 'd', value ->> 's', '[]', 0, value ->> 'k', value ->> 'n', 'qr', value ->> 'at',
         value ->> 'day', value ->> 'h', CASE WHEN value ->> 'h' = 1 THEN 'network_burst' END, value ->> 'h', value ->> 'g'
       FROM json_each(@rows)`;
  await db.transaction(async (tx) => {
    await statement(tx, text).run({ rows: JSON.stringify(items) });
  });
}

export async function runHeld(opts: HeldOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const part = opts.driver === 'sqlite' ? 'held' : 'held-pg';
  const tmp = tempDir('held');
  let dropDatabase: (() => Promise<void>) | null = null;
  let dbFile = join(tmp.dir, 'app.db');
  if (opts.driver === 'pg') {
    const cluster = await benchCluster();
    if (!cluster) throw new Error('held-pg: PostgreSQL is not installed');
    const database = await freshPgDatabase(cluster, 'held');
    dropDatabase = database.drop;
    dbFile = database.url;
  }
  const t = await makeBenchApp({ dbFile, logger: false });
  const out: Row[] = [];
  const raw: Record<string, unknown> = {};
  try {
    const now = Date.now();
    const codes = t.codes;
    // The bursts first: 200 of them, each one network rating one department's windows.
    const groupIds: number[] = [];
    await t.db.transaction(async (tx) => {
      for (let g = 0; g < HELD / BURST; g++) {
        const code = codes[(g * 7) % codes.length]!;
        const at = now - (g + 1) * 3600_000;
        const row = await statement(
          tx,
          `INSERT INTO rating_hold_groups (rule, subject_kind, subject_hash, department_id, first_at, last_at, rating_count,
             held_count, created_at)
           VALUES ('network_burst', 'network', @hash, @departmentId, @at, @at, @n, @n, @at) RETURNING id`,
        ).get<{ id: number }>({
          hash: `benchnet${String(g).padStart(6, '0')}xxxxxxxxxxxxxxxxxx`,
          departmentId: code.departmentId,
          at,
          n: BURST,
        });
        groupIds.push(row!.id);
      }
    });
    opts.log(`${part}: ${groupIds.length} bursts; inserting ${COUNTED} counted and ${HELD} held ratings`);
    const total = COUNTED + HELD;
    const chunk: Item[] = [];
    for (let i = 0; i < total; i++) {
      const every = Math.floor(total / HELD);
      const held = i % every === every - 1 && Math.floor(i / every) < HELD;
      const heldIndex = Math.floor(i / every);
      const g = held ? Math.floor(heldIndex / BURST) : null;
      const code = g !== null ? codes[(g * 7) % codes.length]! : codes[i % codes.length]!;
      const at = now - Math.floor(((total - i) / total) * 90 * 86_400_000);
      chunk.push({
        c: code.id,
        d: code.departmentId,
        s: 1 + (i % 5),
        at,
        day: chinaDay(at),
        n: g !== null ? `benchnet${String(g).padStart(6, '0')}xxxxxxxxxxxxxxxxxx` : `net${i % 5000}`,
        k: `dev${i}`,
        h: held ? 1 : 0,
        g: g !== null ? groupIds[g]! : null,
      });
      if (chunk.length === 5000) {
        await insertRatings(t.db, chunk);
        chunk.length = 0;
      }
    }
    if (chunk.length) await insertRatings(t.db, chunk);
    // As autovacuum leaves a table: statistics, and the visibility map that index-only scans read.
    if (isPg(t.db)) await exec(t.db, sql`VACUUM ANALYZE`);
    else await t.db.transaction((tx) => exec(tx, sql`ANALYZE`));
    const heldNow = await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings WHERE held = 1`);
    opts.log(`${part}: ${heldNow?.n} held`);

    // The load shedder measured the event loop during the inserts: let it see a quiet loop again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const someDepartment = codes[7]!.departmentId;
    const network = 'benchnet000010xxxxxxxxxxxxxxxxxx';
    const routes: Array<[string, string]> = [
      ['queue, first page (scope: 40 departments)', '/api/ratings/held?limit=50'],
      ['queue, one department', `/api/ratings/held?limit=50&departmentId=${someDepartment}`],
      ['queue, one burst', `/api/ratings/held?limit=50&groupId=${groupIds[10]}`],
      ['queue, one network', `/api/ratings/held?limit=50&network=${network}`],
      ['queue, one window', `/api/ratings/held?limit=50&codeId=${codes[7]!.id}`],
      ['queue, a week', `/api/ratings/held?limit=50&from=${chinaDay(now - 7 * 86_400_000)}&to=${chinaDay(now)}`],
      ['queue, page 1000 (offset 49 950)', '/api/ratings/held?limit=50&offset=49950'],
      ['bursts, first page', '/api/ratings/held/groups?limit=50'],
    ];
    for (const [name, url] of routes) {
      const times: number[] = [];
      for (let i = 0; i < opts.requests + 3; i++) {
        await nextTurn();
        const t0 = performance.now();
        const res = await t.app.inject({ url, headers: t.auth });
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
        if (i >= 3) times.push(ms);
      }
      times.sort((a, b) => a - b);
      const p95 = percentile(times, 95);
      raw[name] = { p50: percentile(times, 50), p95 };
      out.push(
        row(part, name, 'p95', Math.round(p95 * 10) / 10, 'ms', { op: '<=', limit: GOAL_MS }, `p50 ${percentile(times, 50).toFixed(1)} ms`),
      );
    }

    // Decisions: the demo county's supervisor's (an administrator may not decide). The rollups are
    // rebuilt first (the ratings above were written without them), so the recount can check the decisions.
    await t.services.stats.rebuildRollups();
    const supervisorRow = await findUserByUsername(t.db, DEMO_USERS.supervisor.username);
    const actor = (await t.services.auth.resolveActor(supervisorRow!.id))!;
    const t0 = performance.now();
    const one = await t.services.heldRatings.decide(actor, { groupIds: [groupIds[0]!], decision: 'release', reason: '基准：计入一批' });
    out.push(row(part, `release one burst (${one.affected} ratings)`, 'time', Math.round(performance.now() - t0), 'ms'));
    const t1 = performance.now();
    const rest = await t.services.heldRatings.decide(actor, { filter: {}, decision: 'exclude', reason: '基准：排除其余' });
    out.push(row(part, `exclude the rest (${rest.affected} ratings)`, 'time', Math.round(performance.now() - t1), 'ms'));
    raw.decisionsRecountOk = (await t.services.stats.verifyRollups()).ok;
    return { rows: out, raw };
  } finally {
    await t.close();
    await dropDatabase?.();
    tmp.remove();
  }
}
