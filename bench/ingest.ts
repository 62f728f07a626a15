// Part 1 — ingest: the real POST /api/codes/{code}/ratings against two baselines started in the same
// run: (a) bare Fastify + the same body schema, (b) (a) + one prepared autocommit insert. Each target
// gets a fresh database, a warm-up, then a fixed number of requests sized from the warm-up rate so
// that every answer is counted (autocannon `amount`): the rows stored must equal the 2xx answers.
// On PostgreSQL (a throw-away cluster with the default durability, lib/postgres.ts): (p) the real route
// of one instance in this process, (q) two real server processes sharing the database.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { closeDb, openDb, sqliteOf, writerOf } from '../db/client.js';
import { migrateDb } from '../db/migrate.js';
import { seedDemo } from '../db/seed.js';
import { countStatements, countWrites } from '../db/statement-count.js';
import { SETTINGS_DEFAULTS } from '../shared/api/settings.js';
import { bareApp } from './lib/baselines.js';
import { procCpuSeconds, selfCpuSeconds } from './lib/cpu.js';
import { type BenchApp, listen, makeBenchApp, tempDir } from './lib/fixture.js';
import { type LoadResult, runLoad } from './lib/load.js';
import { benchCluster, clusterInfo, clusterPids, freshPgDatabase, queryOnce } from './lib/postgres.js';
import { ratingBodies } from './lib/rating-bodies.js';
import { type Row, row } from './lib/results.js';
import { startServer } from './lib/server-process.js';

export interface IngestOptions {
  duration: number;
  connections: number;
  warmup: number;
  rounds: number;
  /** Only these targets (keys: a b c c-nets c-nets-nolog e m m-pg p p-nets q q-nets s); all when empty. (a) is always measured. */
  targets?: string[];
  log: (msg: string) => void;
}

/** What the app sent to its database during the measured requests (the real route). */
type Counts =
  | { driver: 'sqlite'; writer: number; reader: number; transactions: number }
  | { driver: 'pg'; queries: number; transactions: number; byStatement: Record<string, number> };

interface Started {
  /** Several: the load is spread over them. */
  url: string | string[];
  /** The active codes the bodies rate. */
  codes: string[];
  /** The ratings go to these 办件's one-time links instead of the window codes (LoadSpec.links). */
  links?: { prefix: string; count: number };
  /** The requests push 办件 with this integration key instead of rating (LoadSpec.matters). */
  matters?: { apiKey: string; prefix: string };
  rows(): Promise<number | null>;
  /** Starts counting the app's statements; the function returned stops and answers the counts. */
  count?(): () => Counts;
  /** CPU seconds used so far: by the app (this process when it runs here) and by PostgreSQL. */
  cpu(): { app: number; postgres: number | null };
  close(): Promise<void>;
}

interface Target {
  key: string;
  label: string;
  start(dir: string): Promise<Started>;
  networks: number;
  /** Needs PostgreSQL. */
  pg?: boolean;
}

function count(sqlite: Database.Database, table: string): number {
  return (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

async function startBare(dir: string, withDb: boolean): Promise<Started> {
  const file = join(dir, 'bare.db');
  const db = openDb(file);
  await migrateDb(db);
  await seedDemo(db, { passwordHash: 'x', now: Date.now() });
  // (b) inserts through the writing connection (production pragmas); the counts read committed rows.
  let app: FastifyInstance | null = await bareApp(withDb ? writerOf(db) : null);
  const url = await listen(app);
  const codes = (sqliteOf(db).prepare('SELECT id FROM codes WHERE active = 1 ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  return {
    url,
    codes,
    rows: async () => (withDb ? count(sqliteOf(db), 'ratings') : null),
    cpu: () => ({ app: selfCpuSeconds(), postgres: null }),
    async close() {
      await app?.close();
      app = null;
      await closeDb(db);
    },
  };
}

/** Counts every execution of a prepared statement on the app's two connections, and the BEGINs among them. */
function statementCounter(db: BenchApp['db']): () => () => Counts {
  return () => {
    const writer = countStatements([writerOf(db)]);
    const reader = countStatements([sqliteOf(db)]);
    const transactions = countStatements([writerOf(db)], { filter: (s) => s === 'BEGIN IMMEDIATE' });
    return () => {
      for (const c of [writer, reader, transactions]) c.stop();
      return { driver: 'sqlite', writer: writer.count, reader: reader.count, transactions: transactions.count };
    };
  };
}

async function startReal(
  dir: string,
  logger: 'production' | false,
  env: Record<string, string> = {},
): Promise<Started & { db: BenchApp['db'] }> {
  const t = await makeBenchApp({ dbFile: join(dir, 'app.db'), logger, logFile: join(dir, 'server.log'), env });
  const url = await listen(t.app);
  return {
    db: t.db,
    url,
    codes: t.codes.map((c) => c.id),
    rows: async () => count(sqliteOf(t.db), 'ratings'),
    count: statementCounter(t.db),
    cpu: () => ({ app: selfCpuSeconds(), postgres: null }),
    close: () => t.close(),
  };
}

/** Finished 办件 the link target rates: enough for every request of a round, one 办件 each. */
const LINK_MATTERS = 600_000;

/**
 * (e): the real app with LINK_MATTERS finished 办件 at the county's windows, each with a one-time link
 * `${prefix}${i}` valid for a week: the rating path of 一次一评, next to (c)'s window codes.
 */
async function startLinks(dir: string): Promise<Started> {
  const started = await startReal(dir, 'production', { TRUST_PROXY: '127.0.0.1' });
  const prefix = `bench${randomBytes(6).toString('hex')}x`;
  const sqlite = writerOf(started.db!);
  const now = Date.now();
  const codes = sqlite.prepare('SELECT id, department_id AS d FROM codes WHERE active = 1 ORDER BY id').all() as {
    id: string;
    d: number;
  }[];
  const insert = sqlite.prepare(
    `INSERT INTO matters (project_no, code_id, department_id, task_code, task_name, staff_name, status, accepted_at, finished_at,
       finished_day, link_token, link_expires_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, '个体工商户设立登记', '张敏', 'finished', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
  sqlite.transaction(() => {
    for (let i = 0; i < LINK_MATTERS; i++) {
      const c = codes[i % codes.length]!;
      insert.run(
        `BENCH-${prefix}${i}`,
        c.id,
        c.d,
        `T${i % 40}`,
        now - 3600_000,
        now - 60_000,
        day,
        `${prefix}${i}`,
        now + 7 * 86_400_000,
        now,
        now,
      );
    }
  })();
  // The rollups of these 办件 are left out: the bench measures the rating path, not the figures.
  return { ...started, links: { prefix, count: LINK_MATTERS } };
}

/** (m): the real app with an integration of the demo county's administrator, pushing finished 办件. */
async function startMatterPushes(dir: string): Promise<Started> {
  const t = await makeBenchApp({
    dbFile: join(dir, 'app.db'),
    logger: 'production',
    logFile: join(dir, 'server.log'),
    env: { TRUST_PROXY: '127.0.0.1', INTEGRATION_MAX_REQUESTS_PER_MINUTE: '1000000' },
  });
  const url = await listen(t.app);
  const { apiKey } = await t.services.integrations.create(t.admin, { name: 'bench 一窗受理系统' });
  const sqlite = sqliteOf(t.db);
  return {
    url,
    codes: t.codes.map((c) => c.id),
    matters: { apiKey, prefix: `B${randomBytes(6).toString('hex')}-` },
    rows: async () => count(sqlite, 'matters'),
    count: statementCounter(t.db),
    cpu: () => ({ app: selfCpuSeconds(), postgres: null }),
    close: () => t.close(),
  };
}

async function pgCluster() {
  const cluster = await benchCluster();
  if (!cluster) throw new Error('PostgreSQL is not installed');
  return cluster;
}

/** (p) The production app in this process on a fresh PostgreSQL database, demo county seeded. */
async function startRealPg(dir: string): Promise<Started> {
  const cluster = await pgCluster();
  const database = await freshPgDatabase(cluster, 'ingest_p');
  const t = await makeBenchApp({
    dbFile: database.url,
    logger: 'production',
    logFile: join(dir, 'server.log'),
    env: { TRUST_PROXY: '127.0.0.1' },
  });
  const url = await listen(t.app);
  return {
    url,
    codes: t.codes.map((c) => c.id),
    rows: async () => pgCount(database.url),
    count: pgCounter(t.db),
    cpu: () => ({ app: selfCpuSeconds(), postgres: procCpuSeconds(clusterPids(cluster)) }),
    async close() {
      await t.close();
      await database.drop();
    },
  };
}

/** Counts every query this process's PostgreSQL clients send (each one round trip), and the BEGINs. */
function pgCounter(db: BenchApp['db']): () => () => Counts {
  return () => {
    const byStatement: Record<string, number> = {};
    const queries = countWrites(db, {
      filter: (text) => {
        const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
        byStatement[key] = (byStatement[key] ?? 0) + 1;
        return true;
      },
    });
    const transactions = countWrites(db, { transactions: true });
    return () => {
      queries.stop();
      transactions.stop();
      return { driver: 'pg', queries: queries.count, transactions: transactions.count, byStatement };
    };
  };
}

/** (m) on PostgreSQL: the same pushes as (m), the app in this process on a fresh database, as (p). */
async function startMatterPushesPg(dir: string): Promise<Started> {
  const cluster = await pgCluster();
  const database = await freshPgDatabase(cluster, 'ingest_mp');
  const t = await makeBenchApp({
    dbFile: database.url,
    logger: 'production',
    logFile: join(dir, 'server.log'),
    env: { TRUST_PROXY: '127.0.0.1', INTEGRATION_MAX_REQUESTS_PER_MINUTE: '1000000' },
  });
  const url = await listen(t.app);
  const { apiKey } = await t.services.integrations.create(t.admin, { name: 'bench 一窗受理系统' });
  return {
    url,
    codes: t.codes.map((c) => c.id),
    matters: { apiKey, prefix: `B${randomBytes(6).toString('hex')}-` },
    rows: async () => pgCount(database.url, 'matters'),
    count: pgCounter(t.db),
    cpu: () => ({ app: selfCpuSeconds(), postgres: procCpuSeconds(clusterPids(cluster)) }),
    async close() {
      await t.close();
      await database.drop();
    },
  };
}

/**
 * (q) Two real server processes (`node --import tsx server/main.ts`, as `npm run serve`) on one fresh
 * PostgreSQL database, each with its own pool and port, started with the production environment after
 * the database was seeded once here (migrations, the demo county, the bench's limits).
 */
async function startTwoInstances(dir: string): Promise<Started> {
  const cluster = await pgCluster();
  const database = await freshPgDatabase(cluster, 'ingest_q');
  // Every instance on one database shares these (config.ts refuses to start without them).
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), DATA_KEY: randomBytes(32).toString('hex') };
  const seeded = await makeBenchApp({ dbFile: database.url, logger: false, env: secrets });
  const codes = seeded.codes.map((c) => c.id);
  await seeded.close();
  const env = {
    ...secrets,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    TRUST_PROXY: '127.0.0.1',
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    PUBLIC_BASE_URL: 'https://pingyi.example.gov.cn',
    CLIENT_DIR: 'dist/client',
  };
  const servers = await Promise.all([0, 1].map((i) => startServer(env, join(dir, `server-${i}.log`))));
  return {
    url: servers.map((s) => s.url),
    codes,
    rows: async () => pgCount(database.url),
    cpu: () => ({ app: procCpuSeconds(servers.map((s) => s.pid)), postgres: procCpuSeconds(clusterPids(cluster)) }),
    async close() {
      await Promise.all(servers.map((s) => s.stop()));
      await database.drop();
    },
  };
}

async function pgCount(url: string, table = 'ratings'): Promise<number> {
  return (await queryOnce<{ n: number }>(url, `SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
}

const TARGETS: Target[] = [
  { key: 'a', label: '(a) bare Fastify + schema', start: (d) => startBare(d, false), networks: 1 },
  { key: 'b', label: '(b) bare + 1 prepared insert', start: (d) => startBare(d, true), networks: 1 },
  // From 10 networks, not one: the settings cap one network at 100 000 ratings a minute (a whole
  // hall behind one Wi-Fi is ~1 a second), which a single address reaches within a 10 s round.
  { key: 'c', label: '(c) real route, 10 networks', start: (d) => startReal(d, 'production', { TRUST_PROXY: '127.0.0.1' }), networks: 10 },
  // The same load from 1000 networks (X-Forwarded-For from a trusted proxy): the per-network burst
  // count then covers a few rows instead of every rating of the last 10 minutes.
  {
    key: 'c-nets',
    label: '(c) real route, 1000 networks',
    start: (d) => startReal(d, 'production', { TRUST_PROXY: '127.0.0.1' }),
    networks: 1000,
  },
  // …and without the request log: the difference is what logging costs.
  {
    key: 'c-nets-nolog',
    label: '(c) real route, 1000 networks, logger off',
    start: (d) => startReal(d, false, { TRUST_PROXY: '127.0.0.1' }),
    networks: 1000,
  },
  // 一次一评: the same bodies and networks as (c), each rating a different finished 办件 through its link.
  { key: 'e', label: '(e) 办件 link route, 10 networks', start: startLinks, networks: 10 },
  // A business system pushing finished 办件 (PUT /api/matters/{projectNo}, integration key), each a new one.
  { key: 'm', label: '(m) PUT /api/matters, new finished 办件', start: startMatterPushes, networks: 10 },
  // The same pushes on PostgreSQL (its ratio to (p), the rating route there).
  { key: 'm-pg', label: '(m) PUT /api/matters on PostgreSQL', start: startMatterPushesPg, networks: 10, pg: true },
  // The same route and load as (c) 10 networks, on PostgreSQL.
  { key: 'p', label: '(p) real route on PostgreSQL, one instance', start: startRealPg, networks: 10, pg: true },
  { key: 'q', label: '(q) real route on PostgreSQL, two instances', start: startTwoInstances, networks: 10, pg: true },
  // (p) and (q) from 1000 networks, as c-nets is (c): a network's window then holds a few rows, and two
  // instances' batches no longer take turns on the same network locks (bench/README.md).
  { key: 'p-nets', label: '(p) real route on PostgreSQL, one instance, 1000 networks', start: startRealPg, networks: 1000, pg: true },
  {
    key: 'q-nets',
    label: '(q) real route on PostgreSQL, two instances, 1000 networks',
    start: startTwoInstances,
    networks: 1000,
    pg: true,
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ratings service alone, no HTTP: batches of 100 submitted and flushed (the database's ceiling). */
async function serviceOnly(dir: string, n: number): Promise<number> {
  const t = await makeBenchApp({ dbFile: join(dir, 'svc.db'), logger: false });
  try {
    const next = ratingBodies({
      codes: t.codes.map((c) => c.id),
      goodTags: SETTINGS_DEFAULTS.tags.good,
      badTags: SETTINGS_DEFAULTS.tags.bad,
      badShare: 0.05,
      seed: 3,
    });
    const t0 = performance.now();
    for (let i = 0; i < n; i += 100) {
      const pending = [];
      for (let j = 0; j < 100; j++) {
        const r = next();
        pending.push(
          t.services.ratings.submit({
            code: r.code,
            body: JSON.parse(r.body),
            ip: `10.0.${((i + j) % 1000) >> 8}.${((i + j) % 1000) & 255}`,
            userAgent: 'bench',
          }),
        );
      }
      // submit() reads the code before it queues the rating, so the batch may reach the committer
      // after flush() was called: its own setImmediate then writes it, in one transaction as well.
      await Promise.all([...pending, t.services.ratings.flush()]);
    }
    return n / ((performance.now() - t0) / 1000);
  } finally {
    await t.close();
  }
}

interface Measured {
  run: LoadResult;
  warmup: LoadResult;
  amount: number;
  storedRows: number | null;
  /** What the app sent to its database during the measured requests (the real routes). */
  counts: Counts | null;
  /** CPU seconds during the measured requests: the app, PostgreSQL (null: none), the load generator. */
  cpu: { app: number; postgres: number | null; load: number };
}

/** One measurement of one target on a fresh database: warm-up, then a fixed number of requests. */
async function measure(target: Target, opts: IngestOptions, round: number): Promise<Measured> {
  const tmp = tempDir(`ingest-${target.key}`);
  const server = await target.start(tmp.dir);
  try {
    const bodies = (seed: number) => ({
      codes: server.codes,
      goodTags: SETTINGS_DEFAULTS.tags.good,
      badTags: SETTINGS_DEFAULTS.tags.bad,
      badShare: 0.05,
      seed,
    });
    const base = { url: server.url, connections: opts.connections, networks: target.networks };
    const links = server.links;
    const matters = server.matters;
    const warmup = await runLoad({
      ...base,
      duration: opts.warmup,
      bodies: bodies(round * 2 + 1),
      ...(links ? { links: { prefix: links.prefix, from: 0 } } : {}),
      ...(matters ? { matters: { ...matters, prefix: `${matters.prefix}w` } } : {}),
    });
    // A fixed amount sized to ~duration seconds, so that every request is answered before the count.
    let amount = Math.max(opts.connections * 20, Math.round(warmup.reqPerSec * opts.duration));
    // Each link request rates a 办件 not rated yet (the warm-up's come first).
    const linkFrom = warmup.ok2xx + warmup.non2xx + warmup.errors + warmup.timeouts + opts.connections;
    if (links) amount = Math.min(amount, links.count - linkFrom);
    await sleep(300);
    const before = await server.rows();
    const cpu0 = server.cpu();
    const stopCounting = server.count?.();
    let counts: Counts | null = null;
    let run: LoadResult;
    try {
      run = await runLoad({
        ...base,
        duration: 0,
        amount,
        bodies: bodies(round * 2 + 2),
        ...(links ? { links: { prefix: links.prefix, from: linkFrom } } : {}),
        ...(matters ? { matters } : {}),
      });
      await sleep(300);
    } finally {
      counts = stopCounting?.() ?? null;
    }
    const cpu1 = server.cpu();
    const after = await server.rows();
    const storedRows = before === null || after === null ? null : after - before;
    const cpu = {
      app: cpu1.app - cpu0.app,
      postgres: cpu1.postgres === null || cpu0.postgres === null ? null : cpu1.postgres - cpu0.postgres,
      load: run.cpuS,
    };
    const perRating = counts && storedRows ? `, ${perRatingNote(counts, storedRows)}` : '';
    opts.log(
      `ingest round ${round + 1} ${target.label}: ${Math.round(run.reqPerSec)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms${perRating}; ${cpuNote(cpu, run.durationS)}`,
    );
    return { run, warmup, amount, storedRows, counts, cpu };
  } finally {
    await server.close();
    tmp.remove();
  }
}

function perRatingNote(c: Counts, n: number): string {
  return c.driver === 'sqlite'
    ? `${round2((c.writer + c.reader) / n)} statements/rating, ${round2(n / c.transactions)} ratings/transaction`
    : `${round2(c.queries / n)} round trips/rating, ${round2(n / c.transactions)} ratings/transaction`;
}

/** Cores busy during the measured requests (CPU seconds per second of the run), by process. */
function cpuNote(cpu: Measured['cpu'], seconds: number): string {
  const cores = (s: number) => round2(s / seconds);
  return `cores busy: app ${cores(cpu.app)}${cpu.postgres === null ? '' : `, PostgreSQL ${cores(cpu.postgres)}`}, load generator ${cores(cpu.load)}`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function runIngest(opts: IngestOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  let targets = TARGETS.filter((t) => !opts.targets?.length || t.key === 'a' || opts.targets.includes(t.key));
  if (targets.some((t) => t.pg)) {
    const cluster = await benchCluster();
    if (cluster) {
      raw.postgres = await clusterInfo(cluster);
      opts.log(`ingest: PostgreSQL ${JSON.stringify(raw.postgres)}`);
    } else {
      opts.log('ingest: PostgreSQL is not installed: (p) and (q) skipped');
      targets = targets.filter((t) => !t.pg);
    }
  }
  const all = new Map<string, Measured[]>(targets.map((t) => [t.key, []]));
  // Rounds interleave the targets, so that a noisy neighbour on this shared machine hits all of
  // them alike; ratios are taken within a round, then the median over rounds is reported.
  for (let round = 0; round < opts.rounds; round++) {
    for (const target of targets) all.get(target.key)!.push(await measure(target, opts, round));
  }
  for (const target of targets) {
    const ms = all.get(target.key)!;
    const rps = ms.map((m) => m.run.reqPerSec);
    const mid = ms.find((m) => m.run.reqPerSec === median(rps)) ?? ms[0]!;
    const name = target.label;
    const spread = `rounds: ${rps.map((x) => Math.round(x)).join(', ')}`;
    rows.push(row('ingest', name, `req/s (median of ${ms.length})`, Math.round(median(rps)), '', null, spread));
    rows.push(row('ingest', name, 'p50 latency (median round)', mid.run.p50, 'ms'));
    rows.push(row('ingest', name, 'p99 latency (median round)', mid.run.p99, 'ms'));
    rows.push(
      row(
        'ingest',
        name,
        'non-2xx + errors',
        ms.reduce((n, m) => n + m.run.non2xx + m.run.errors + m.run.timeouts, 0),
        '',
        { op: '<=', limit: 0, unit: '' },
      ),
    );
    if (ms[0]!.storedRows !== null) {
      const diff = Math.max(...ms.map((m) => Math.abs(m.storedRows! - m.run.ok2xx)));
      const note = ms.map((m) => `${m.storedRows} rows/${m.run.ok2xx} 2xx`).join('; ');
      rows.push(row('ingest', name, '|rows stored − 2xx answers|', diff, '', { op: '<=', limit: 0, unit: '' }, note));
    }
    const c = mid.counts;
    const n = mid.storedRows;
    if (c && n) {
      if (c.driver === 'sqlite') {
        const note = `median round: ${round2(c.writer / n)} on the writing connection, ${round2(c.reader / n)} on the reading one; ${round2(n / c.transactions)} ratings per transaction`;
        rows.push(row('ingest', name, 'SQLite statements per rating', round2((c.writer + c.reader) / n), '', null, note));
      } else {
        const note = `median round: ${c.queries} queries for ${n} ratings; ${c.transactions} transactions`;
        rows.push(row('ingest', name, 'PostgreSQL round trips per rating', round2(c.queries / n), '', null, note));
        const top = Object.entries(c.byStatement).sort((x, y) => y[1] - x[1]);
        opts.log(`ingest: ${name}, round trips per rating by statement (median round):`);
        for (const [text, k] of top.slice(0, 16)) opts.log(`  ${round2(k / n)}  ${text}`);
        rows.push(row('ingest', name, 'ratings per transaction', round2(n / c.transactions), '', null));
      }
    }
    const cores = (s: number) => round2(s / mid.run.durationS);
    rows.push(row('ingest', name, 'cores busy: app (median round)', cores(mid.cpu.app), '', null, cpuNote(mid.cpu, mid.run.durationS)));
    if (mid.cpu.postgres !== null) rows.push(row('ingest', name, 'cores busy: PostgreSQL (median round)', cores(mid.cpu.postgres), ''));
    rows.push(row('ingest', name, 'cores busy: load generator (median round)', cores(mid.cpu.load), ''));
  }
  const ratios = (key: string, base: string) => all.get(key)!.map((m, i) => m.run.reqPerSec / all.get(base)![i]!.run.reqPerSec);
  const ratio = (key: string, base: string) => round2(median(ratios(key, base)));
  // Small ratios print as 0.01 in the table: the note keeps three significant digits, round by round.
  const perRound = (key: string, base: string) =>
    `median ${median(ratios(key, base)).toPrecision(3)}; rounds: ${ratios(key, base)
      .map((r) => r.toPrecision(3))
      .join(', ')}`;
  // Issue 18's goals: the real rating route at ≥ 0.5× the bare POST on SQLite, ≥ 0.2× on PostgreSQL.
  const goals: Record<string, number> = { c: 0.5, p: 0.2 };
  for (const key of ['c', 'c-nets', 'c-nets-nolog', 'e', 'm', 'p', 'p-nets', 'q', 'q-nets']) {
    if (!all.has(key)) continue;
    const label = TARGETS.find((t) => t.key === key)!.label;
    const goal = goals[key];
    const check = goal ? ({ op: '>=', limit: goal, unit: '×' } as const) : null;
    rows.push(row('ingest', `${label} / (a)`, 'ratio', ratio(key, 'a'), '×', check, perRound(key, 'a')));
    if (all.has('b')) rows.push(row('ingest', `${label} / (b)`, 'ratio', ratio(key, 'b'), '×', null, perRound(key, 'b')));
  }
  const pair = (key: string, base: string, name: string) => {
    if (all.has(key) && all.has(base)) rows.push(row('ingest', name, 'ratio', ratio(key, base), '×', null, perRound(key, base)));
  };
  pair('p', 'c', '(p) PostgreSQL / (c) SQLite, one instance');
  pair('m-pg', 'p', '(m) PUT 办件 / (p) window-code rating, on PostgreSQL');
  // Issue 13's goals: pushing a 办件 at ≥ 0.5× the rating route; a 办件's rating through its link as
  // fast as a window code's (≥ 0.9×).
  if (all.has('m') && all.has('c'))
    rows.push(
      row(
        'ingest',
        '(m) PUT 办件 / (c) window-code rating, 10 networks',
        'ratio',
        ratio('m', 'c'),
        '×',
        { op: '>=', limit: 0.5, unit: '×' },
        perRound('m', 'c'),
      ),
    );
  if (all.has('e') && all.has('c'))
    rows.push(
      row(
        'ingest',
        '(e) 办件 link / (c) window code, 10 networks',
        'ratio',
        ratio('e', 'c'),
        '×',
        { op: '>=', limit: 0.9, unit: '×' },
        perRound('e', 'c'),
      ),
    );
  pair('q', 'p', '(q) two instances / (p) one instance');
  raw.targets = Object.fromEntries([...all].map(([k, v]) => [k, { label: TARGETS.find((t) => t.key === k)!.label, rounds: v }]));
  if (opts.targets?.length && !opts.targets.includes('s')) return { rows, raw };
  const tmp = tempDir('ingest-service');
  try {
    opts.log('ingest: ratings service alone (no HTTP), 20000 ratings in batches of 100');
    const perSec = await serviceOnly(tmp.dir, 20_000);
    raw.serviceOnlyPerSec = perSec;
    rows.push(
      row('ingest', '(s) ratings service alone, no HTTP', 'ratings/s', Math.round(perSec), '', null, 'batches of 100, 1000 networks'),
    );
  } finally {
    tmp.remove();
  }
  return { rows, raw };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
