// npm run bench [-- ingest|dashboards|dashboards-pg|qr|page|abuse|kiosk|kiosk-pg|held|held-pg|report|report-pg ...] [--ratings N]
//                  [--pg-ratings N] [--matters N] [--duration S] [--rounds N] [--connections N] [--requests N] [--runs N]
//                  [--targets a,c,p,q] [--org county|province] [--backlog N] [--batch-sizes 500,1000,2000]
// Runs the benchmarks of issue 7, prints one table and writes bench/results/latest.json.
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runAbuse, SLOW_SCENARIOS } from './abuse.js';
import { qrFlood } from './abuse-qr.js';
import type { SlowRoute } from './dashboards.js';
import { runDashboards } from './dashboards.js';
import { runHeld } from './held.js';
import { runIngest } from './ingest.js';
import { runKiosk } from './kiosk.js';
import type { BenchOrg } from './lib/fixture.js';
import { type Row, renderTable, writeJson } from './lib/results.js';
import { runPage } from './page.js';
import { runQr } from './qr.js';
import { runReport } from './report.js';

const PARTS = [
  'ingest',
  'dashboards',
  'dashboards-pg',
  'qr',
  'page',
  'abuse',
  'kiosk',
  'kiosk-pg',
  'held',
  'held-pg',
  'report',
  'report-pg',
] as const;

/** The attacks of the `abuse` part, in order (each a lib/abuse.ts AbuseScenario). */
const ABUSE_SCENARIOS = [...SLOW_SCENARIOS, qrFlood];
type Part = (typeof PARTS)[number];

function parseArgs(argv: string[]) {
  const parts: Part[] = [];
  const num: Record<string, number> = {
    ratings: 10_000_000,
    'pg-ratings': 10_000_000,
    /** 办件 of the dashboards parts' year (0: none). */
    matters: 10_000_000,
    duration: 10,
    rounds: 3,
    connections: 100,
    requests: 200,
    runs: 3,
    /** Records of the report parts' drained backlog (0: no drain). */
    backlog: 1_000_000,
  };
  const targets: string[] = [];
  /** REPORT_BATCH_SIZE of each drain of the report parts (the first is checked against the goal). */
  let batchSizes = [500];
  let org: BenchOrg = 'county';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((PARTS as readonly string[]).includes(a)) parts.push(a as Part);
    else if (a === '--targets') targets.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (a === '--batch-sizes') {
      batchSizes = (argv[++i] ?? '').split(',').map(Number);
      if (!batchSizes.length || batchSizes.some((b) => !Number.isInteger(b) || b < 1 || b > 5000))
        throw new Error('--batch-sizes needs REPORT_BATCH_SIZE values (1–5000), comma-separated');
    } else if (a === '--org') {
      const v = argv[++i];
      if (v !== 'county' && v !== 'province') throw new Error('--org needs county or province');
      org = v;
    } else if (a.startsWith('--') && a.slice(2) in num) {
      const v = Number(argv[++i]);
      // 0 办件, no backlog to drain, or (report parts) no ingest rounds.
      if (!Number.isFinite(v) || v < 0 || (v === 0 && !['--matters', '--backlog', '--rounds'].includes(a)))
        throw new Error(`${a} needs a positive number`);
      num[a.slice(2)] = v;
    } else
      throw new Error(
        `unknown argument ${a} (parts: ${PARTS.join('|')}; options: ${Object.keys(num)
          .map((k) => `--${k}`)
          .join(' ')} --targets --org --batch-sizes)`,
      );
  }
  if (num.rounds === 0 && (!parts.length || parts.includes('ingest'))) throw new Error("--rounds 0 only skips the report parts' ingest");
  return { parts: parts.length ? parts : [...PARTS], ...num, pgRatings: num['pg-ratings'], targets, org, batchSizes } as {
    parts: Part[];
    targets: string[];
    org: BenchOrg;
    batchSizes: number[];
    backlog: number;
    ratings: number;
    pgRatings: number;
    matters: number;
    duration: number;
    connections: number;
    requests: number;
    runs: number;
    rounds: number;
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
  const started = Date.now();
  const rows: Row[] = [];
  const raw: Record<string, unknown> = {};
  for (const part of opts.parts) {
    const t0 = Date.now();
    log(`${part}: start`);
    const r =
      part === 'ingest'
        ? await runIngest({
            duration: opts.duration,
            connections: opts.connections,
            warmup: 2,
            rounds: opts.rounds,
            targets: opts.targets,
            log,
          })
        : part === 'dashboards' || part === 'dashboards-pg'
          ? await runDashboards({
              driver: part === 'dashboards' ? 'sqlite' : 'pg',
              ratings: part === 'dashboards' ? opts.ratings : opts.pgRatings,
              matters: opts.matters,
              requests: opts.requests,
              org: opts.org,
              log,
            })
          : part === 'qr'
            ? await runQr({ log })
            : part === 'abuse'
              ? await runAbuse({ scenarios: ABUSE_SCENARIOS, log })
              : part === 'kiosk' || part === 'kiosk-pg'
                ? await runKiosk({ driver: part === 'kiosk' ? 'sqlite' : 'pg', rounds: opts.requests, log })
                : part === 'held' || part === 'held-pg'
                  ? await runHeld({ driver: part === 'held' ? 'sqlite' : 'pg', requests: Math.min(opts.requests, 100), log })
                  : part === 'report' || part === 'report-pg'
                    ? await runReport({
                        driver: part === 'report' ? 'sqlite' : 'pg',
                        duration: opts.duration,
                        connections: opts.connections,
                        warmup: 2,
                        rounds: opts.rounds,
                        backlog: opts.backlog,
                        batchSizes: opts.batchSizes,
                        log,
                      })
                    : await runPage({ runs: opts.runs, log });
    rows.push(...r.rows);
    raw[part] = { ...r.raw, seconds: Math.round((Date.now() - t0) / 1000) };
    log(`${part}: done in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  };
  console.log(`\n码上评议 benchmarks — ${new Date().toISOString()} — ${machine.cpus} CPU, ${machine.memGiB} GiB, Node ${machine.node}\n`);
  console.log(renderTable(rows));
  for (const part of ['dashboards', 'dashboards-pg']) {
    const slow = (raw[part] as { slowStatements?: Record<string, SlowRoute> } | undefined)?.slowStatements ?? {};
    if (!Object.keys(slow).length) continue;
    console.log(`\n${part} over the goal: time in SQL per request, and the slowest statements with their query plans:`);
    for (const [route, r] of Object.entries(slow)) {
      console.log(`\n${route}: ${r.routeMs} ms per request, of which SQL ${r.sqlMsPerRequest} ms`);
      for (const s of r.statements) {
        console.log(
          `  ${Math.round((s.totalMs / s.calls) * 100) / 100} ms per call (${s.calls} calls): ${s.sql.slice(0, 200)}${s.sql.length > 200 ? '…' : ''}`,
        );
        for (const line of s.plan) console.log(`    ${line}`);
      }
    }
  }
  const file = fileURLToPath(new URL('./results/latest.json', import.meta.url));
  writeJson(file, {
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    options: opts,
    machine,
    rows,
    raw,
  });
  console.log(`\nwritten ${file} (${Math.round((Date.now() - started) / 1000)} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
