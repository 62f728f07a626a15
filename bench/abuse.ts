// Part `abuse` (issue 12): a citizen's rating latency at rest and under each attack. One real server
// process (`node --import tsx server/main.ts`, production settings, its default connection limits,
// no proxy in front: the worst case), on a fresh SQLite database with the demo county. Ordinary
// citizens rate at a steady modest rate from this process, each rating on a new connection from one
// of 50 loopback addresses (127.0.1.1–50); each scenario attacks from 127.0.0.2 in child processes of
// its own (lib/abuse.ts), beside the citizens, for ATTACK_S seconds. Scenarios are a list: another
// one is added to SCENARIOS in run.ts with one line.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SETTINGS_DEFAULTS } from '../shared/api/settings.js';
import type { AbuseAttack, AbuseScenario, AbuseTarget } from './lib/abuse.js';
import type { SlowResult, SlowSpec } from './lib/abuse-slow-child.js';
import { atExit, makeBenchApp, tempDir } from './lib/fixture.js';
import { ratingBodies } from './lib/rating-bodies.js';
import { type Check, percentile, type Row, row } from './lib/results.js';
import { startServer } from './lib/server-process.js';

export interface AbuseOptions {
  scenarios: readonly AbuseScenario[];
  log: (msg: string) => void;
}

/** Citizens' ratings per second (a busy county's peak hour is a few a second). */
const CITIZEN_RATE = 20;
const WARMUP_S = 3;
const REST_S = 15;
/** Long enough to see a connection the server should cut within 30 s being cut, or not. */
const ATTACK_S = 40;
const CITIZEN_ADDRESSES = 50;
/** A citizen's request that has no answer after this long is counted as failed. */
const CITIZEN_TIMEOUT_MS = 10_000;
const ATTACKER_ADDRESS = '127.0.0.2';
/** Descriptors a process may need: the attack's connections on both ends, and some room. */
const NOFILE_NEEDED = 12_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// The slow-connection scenarios (issue 12, finding 1): lib/abuse-slow-child.ts holds the connections.

const slowChild = fileURLToPath(new URL('./lib/abuse-slow-child.ts', import.meta.url));

function slowScenario(mode: SlowSpec['mode'], connections: number): AbuseScenario {
  return {
    name: `slow ${mode} ×${connections.toLocaleString('en-US')}`,
    async start(target: AbuseTarget): Promise<AbuseAttack> {
      const child = fork(slowChild, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const forget = atExit(() => child.kill('SIGKILL'));
      raiseNofile(child.pid!);
      const messages: Array<(m: unknown) => void> = [];
      child.on('message', (m) => messages.shift()?.(m));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // The next message; an attacker that dies first fails the bench instead of hanging it.
      const next = () =>
        new Promise<unknown>((resolve, reject) => {
          messages.push(resolve);
          void exited.then(() => reject(new Error(`the ${mode} attacker exited`)));
        });
      const spec: SlowSpec = {
        host: new URL(target.baseUrl).hostname,
        port: target.port,
        localAddress: target.attackerAddress,
        connections,
        mode,
        code: target.codes[0]!,
        // The attacker: one byte every 5 s, and back 5 s after a connection was closed.
        dripMs: 5_000,
        reconnectMs: 5_000,
        openPerSecond: 1_000,
      };
      const ready = next();
      child.send(spec);
      await ready;
      return {
        async stop() {
          const answer = next();
          child.send('stop');
          const { result } = (await answer) as { result: SlowResult };
          await exited;
          forget();
          return {
            ...result,
            // The figure with the goal (≤ 30 s): the longest any slow connection was held, whether
            // the server cut it in the end or it was still open when the attack stopped.
            longestHeldS: round1(Math.max(result.slowestCutS, result.oldestOpenAtStopS)),
            slowestCutS: round1(result.slowestCutS),
            medianTimeoutS: round1(result.medianTimeoutS),
            oldestOpenAtStopS: round1(result.oldestOpenAtStopS),
          };
        },
      };
    },
  };
}

export const SLOW_SCENARIOS: readonly AbuseScenario[] = [slowScenario('headers', 5_000), slowScenario('body', 5_000)];

// ---------------------------------------------------------------------------------------------------

/** The soft limit of open files of a process (Linux), or null. */
function nofileOf(pid: number): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m ? (m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1])) : null;
  } catch {
    return null;
  }
}

/** Raises a process's limit of open files to NOFILE_NEEDED when below it (prlimit; root may raise the hard one). */
function raiseNofile(pid: number): void {
  const now = nofileOf(pid);
  if (now === null || now >= NOFILE_NEEDED) return;
  try {
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${NOFILE_NEEDED}:${NOFILE_NEEDED}`]);
  } catch {
    console.error(`[abuse] process ${pid} may open only ${now} files (prlimit failed): the attack may be cut short by the limit`);
  }
}

function openDescriptors(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

interface Sample {
  ms: number;
  status: number | null;
}

/** One rating as the citizen page sends it, on a new connection from `from`. */
function rate(target: AbuseTarget, from: string, code: string, body: string): Promise<Sample> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let settled = false;
    const done = (status: number | null) => {
      if (settled) return;
      settled = true;
      resolve({ ms: performance.now() - t0, status });
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        localAddress: from,
        method: 'POST',
        path: `/api/codes/${code}/ratings`,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49',
        },
        timeout: CITIZEN_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? null));
        res.on('error', () => done(null));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(null));
    req.end(body);
  });
}

/** Citizens rate at CITIZEN_RATE a second for `seconds` (open loop: a stall shows as latency). */
async function citizens(target: AbuseTarget, seconds: number, next: () => { code: string; body: string }, seq: { n: number }) {
  const pending: Promise<Sample>[] = [];
  const t0 = performance.now();
  const total = seconds * CITIZEN_RATE;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / CITIZEN_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const r = next();
    const from = `127.0.1.${1 + (seq.n++ % CITIZEN_ADDRESSES)}`;
    pending.push(rate(target, from, r.code, r.body));
  }
  return Promise.all(pending);
}

/** Samples a number every 500 ms until stopped; answers the largest. */
function sampleMax(read: () => number | null): () => number | null {
  let max: number | null = null;
  const take = () => {
    const v = read();
    if (v !== null) max = Math.max(max ?? 0, v);
  };
  take();
  const timer = setInterval(take, 500);
  return () => {
    clearInterval(timer);
    take();
    return max;
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Goals of figures a scenario may answer (by key); the others are information. */
const ATTACK_GOALS: Record<string, Check> = { longestHeldS: { op: '<=', limit: 30, unit: ' s' } };

function phaseRows(name: string, samples: Sample[], fds: number | null): { rows: Row[]; raw: Record<string, unknown> } {
  const ok = samples.filter((s) => s.status !== null && s.status >= 200 && s.status < 300);
  const ms = ok.map((s) => s.ms).sort((a, b) => a - b);
  const within = ok.filter((s) => s.ms <= 1000).length;
  const byStatus: Record<string, number> = {};
  for (const s of samples) byStatus[String(s.status ?? 'failed')] = (byStatus[String(s.status ?? 'failed')] ?? 0) + 1;
  const share = samples.length ? round1((within / samples.length) * 100) : 0;
  const note = `${samples.length} ratings at ${CITIZEN_RATE}/s from ${CITIZEN_ADDRESSES} addresses; by status: ${JSON.stringify(byStatus)}`;
  const rows = [
    row('abuse', name, 'ratings answered 2xx within 1 s', share, '%', { op: '>=', limit: 99, unit: ' %' }, note),
    row('abuse', name, 'rating p50', ms.length ? round1(percentile(ms, 50)) : null, 'ms'),
    row('abuse', name, 'rating p95', ms.length ? round1(percentile(ms, 95)) : null, 'ms'),
    row('abuse', name, 'rating p99', ms.length ? round1(percentile(ms, 99)) : null, 'ms'),
    row('abuse', name, 'ratings not answered 2xx', samples.length - ok.length, ''),
    row('abuse', name, 'server open descriptors (max)', fds, ''),
  ];
  return {
    rows,
    raw: { ratings: samples.length, within1s: within, byStatus, p50: rows[1]!.value, p95: rows[2]!.value, p99: rows[3]!.value, fds },
  };
}

export async function runAbuse(opts: AbuseOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  const tmp = tempDir('abuse');
  const dbFile = join(tmp.dir, 'app.db');
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), DATA_KEY: randomBytes(32).toString('hex') };
  // Migrated, seeded and given the bench's limits (fixture.ts BENCH_LIMITS: networkPerMinute and
  // burstPerNetwork raised) here, then served by the real process.
  const seeded = await makeBenchApp({ dbFile, logger: false, env: secrets });
  const codes = seeded.codes.map((c) => c.id);
  await seeded.close();
  const server = await startServer(
    {
      ...secrets,
      NODE_ENV: 'production',
      DB_FILE: dbFile,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      PUBLIC_BASE_URL: 'https://pingyi.example.gov.cn',
      CLIENT_DIR: 'dist/client',
    },
    join(tmp.dir, 'server.log'),
  );
  raiseNofile(server.pid);
  try {
    const url = new URL(server.url);
    const target: AbuseTarget = { baseUrl: server.url, port: Number(url.port), codes, attackerAddress: ATTACKER_ADDRESS };
    raw.server = { pid: server.pid, nofile: nofileOf(server.pid), benchNofile: nofileOf(process.pid) };
    opts.log(`abuse: server ${server.url} (pid ${server.pid}, open files limit ${nofileOf(server.pid)})`);
    const next = ratingBodies({
      codes,
      goodTags: SETTINGS_DEFAULTS.tags.good,
      badTags: SETTINGS_DEFAULTS.tags.bad,
      badShare: 0.05,
      seed: 12,
    });
    const seq = { n: 0 };
    await citizens(target, WARMUP_S, next, seq);

    const rest = sampleMax(() => openDescriptors(server.pid));
    const atRest = phaseRows('at rest', await citizens(target, REST_S, next, seq), rest());
    rows.push(...atRest.rows);
    raw['at rest'] = atRest.raw;
    opts.log(`abuse: at rest: ${atRest.rows[0]!.value} % within 1 s, p99 ${atRest.raw.p99} ms`);

    for (const scenario of opts.scenarios) {
      opts.log(`abuse: ${scenario.name}: starting the attack`);
      const fds = sampleMax(() => openDescriptors(server.pid));
      const t0 = performance.now();
      const attack = await scenario.start(target);
      const startS = round1((performance.now() - t0) / 1000);
      const samples = await citizens(target, ATTACK_S, next, seq);
      const seen = await attack.stop();
      const phase = phaseRows(scenario.name, samples, fds());
      rows.push(...phase.rows);
      for (const [key, value] of Object.entries(seen)) {
        if (typeof value === 'number') rows.push(row('abuse', scenario.name, `attack: ${key}`, value, '', ATTACK_GOALS[key] ?? null));
      }
      const notes = Object.entries(seen).filter(([, v]) => typeof v === 'string');
      if (notes.length)
        rows.push(row('abuse', scenario.name, 'attack: notes', null, '', null, notes.map(([k, v]) => `${k}: ${v}`).join('; ')));
      raw[scenario.name] = { ...phase.raw, attack: seen, secondsToStart: startS };
      opts.log(`abuse: ${scenario.name}: ${phase.rows[0]!.value} % within 1 s, p99 ${phase.raw.p99} ms; attack: ${JSON.stringify(seen)}`);
      // The next phase starts from a server the attack has left.
      await sleep(3_000);
    }
  } finally {
    await server.stop();
    tmp.remove();
  }
  return { rows, raw };
}
