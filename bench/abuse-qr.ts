// The `abuse` bench's QR scenario (issue 9, finding 2): 8 connections from the attacker's address ask
// `qr.png` over every code and every size the route accepts, paced at ~260 a minute (the issue's
// load), in shuffled order, so that each request is a cache miss until all 308 × 4 images have been
// drawn once (≈ 4.7 minutes). The attack runs in a child process of its own (this file, `attack`).
//
// Run alone, it measures the scenario without the `abuse` runner: it starts a real server process (of
// this checkout, or of `--root DIR`, e.g. another worktree, to measure code before a change) and times
// a citizen's rating (POST /api/codes/{code}/ratings, 5 a second from 127.0.0.1) at rest and under
// the flood:
//   node --import tsx bench/abuse-qr.ts [--root DIR] [--seconds 30] [--addresses 1] [--sizes 256,600,1200,2048]
// `--addresses N` spreads the attack over N loopback addresses (127.0.1.x), so that no per-address
// limit holds it back and only the worker pool stands between it and the citizens.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { QR_PNG_SIZES } from '../shared/domain.js';
import type { AbuseAttack, AbuseScenario, AbuseTarget } from './lib/abuse.js';
import { prng } from './lib/rating-bodies.js';
import { percentile } from './lib/results.js';

interface FloodSpec {
  target: AbuseTarget;
  connections: number;
  perMinute: number;
  sizes: readonly number[];
  /** Source addresses, round robin; default: the target's attacker address. */
  addresses?: string[];
}

const SELF = fileURLToPath(import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the flood in a child process; `stop()` ends it and answers its counts by status. */
function startFlood(spec: FloodSpec): Promise<AbuseAttack> {
  const child: ChildProcess = fork(SELF, ['attack'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolveStart, reject) => {
    child.once('error', reject);
    child.once('message', () =>
      resolveStart({
        stop: () =>
          new Promise((resolveStop) => {
            child.once('message', (counts) => resolveStop(counts as Record<string, number>));
            child.send('stop');
          }),
      }),
    );
    child.send(spec);
  });
}

export const qrFlood: AbuseScenario = {
  name: 'qr flood 8 conns',
  start: (target) => startFlood({ target, connections: 8, perMinute: 260, sizes: QR_PNG_SIZES }),
};

/** The attack itself (child process): paced slots shared by `connections` loops, each one request at a time. */
async function runAttack(spec: FloodSpec): Promise<void> {
  const { target } = spec;
  const addresses = spec.addresses?.length ? spec.addresses : [target.attackerAddress];
  const agents = addresses.map((localAddress) => new http.Agent({ keepAlive: true, maxSockets: spec.connections, localAddress }));
  const rnd = prng(9);
  const paths = target.codes.flatMap((code) => spec.sizes.map((size) => `/api/codes/${code}/qr.png?size=${size}`));
  for (let i = paths.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  const counts: Record<string, number> = { requests: 0 };
  let stopped = false;
  let slot = 0;
  const interval = 60_000 / spec.perMinute;
  const t0 = performance.now();
  const get = (n: number) =>
    new Promise<void>((done) => {
      const req = http.get(
        { host: '127.0.0.1', port: target.port, path: paths[n % paths.length], agent: agents[n % agents.length] },
        (res) => {
          res.resume();
          res.once('end', () => {
            counts[res.statusCode ?? 0] = (counts[res.statusCode ?? 0] ?? 0) + 1;
            done();
          });
        },
      );
      req.once('error', (err: NodeJS.ErrnoException) => {
        counts[err.code ?? 'error'] = (counts[err.code ?? 'error'] ?? 0) + 1;
        done();
      });
    });
  const loops = Array.from({ length: spec.connections }, async () => {
    while (!stopped) {
      const n = slot++;
      const wait = t0 + n * interval - performance.now();
      if (wait > 0) await sleep(wait);
      if (stopped) break;
      counts.requests!++;
      await get(n);
    }
  });
  process.send!('started');
  await new Promise<void>((r) => process.once('message', () => r()));
  stopped = true;
  await Promise.all(loops);
  counts.seconds = Math.round((performance.now() - t0) / 1000);
  process.send!(counts, () => process.exit(0));
}

// ---- standalone measurement ----

interface Server {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function startServer(root: string, dir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      DB_FILE: join(dir, 'app.db'),
      PUBLIC_BASE_URL: 'https://pingyi.example.gov.cn',
      LOG_LEVEL: 'warn',
      SEED_PASSWORD: 'bench-password-1',
      SEED_DEMO_ACTIVITY: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone already
    }
  };
  process.once('exit', () => kill('SIGKILL'));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const m = /管理后台:\s+http:\/\/localhost:(\d+)\/admin\//.exec(out);
    if (m) {
      const port = Number(m[1]);
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        async stop() {
          kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${out.slice(-2000)}`);
    await sleep(100);
  }
}

/** Ratings from ordinary citizens: `perSecond` a second from 127.0.0.1, each on its own; latencies in ms. */
async function citizens(server: Server, codes: readonly string[], seconds: number, tag: string, perSecond = 5) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16, localAddress: '127.0.0.1' });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let n = 0; n < seconds * perSecond; n++) {
    const wait = t0 + (n * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    const body = JSON.stringify({ score: 4 + (n % 2), clientId: `bench-${tag}-${n}-device`, idempotencyKey: `bench-${tag}-${n}-key` });
    pending.push(
      new Promise<void>((done) => {
        const start = performance.now();
        const req = http.request(
          {
            host: '127.0.0.1',
            port: server.port,
            method: 'POST',
            path: `/api/codes/${codes[(n * 7) % codes.length]}/ratings`,
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.once('end', () => {
              latencies.push(performance.now() - start);
              statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
              done();
            });
          },
        );
        req.once('error', () => {
          statuses.error = (statuses.error ?? 0) + 1;
          done();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: latencies.length,
    p50: r(percentile(latencies, 50)),
    p95: r(percentile(latencies, 95)),
    max: r(latencies.at(-1) ?? NaN),
    statuses,
  };
}

async function measure(argv: string[]): Promise<void> {
  const opt = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
  };
  const root = resolve(opt('root', resolve(import.meta.dirname, '..')));
  const seconds = Number(opt('seconds', '30'));
  const addressCount = Number(opt('addresses', '1'));
  const sizes = opt('sizes', QR_PNG_SIZES.join(',')).split(',').map(Number);
  if (!existsSync(join(root, 'server/main.ts'))) throw new Error(`no server/main.ts in ${root}`);
  const dir = mkdtempSync(join(tmpdir(), 'abuse-qr-'));
  const log = (msg: string) => console.error(`[abuse-qr ${new Date().toISOString().slice(11, 19)}] ${msg}`);
  log(`server of ${root}; rest ${seconds} s, then the flood over ${sizes.join('/')} px from ${addressCount} address(es)`);
  const server = await startServer(root, dir);
  try {
    const db = new Database(join(dir, 'app.db'), { readonly: true });
    const codes = (db.prepare('SELECT id FROM codes WHERE active = 1 ORDER BY id').all() as { id: string }[]).map((c) => c.id);
    db.close();
    await citizens(server, codes, 3, 'warm'); // first requests: JIT, caches
    const rest = await citizens(server, codes, seconds, 'rest');
    log(`at rest: ${JSON.stringify(rest)}`);
    const attackerAddress = '127.0.0.2';
    const addresses = addressCount > 1 ? Array.from({ length: addressCount }, (_, i) => `127.0.1.${i + 1}`) : [attackerAddress];
    const target: AbuseTarget = { baseUrl: server.url, port: server.port, codes, attackerAddress };
    const attack = await startFlood({ target, connections: 8, perMinute: 260, sizes, addresses });
    await sleep(3000);
    const flooded = await citizens(server, codes, seconds, 'flood');
    const counts = await attack.stop();
    log(`under the flood: ${JSON.stringify(flooded)}`);
    log(`the flood: ${JSON.stringify(counts)}`);
    console.log(JSON.stringify({ root, sizes, addresses: addressCount, seconds, rest, flooded, attack: counts }));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === 'attack') process.once('message', (spec) => void runAttack(spec as FloodSpec));
  else
    measure(process.argv.slice(2)).catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
