// A year of ratings for the demo county, written fast: raw rows with prepared statements in
// transactions of 10 k (WAL, synchronous off; secondary indexes dropped during the load and rebuilt
// after, as a bulk import would), cases and their timelines for every 差评, and the rollup tables
// computed from the very same generated rows — so the dashboards read what the write path leaves.
import type Database from 'better-sqlite3';
import { type Db, writerOf } from '../../db/client.js';
import { resetCaseSequences } from '../../db/queries/cases.js';
import { CASE_FLAG_KEYS } from '../../db/queries/rollups.js';
import { caseFlags } from '../../server/modules/stats/case-flags.js';
import type { Services } from '../../server/services.js';
import { chinaDay } from '../../shared/china-time.js';
import { generateCase } from './generate-cases.js';
import { prng } from './rating-bodies.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const CHINA = 8 * HOUR;
const BATCH = 10_000;
/** Relative traffic by China hour of day: morning and afternoon peaks, lunch dip, a little at night. */
const HOUR_WEIGHTS = [
  0.01, 0, 0, 0, 0, 0, 0.01, 0.05, 0.6, 1.4, 1.6, 1.3, 0.45, 0.6, 1.3, 1.4, 1.2, 0.6, 0.15, 0.08, 0.05, 0.03, 0.02, 0.01,
];
const COMMENTS_GOOD = ['办得很快，谢谢', '工作人员很耐心，讲解清楚', '一次就办好了，点赞', '环境不错，有饮水和充电'];
const COMMENTS_BAD = [
  '等了一个多小时还没轮到，窗口只开了两个',
  '材料要求前后说法不一致，跑了三次',
  '工作人员态度冷淡，问什么都说不知道',
  '自助机坏了没人管',
];

export interface GenerateOptions {
  ratings: number;
  /** Last day generated (China date); the year runs up to it. */
  lastDay: string;
  seed: number;
  log: (msg: string) => void;
}

export interface GenerateReport {
  ratings: number;
  cases: number;
  events: number;
  excluded: number;
  insertMs: number;
  indexMs: number;
  totalMs: number;
}

/** Cumulative-weights sampler. */
function sampler(weights: number[], rnd: () => number): () => number {
  const cum: number[] = [];
  let s = 0;
  for (const w of weights) {
    s += w;
    cum.push(s);
  }
  return () => {
    const x = rnd() * s;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** murmur3's finaliser: a cheap, well-spread 32-bit mix. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-character identifier hash, stable per (kind, index): spread like the real HMACs. */
function idHash(salt: number, i: number): string {
  let s = '';
  for (let k = 1; k <= 4; k++)
    s += fmix(Math.imul(i, 0x9e3779b1) ^ Math.imul(salt * 4 + k, 0x7feb352d))
      .toString(16)
      .padStart(8, '0');
  return s;
}

function bulkIndexes(sqlite: Database.Database, tables: string[]): { name: string; sql: string }[] {
  const marks = tables.map(() => '?').join(',');
  return sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${marks})`)
    .all(...tables) as {
    name: string;
    sql: string;
  }[];
}

export async function generateYear(db: Db, services: Services, opts: GenerateOptions): Promise<GenerateReport> {
  const t0 = performance.now();
  // Raw bulk writes on the writing connection, outside the transactions of `db` (nothing else runs).
  const sqlite = writerOf(db);
  const rnd = prng(opts.seed);
  const cal = services.settings.calendar();
  const { tags } = services.settings.get();
  const codes = sqlite.prepare('SELECT id, department_id AS d FROM codes ORDER BY id').all() as { id: string; d: number }[];
  const deptIds = [...new Set(codes.map((c) => c.d))].sort((a, b) => a - b);
  const deptIndex = new Map(deptIds.map((d, i) => [d, i]));
  const supervisorId = (sqlite.prepare("SELECT id FROM users WHERE role = 'supervisor'").get() as { id: number }).id;
  // Busy windows and quiet ones: log-normal traffic per code; each department its own 差评 share.
  const pickCode = sampler(
    codes.map(() => Math.exp(Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd()))),
    rnd,
  );
  const badShare = deptIds.map(() => 0.015 + rnd() * 0.08);
  const pickHour = sampler(HOUR_WEIGHTS, rnd);
  const devices = Math.max(1000, Math.floor(opts.ratings / 3));
  const networks = 5000;
  const netHashes = Array.from({ length: networks }, (_, i) => idHash(2, i));

  const lastN = Math.floor(Date.parse(`${opts.lastDay}T00:00:00Z`) / DAY);
  const days = Array.from({ length: 365 }, (_, i) => new Date((lastN - 364 + i) * DAY).toISOString().slice(0, 10));
  const dayWeights = days.map((d) => (cal.isWorkingDay(d) ? 1 : 0.15) * (0.85 + rnd() * 0.3));
  const totalWeight = dayWeights.reduce((a, b) => a + b, 0);
  const now = Date.now();
  const dueCache = new Map<string, string>();
  const addWorkingDays = (day: string, n: number) => {
    const k = `${day}|${n}`;
    let v = dueCache.get(k);
    if (v === undefined) {
      v = cal.addWorkingDays(day, n);
      dueCache.set(k, v);
    }
    return v;
  };

  const indexes = bulkIndexes(sqlite, ['ratings', 'cases', 'case_events', 'rating_decisions']);
  for (const ix of indexes) sqlite.exec(`DROP INDEX ${ix.name}`);
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -1048576');
  sqlite.pragma('temp_store = MEMORY');
  // The generator writes consistent rows itself; checking every foreign key would only slow the load.
  sqlite.pragma('foreign_keys = OFF');

  const insRating =
    sqlite.prepare(`INSERT INTO ratings (id, code_id, department_id, score, tags, comment, phone_enc, real_name, phone_erased_at,
    client_hash, net_hash, idempotency_key, channel, created_at, day, flagged, flag_reason, excluded)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'qr', ?, ?, ?, ?, ?)`);
  const insCase = sqlite.prepare(`INSERT INTO cases (id, case_no, kind, status, rating_id, department_id, code_id, rating_day, anonymous,
    officer_id, classification, satisfaction, genuine, reopen_count, contact_due_date, due_date, status_token, draw_id, visited_at,
    rectified_at, answered_at, closed_at, escalated_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`);
  const insEvent = sqlite.prepare(`INSERT INTO case_events (case_id, type, from_status, to_status, at, by_user_id, note, data, public)
    VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)`);
  const insDecision = sqlite.prepare(
    `INSERT INTO rating_decisions (rating_id, kind, reason, case_id, decided_by, decided_at) VALUES (?, 'exclude', ?, ?, ?, ?)`,
  );
  const insCodeDay =
    sqlite.prepare(`INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions, opens)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const hourCols = Array.from({ length: 24 }, (_, h) => `h${h}`).concat(Array.from({ length: 24 }, (_, h) => `b${h}`));
  const insDepartmentDay =
    sqlite.prepare(`INSERT INTO daily_department_stats (department_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens,
    ${hourCols.join(', ')}) VALUES (${new Array(10 + hourCols.length).fill('?').join(', ')})`);
  const insRunning = sqlite.prepare(`INSERT INTO cumulative_code_stats (code_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens,
    last_submission_day, last_open_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Cases per department, kind and status (case_status_counts), written after the last day.
  const caseStatuses = new Map<string, number>();
  // Per code, the running totals of its code-day rows so far (s1..s5, realName, submissions, opens).
  const running = codes.map(() => ({
    sums: [0, 0, 0, 0, 0, 0, 0, 0],
    lastSubmission: null as string | null,
    lastOpen: null as string | null,
  }));
  const insTag = sqlite.prepare('INSERT INTO daily_tag_stats (department_id, day, tag, count) VALUES (?, ?, ?, ?)');
  const insCaseDay = sqlite.prepare(`INSERT INTO daily_case_stats (department_id, day, cases, real_name, real_name_visited, valid,
    valid_rectified, answered, answered_satisfied, closed, closed_on_time, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const rep: GenerateReport = { ratings: 0, cases: 0, events: 0, excluded: 0, insertMs: 0, indexMs: 0, totalMs: 0 };
  let inTx = 0;
  sqlite.exec('BEGIN');
  const tick = () => {
    if (++inTx >= BATCH) {
      sqlite.exec('COMMIT');
      sqlite.exec('BEGIN');
      inTx = 0;
    }
  };
  let assigned = 0;
  days.forEach((day, di) => {
    const n = di === days.length - 1 ? opts.ratings - assigned : Math.round((opts.ratings * dayWeights[di]!) / totalWeight);
    assigned += n;
    const dayStart = Date.parse(`${day}T00:00:00Z`) - CHINA;
    const times = Array.from({ length: n }, () => dayStart + pickHour() * HOUR + Math.floor(rnd() * HOUR));
    times.sort((a, b) => a - b);
    const codeDay = codes.map(() => [0, 0, 0, 0, 0, 0, 0]); // s1..s5, realName, submissions
    const hours = deptIds.map(() => Array.from({ length: 24 }, () => [0, 0]));
    const tagCounts = new Map<string, number>();
    const caseDay = deptIds.map(() => CASE_FLAG_KEYS.map(() => 0));
    let caseSeq = 0;
    for (const createdAt of times) {
      const ci = pickCode();
      const code = codes[ci]!;
      const dix = deptIndex.get(code.d)!;
      const bad = rnd() < badShare[dix]!;
      const score = bad ? (rnd() < 0.55 ? 1 : 2) : ((r) => (r < 0.7 ? 5 : r < 0.92 ? 4 : 3))(rnd());
      const list = bad ? tags.bad : tags.good;
      const tagN = bad ? (rnd() < 0.85 ? 1 : 2) : rnd() < 0.3 ? 1 : rnd() < 0.07 ? 2 : 0;
      const ratingTags = tagN === 0 ? [] : [...new Set(Array.from({ length: tagN }, () => list[Math.floor(rnd() * list.length)]!))];
      const comment = rnd() < (bad ? 0.55 : 0.06) ? (bad ? COMMENTS_BAD : COMMENTS_GOOD)[Math.floor(rnd() * 4)]! : null;
      const realName = rnd() < (bad ? 0.4 : 0.02);
      const id = ++rep.ratings;
      let excluded = 0;
      let phoneEnc: string | null = null;
      let phoneErasedAt: number | null = null;
      if (bad) {
        const c = generateCase(
          { rnd, now, supervisorId, addWorkingDays, toDay: chinaDay },
          { id, codeId: code.id, departmentId: code.d, createdAt, day, anonymous: !realName },
          `CP${day.replaceAll('-', '')}-${String(++caseSeq).padStart(4, '0')}`,
          Buffer.from(Array.from({ length: 18 }, () => Math.floor(rnd() * 256))).toString('base64url'),
        );
        const r = c.row;
        const caseId = ++rep.cases;
        insCase.run(
          caseId,
          r.caseNo,
          r.kind,
          r.status,
          r.ratingId,
          r.departmentId,
          r.codeId,
          r.ratingDay,
          r.anonymous ? 1 : 0,
          r.officerId,
          r.classification,
          r.satisfaction,
          r.contactDueDate,
          r.dueDate,
          r.statusToken,
          r.visitedAt,
          r.rectifiedAt,
          r.answeredAt,
          r.closedAt,
          r.escalatedAt,
          r.createdAt,
          r.updatedAt,
        );
        let from: string | null = null;
        for (const s of c.steps) {
          insEvent.run(caseId, s.event, from, s.to, s.at, s.event === 'opened' ? null : supervisorId, s.public ? 1 : 0);
          from = s.to;
          rep.events++;
        }
        if (c.excludedAt !== null) {
          excluded = 1;
          rep.excluded++;
          insDecision.run(id, '申诉批准：经核实为误评/恶意差评', caseId, supervisorId, c.excludedAt);
        }
        const statusKey = `${r.departmentId}|${r.kind}|${r.status}`;
        caseStatuses.set(statusKey, (caseStatuses.get(statusKey) ?? 0) + 1);
        const flags = caseFlags({ ...r, anonymous: r.anonymous });
        if (flags) for (const [i, k] of CASE_FLAG_KEYS.entries()) caseDay[dix]![i]! += flags[k];
        // 个人信息保护法: the number is erased 180 days after the case closed.
        if (realName && r.closedAt !== null && r.closedAt + 180 * DAY < now) phoneErasedAt = r.closedAt + 180 * DAY;
      }
      if (realName && phoneErasedAt === null)
        phoneEnc = services.crypto.encryptPhone(`13${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`);
      const device = Math.floor(rnd() * devices);
      const flagged = rnd() < 0.003;
      insRating.run(
        id,
        code.id,
        code.d,
        score,
        JSON.stringify(ratingTags),
        comment,
        phoneEnc,
        realName ? 1 : 0,
        phoneErasedAt,
        idHash(1, device),
        netHashes[Math.floor(rnd() * networks)]!,
        `${id.toString(36)}-${idHash(3, id).slice(0, 16)}`,
        createdAt,
        day,
        flagged ? 1 : 0,
        flagged ? 'network_burst' : null,
        excluded,
      );
      const cd = codeDay[ci]!;
      cd[6]!++;
      if (!excluded) {
        cd[score - 1]!++;
        if (realName) cd[5]!++;
        const h = hours[dix]![Math.floor((createdAt + CHINA) / HOUR) % 24]!;
        h[0]!++;
        if (bad) h[1]!++;
        for (const t of ratingTags) tagCounts.set(`${code.d}|${t}`, (tagCounts.get(`${code.d}|${t}`) ?? 0) + 1);
      }
      tick();
    }
    const deptDay = deptIds.map(() => [0, 0, 0, 0, 0, 0, 0, 0]); // s1..s5, realName, submissions, opens
    codeDay.forEach((c, i) => {
      if (c[6] === 0) return;
      const opens = c[6]! + Math.round(c[6]! * 0.35 * rnd());
      insCodeDay.run(codes[i]!.id, day, codes[i]!.d, c[0], c[1], c[2], c[3], c[4], c[5], c[6], opens);
      const own = [...c, opens];
      const dd = deptDay[deptIndex.get(codes[i]!.d)!]!;
      const r = running[i]!;
      own.forEach((v, k) => {
        dd[k]! += v!;
        r.sums[k]! += v!;
      });
      r.lastSubmission = day;
      if (opens > 0) r.lastOpen = day;
      insRunning.run(codes[i]!.id, day, ...r.sums, r.lastSubmission, r.lastOpen);
    });
    deptDay.forEach((d, dix) => {
      if (d[6] === 0) return;
      const hs = hours[dix]!;
      insDepartmentDay.run(deptIds[dix], day, ...d, ...hs.map(([total]) => total), ...hs.map(([, b]) => b));
    });
    for (const [k, count] of tagCounts) {
      const [d, tag] = k.split('|');
      insTag.run(Number(d), day, tag, count);
    }
    for (const [dix, f] of caseDay.entries()) if (f[0]! > 0) insCaseDay.run(deptIds[dix], day, ...f);
    if (di % 30 === 29)
      opts.log(`  generated ${day}: ${rep.ratings.toLocaleString('en-US')} ratings, ${Math.round(performance.now() - t0)} ms`);
  });
  const insStatus = sqlite.prepare('INSERT INTO case_status_counts (department_id, kind, status, count) VALUES (?, ?, ?, ?)');
  for (const [k, count] of caseStatuses) {
    const [d, kind, status] = k.split('|');
    insStatus.run(Number(d), kind, status, count);
  }
  sqlite.exec('COMMIT');
  rep.insertMs = Math.round(performance.now() - t0);
  const t1 = performance.now();
  opts.log(`  rebuilding ${indexes.length} indexes`);
  for (const ix of indexes) sqlite.exec(ix.sql);
  // The generated cases took their numbers directly: later cases continue after them.
  await db.transaction((tx) => resetCaseSequences(tx));
  rep.indexMs = Math.round(performance.now() - t1);
  // Start the benchmark from a checkpointed database, as a server that has been running would be.
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -2000');
  sqlite.pragma('temp_store = DEFAULT');
  sqlite.pragma('foreign_keys = ON');
  rep.totalMs = Math.round(performance.now() - t0);
  return rep;
}
