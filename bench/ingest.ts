// Part 1 — ingest: the real POST /api/codes/{code}/ratings against two baselines started in the same
// run: (a) bare Fastify + the same body schema, (b) (a) + one prepared autocommit insert. Each target
// gets a fresh database, a warm-up, then a fixed number of requests sized from the warm-up rate so
// that every answer is counted (autocannon `amount`): the rows stored must equal the 2xx answers.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { closeDb, openDb, sqliteOf, writerOf } from '../db/client.js';
import { migrateDb } from '../db/migrate.js';
import { seedDemo } from '../db/seed.js';
import { countStatements } from '../db/statement-count.js';
import { SETTINGS_DEFAULTS } from '../shared/api/settings.js';
import { bareApp } from './lib/baselines.js';
import { listen, makeBenchApp, tempDir } from './lib/fixture.js';
import { type LoadResult, runLoad } from './lib/load.js';
import { ratingBodies } from './lib/rating-bodies.js';
import { type Row, row } from './lib/results.js';

export interface IngestOptions {
  duration: number;
  connections: number;
  warmup: number;
  rounds: number;
  log: (msg: string) => void;
}

interface Started {
  url: string;
  rows(): number | null;
  cases(): number | null;
  /** The app's writing and reading connections (the real route): their statements are counted. */
  connections?: { writer: Database.Database; reader: Database.Database };
  close(): Promise<void>;
}

interface Target {
  key: string;
  label: string;
  start(dir: string): Promise<Started>;
  networks: number;
}

function codeIdsOf(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT id FROM codes WHERE active = 1').all() as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
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
  return {
    url,
    rows: () => (withDb ? count(sqliteOf(db), 'ratings') : null),
    cases: () => null,
    async close() {
      await app?.close();
      app = null;
      await closeDb(db);
    },
  };
}

async function startReal(dir: string, logger: 'production' | false, env: Record<string, string> = {}): Promise<Started> {
  const t = await makeBenchApp({ dbFile: join(dir, 'app.db'), logger, logFile: join(dir, 'server.log'), env });
  const url = await listen(t.app);
  return {
    url,
    rows: () => count(sqliteOf(t.db), 'ratings'),
    cases: () => count(sqliteOf(t.db), 'cases'),
    connections: { writer: writerOf(t.db), reader: sqliteOf(t.db) },
    close: () => t.close(),
  };
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
  /** SQLite statements executed during the measured requests (the real route only). */
  statements: { writer: number; reader: number; transactions: number } | null;
}

/**
 * Counts the statements of the app's two connections while `during` runs: every execution of a
 * prepared statement (better-sqlite3's run/get/all/iterate), and the transactions (BEGIN) among them.
 */
async function countingStatements<T>(
  connections: Started['connections'],
  during: () => Promise<T>,
): Promise<{ value: T; statements: Measured['statements'] }> {
  if (!connections) return { value: await during(), statements: null };
  const writer = countStatements([connections.writer]);
  const reader = countStatements([connections.reader]);
  const transactions = countStatements([connections.writer], { filter: (s) => s === 'BEGIN IMMEDIATE' });
  try {
    const value = await during();
    return { value, statements: { writer: writer.count, reader: reader.count, transactions: transactions.count } };
  } finally {
    writer.stop();
    reader.stop();
    transactions.stop();
  }
}

/** One measurement of one target on a fresh database: warm-up, then a fixed number of requests. */
async function measure(target: Target, opts: IngestOptions, round: number): Promise<Measured> {
  const tmp = tempDir(`ingest-${target.key}`);
  const server = await target.start(tmp.dir);
  try {
    const codes = codeIdsOf(join(tmp.dir, target.key.startsWith('c') ? 'app.db' : 'bare.db'));
    const bodies = (seed: number) => ({
      codes,
      goodTags: SETTINGS_DEFAULTS.tags.good,
      badTags: SETTINGS_DEFAULTS.tags.bad,
      badShare: 0.05,
      seed,
    });
    const base = { url: server.url, connections: opts.connections, networks: target.networks };
    const warmup = await runLoad({ ...base, duration: opts.warmup, bodies: bodies(round * 2 + 1) });
    // A fixed amount sized to ~duration seconds, so that every request is answered before the count.
    const amount = Math.max(opts.connections * 20, Math.round(warmup.reqPerSec * opts.duration));
    await sleep(300);
    const before = server.rows();
    const { value: run, statements } = await countingStatements(server.connections, async () => {
      const run = await runLoad({ ...base, duration: 0, amount, bodies: bodies(round * 2 + 2) });
      await sleep(300);
      return run;
    });
    const storedRows = before === null ? null : server.rows()! - before;
    const perRating = statements && storedRows ? `, ${round2((statements.writer + statements.reader) / storedRows)} statements/rating` : '';
    opts.log(
      `ingest round ${round + 1} ${target.label}: ${Math.round(run.reqPerSec)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms${perRating}`,
    );
    return { run, warmup, amount, storedRows, statements };
  } finally {
    await server.close();
    tmp.remove();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function runIngest(opts: IngestOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const rows: Row[] = [];
  const all = new Map<string, Measured[]>(TARGETS.map((t) => [t.key, []]));
  // Rounds interleave the targets, so that a noisy neighbour on this shared machine hits all of
  // them alike; ratios are taken within a round, then the median over rounds is reported.
  for (let round = 0; round < opts.rounds; round++) {
    for (const target of TARGETS) all.get(target.key)!.push(await measure(target, opts, round));
  }
  for (const target of TARGETS) {
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
    const st = mid.statements;
    if (st && mid.storedRows) {
      const n = mid.storedRows;
      const note = `median round: ${round2(st.writer / n)} on the writing connection, ${round2(st.reader / n)} on the reading one; ${round2(n / st.transactions)} ratings per transaction`;
      rows.push(row('ingest', name, 'SQLite statements per rating', round2((st.writer + st.reader) / n), '', null, note));
    }
  }
  const ratio = (key: string, base: string) =>
    round2(median(all.get(key)!.map((m, i) => m.run.reqPerSec / all.get(base)![i]!.run.reqPerSec)));
  for (const key of ['c', 'c-nets', 'c-nets-nolog']) {
    const label = TARGETS.find((t) => t.key === key)!.label;
    rows.push(row('ingest', `${label} / (a)`, 'ratio', ratio(key, 'a'), '×', key === 'c' ? { op: '>=', limit: 0.8, unit: '×' } : null));
    rows.push(row('ingest', `${label} / (b)`, 'ratio', ratio(key, 'b'), '×'));
  }
  const raw: Record<string, unknown> = {
    targets: Object.fromEntries([...all].map(([k, v]) => [k, { label: TARGETS.find((t) => t.key === k)!.label, rounds: v }])),
  };
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
