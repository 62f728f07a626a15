// npm run report -- --reconcile [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]: the daily reconciliation of
// upward reporting (docs/operations.md 上报运行与对账), the table the 数据上报 page shows: per day, the
// ratings stored against the records the provincial system acknowledged. Exit 0 when every day is
// balanced (today may still be in flight), 1 when a day is not (each named, with why), 2 on bad arguments.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { closeDb, openDatabase } from '../../db/client.js';
import { migrateDb } from '../../db/migrate.js';
import type { ReconcileResponse, ReconcileRow } from '../../shared/api/reporting.js';
import { chinaDay, dayNumber } from '../../shared/china-time.js';
import { ConfigError, loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { systemClock } from '../lib/clock.js';
import { createOrgService } from '../modules/org/org.service.js';
import { createReportingService } from '../modules/reporting/reporting.service.js';
import { createSettingsService } from '../modules/settings/settings.service.js';

type Log = (line: string) => void;

const USAGE = [
  '用法 / usage: npm run report -- --reconcile [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]',
  '  --reconcile  每日对账：存储的评价与省级系统已确认的记录 / daily reconciliation (default: the last 31 days, Beijing time)',
  '  --from, --to 起止日期（含）/ first and last day, inclusive (at most a year)',
  '  --json       以 JSON 输出（英文字段名）/ print JSON with the English field names',
  '退出码 / exit: 0 全部平衡（今天的记录可仍在推送中）/ balanced; 1 有不平衡的日期 / a day is not; 2 参数错误 / bad arguments',
].join('\n');

interface Args {
  from?: string;
  to?: string;
  json: boolean;
}

/** The arguments, or why they are not right. */
function parseArgs(args: readonly string[]): Args | string {
  let reconcile = false;
  const out: Args = { json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg];
    if (flag === '--reconcile' && inline === undefined) reconcile = true;
    else if (flag === '--json' && inline === undefined) out.json = true;
    else if (flag === '--from' || flag === '--to') {
      const value = inline ?? args[++i];
      if (value === undefined || dayNumber(value) === null)
        return `${flag} 须为日期 YYYY-MM-DD / ${flag} must be a date YYYY-MM-DD, got ${value ?? 'nothing'}`;
      out[flag === '--from' ? 'from' : 'to'] = value;
    } else return `未知参数 / unknown argument: ${arg}`;
  }
  return reconcile ? out : '请指定 --reconcile / --reconcile is required';
}

const COLUMNS: ReadonlyArray<readonly [keyof ReconcileRow, string]> = [
  ['day', '日期'],
  ['stored', '存储评价'],
  ['reportable', '应上报'],
  ['acked', '已确认'],
  ['pending', '待推送'],
  ['waiting', '暂缓'],
  ['dead', '死信'],
  ['notQueued', '未入队'],
  ['balanced', '是否平衡'],
];

/** Columns a terminal gives a string: CJK and full-width characters take two. */
function width(s: string): number {
  let n = 0;
  for (const ch of s)
    n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return n;
}
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;
const padEnd = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/** Why a day is not balanced ("3 条死信"), as the page says it. */
function shortfall(r: ReconcileRow): string {
  const parts: string[] = [];
  if (r.pending) parts.push(`${r.pending} 条待推送`);
  if (r.waiting) parts.push(`${r.waiting} 条暂缓`);
  if (r.dead) parts.push(`${r.dead} 条死信`);
  if (r.notQueued) parts.push(`${r.notQueued} 条未入队`);
  if (r.acked > r.reportable) parts.push(`已确认比应上报多 ${r.acked - r.reportable} 条（上报后被剔除）`);
  return parts.join('，');
}

/** Today's records may still be on their way: only pending ones short, none dead, none missing from the queue. */
function inFlight(r: ReconcileRow, today: string): boolean {
  return r.day === today && r.dead === 0 && r.notQueued === 0 && r.acked + r.pending === r.reportable;
}

interface Verdict {
  ok: boolean;
  /** Days not balanced (today in flight excepted), newest first, with why. */
  unbalanced: { day: string; why: string }[];
  /** Today, when it is balanced but for records still being sent. */
  inFlight: { day: string; why: string } | null;
}

function judge(result: ReconcileResponse, today: string): Verdict {
  const unbalanced: Verdict['unbalanced'] = [];
  let flying: Verdict['inFlight'] = null;
  for (const r of result.days) {
    if (r.balanced) continue;
    if (inFlight(r, today)) flying = { day: r.day, why: shortfall(r) };
    else unbalanced.push({ day: r.day, why: shortfall(r) });
  }
  return { ok: unbalanced.length === 0, unbalanced, inFlight: flying };
}

function printTable(result: ReconcileResponse, today: string, log: Log): void {
  const cell = (r: ReconcileRow, key: keyof ReconcileRow): string => {
    if (key === 'balanced') return r.balanced ? '是' : inFlight(r, today) ? '否（今天，推送中）' : '否';
    return String(r[key]);
  };
  const widths = COLUMNS.map(([key, head]) => Math.max(width(head), ...result.days.map((r) => width(cell(r, key)))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? padEnd(c, widths[i]!) : padStart(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  log(line(COLUMNS.map(([, head]) => head)));
  for (const r of result.days) log(line(COLUMNS.map(([key]) => cell(r, key))));
}

function printVerdict(result: ReconcileResponse, verdict: Verdict, log: Log): void {
  const n = result.days.length;
  const flying = verdict.inFlight;
  if (verdict.ok) {
    if (n === 0) log('区间内没有评价 / no ratings in the period: OK');
    else if (!flying) log(`${n} 天全部平衡 / all ${n} day(s) balanced: OK`);
    else log(`其余 ${n - 1} 天平衡；今天（${flying.day}）${flying.why}，仍在推送中 / balanced but today, still in flight: OK`);
    return;
  }
  const k = verdict.unbalanced.length;
  log(`${n} 天中 ${k} 天不平衡 / ${k} of ${n} day(s) unbalanced:`);
  for (const d of verdict.unbalanced) log(`  ${d.day}：${d.why}`);
  if (flying) log(`  （今天 ${flying.day}：${flying.why}，仍在推送中 / today still in flight）`);
  if (verdict.unbalanced.some((d) => d.why.includes('死信'))) log('死信在「数据上报」页重发 / resend dead letters on the 数据上报 page');
  if (verdict.unbalanced.some((d) => d.why.includes('未入队'))) {
    log('未入队：应上报却不在队列中（如开启上报之前的评价），请按月导出文件上传 / not queued: export the month as a file');
  }
}

/** Runs the command (the result to `log`, what went wrong to `warn`); returns the exit code (0 balanced, 1 unbalanced or an error, 2 usage). */
async function runReport(args: readonly string[], env: Record<string, string | undefined>, log: Log, warn: Log): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    warn(parsed);
    warn(USAGE);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      warn(`配置错误 / configuration error: ${err.message}`);
      return 1;
    }
    throw err;
  }
  if (config.databaseUrl === null && config.dbFile !== ':memory:' && !existsSync(resolve(config.dbFile))) {
    warn(`数据库不存在 / no database at ${resolve(config.dbFile)}`);
    return 1;
  }
  const db = openDatabase(config.databaseUrl ?? config.dbFile);
  try {
    await migrateDb(db);
    const clock = systemClock;
    const org = createOrgService({ db, clock });
    const settings = createSettingsService({ db, clock, org });
    const reporting = createReportingService({ db, clock, org, settings, report: config.report });
    let result: ReconcileResponse;
    try {
      result = await reporting.reconcile(null, { from: parsed.from, to: parsed.to });
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 400) {
        warn(`${err.message} / ${err.error}`);
        warn(USAGE);
        return 2;
      }
      throw err;
    }
    const today = chinaDay(clock.now());
    const verdict = judge(result, today);
    if (parsed.json) {
      log(JSON.stringify({ ...result, today, ...verdict }, null, 2));
      return verdict.ok ? 0 : 1;
    }
    log(`上报对账 / report reconciliation ${result.from} — ${result.to}（北京时间 / Beijing time）`);
    if (!result.enabled) {
      log(
        '注意：本次运行的环境未配置 REPORT_URL，下表按数据库中的上报队列核对 / REPORT_URL is not set here: the table reads the outbox as stored',
      );
    }
    printTable(result, today, log);
    printVerdict(result, verdict, log);
    return verdict.ok ? 0 : 1;
  } finally {
    await closeDb(db);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runReport(process.argv.slice(2), process.env, console.log, console.error).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
