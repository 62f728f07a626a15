// A year of ratings for the demo county, written fast: raw rows with prepared statements in
// transactions of 10 k (WAL, synchronous off; secondary indexes dropped during the load and rebuilt
// after, as a bulk import would), cases and their timelines for every 差评, and the rollup tables
// computed from the very same generated rows (评价可信度's stored figures included) — so the dashboards
// read what the write path leaves.
// With `matters`, the year's 办件 too (一次一评): every window handles a few of its department's 事项
// with one to three 经办人; about 65 % of the 办件 are rated through their link (those ratings are part
// of `ratings`, channel link, assess number 1), the others are finished without a rating; their rows,
// and the 办件 counters of every rollup (daily_matter_stats included), as the write path leaves them.
import type Database from 'better-sqlite3';
import { type Db, writerOf } from '../../db/client.js';
import { resetCaseSequences } from '../../db/queries/cases.js';
import { deriveOrgUnitRollups, deriveRunningTotals } from '../../db/queries/recount.js';
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
/** Share of the 办件 a citizen rates (the rest finish without a rating). */
const RATED_SHARE = 0.65;
const TASK_NAMES = [
  '个体工商户设立登记',
  '食品经营许可',
  '城乡居民基本养老保险参保登记',
  '不动产登记',
  '机动车驾驶证换证',
  '社会保障卡申领',
  '住房公积金提取',
  '医疗保险关系转移',
  '税务登记',
  '企业名称变更登记',
  '户口迁移',
  '居住证办理',
  '营业执照补领',
  '建设工程规划许可',
  '排水许可',
  '道路运输经营许可',
  '药品零售许可',
  '失业保险金申领',
  '生育登记',
  '残疾人证办理',
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['敏', '强', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '霞', '平', '刚'];
const COMMENTS_GOOD = ['办得很快，谢谢', '工作人员很耐心，讲解清楚', '一次就办好了，点赞', '环境不错，有饮水和充电'];
const COMMENTS_BAD = [
  '等了一个多小时还没轮到，窗口只开了两个',
  '材料要求前后说法不一致，跑了三次',
  '工作人员态度冷淡，问什么都说不知道',
  '自助机坏了没人管',
];

export interface GenerateOptions {
  ratings: number;
  /** 办件 finished over the year (0: none; bound ratings are taken from `ratings`). */
  matters?: number;
  /** Last day generated (China date); the year runs up to it. */
  lastDay: string;
  seed: number;
  log: (msg: string) => void;
}

export interface GenerateReport {
  ratings: number;
  matters: number;
  /** Rows of daily_matter_stats (per department, 办结 day, window, 事项 and 经办人). */
  matterRows: number;
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

  const indexes = bulkIndexes(sqlite, ['ratings', 'cases', 'case_events', 'rating_decisions', 'matters']);
  for (const ix of indexes) sqlite.exec(`DROP INDEX ${ix.name}`);
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -1048576');
  sqlite.pragma('temp_store = MEMORY');
  // The generator writes consistent rows itself; checking every foreign key would only slow the load.
  sqlite.pragma('foreign_keys = OFF');

  const insRating =
    sqlite.prepare(`INSERT INTO ratings (id, code_id, department_id, score, tags, comment, phone_enc, real_name, phone_erased_at,
    client_hash, net_hash, idempotency_key, channel, created_at, day, flagged, flag_reason, excluded, matter_id, assess_number)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insCase = sqlite.prepare(`INSERT INTO cases (id, case_no, kind, status, rating_id, department_id, code_id, rating_day, anonymous,
    officer_id, classification, satisfaction, genuine, reopen_count, contact_due_date, due_date, status_token, draw_id, visited_at,
    rectified_at, answered_at, closed_at, escalated_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`);
  const insEvent = sqlite.prepare(`INSERT INTO case_events (case_id, type, from_status, to_status, at, by_user_id, note, data, public)
    VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)`);
  const insDecision = sqlite.prepare(
    `INSERT INTO rating_decisions (rating_id, kind, reason, case_id, decided_by, decided_at) VALUES (?, 'exclude', ?, ?, ?, ?)`,
  );
  const insCodeDay = sqlite.prepare(`INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions,
    finished_matters, rated_matters, opens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const hourCols = Array.from({ length: 24 }, (_, h) => `h${h}`).concat(Array.from({ length: 24 }, (_, h) => `b${h}`));
  const insDepartmentDay =
    sqlite.prepare(`INSERT INTO daily_department_stats (department_id, day, s1, s2, s3, s4, s5, real_name, submissions,
    finished_matters, rated_matters, opens, ${hourCols.join(', ')}) VALUES (${new Array(12 + hourCols.length).fill('?').join(', ')})`);
  const insRunning = sqlite.prepare(`INSERT INTO cumulative_code_stats (code_id, day, s1, s2, s3, s4, s5, real_name, submissions,
    finished_matters, rated_matters, opens, last_submission_day, last_open_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Cases per department, kind and status (case_status_counts), written after the last day.
  const caseStatuses = new Map<string, number>();
  // Per code, the running totals of its code-day rows so far (s1..s5, realName, submissions, finished and
  // rated 办件, opens).
  const running = codes.map(() => ({
    sums: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    lastSubmission: null as string | null,
    lastOpen: null as string | null,
  }));
  const insTag = sqlite.prepare('INSERT INTO daily_tag_stats (department_id, day, tag, count) VALUES (?, ?, ?, ?)');
  const insStoredDay = sqlite.prepare(`INSERT INTO daily_code_stored_stats (code_id, day, department_id, ratings, citizen, flagged,
    bound, detailed, bare_five) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insCaseDay = sqlite.prepare(`INSERT INTO daily_case_stats (department_id, day, cases, real_name, real_name_visited, valid,
    valid_rectified, answered, answered_satisfied, closed, closed_on_time, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  // 办件: each department's 40 事项 (a few much more common than the rest); each window handles six of
  // them and has one to three 经办人 (some 办件 come without one).
  const matterTarget = opts.matters ?? 0;
  const bindShare = matterTarget > 0 ? Math.min(1, (matterTarget * RATED_SHARE) / Math.max(1, opts.ratings)) : 0;
  const tasksOf = deptIds.map((d) =>
    Array.from({ length: 40 }, (_, k) => ({
      code: `11${String(d).padStart(6, '0')}MB${String(k).padStart(4, '0')}X44401110`,
      name: `${TASK_NAMES[(d * 7 + k) % TASK_NAMES.length]}${k >= TASK_NAMES.length ? `（${k}）` : ''}`,
    })),
  );
  const taskWeights = Array.from({ length: 40 }, (_, k) => 1 / (k + 1));
  const windows = codes.map((c) => {
    const dix = deptIndex.get(c.d)!;
    const pickOfDept = sampler(taskWeights, rnd);
    const tasks = [...new Set(Array.from({ length: 6 }, () => pickOfDept()))].map((k) => tasksOf[dix]![k]!);
    const staff = Array.from(
      { length: 1 + Math.floor(rnd() * 3) },
      () => `${SURNAMES[Math.floor(rnd() * SURNAMES.length)]}${GIVEN[Math.floor(rnd() * GIVEN.length)]}`,
    );
    return {
      tasks,
      pickTask: sampler(
        tasks.map((_, i) => 1 / (i + 1)),
        rnd,
      ),
      staff,
    };
  });
  const insMatter = sqlite.prepare(`INSERT INTO matters (id, project_no, code_id, department_id, task_code, task_name, staff_name,
    applicant_type, status, source, accepted_at, finished_at, finished_day, link_expires_at, rating_count, rated, first_rated_at,
    created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'finished', 'window', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  /** 办件 generated per department (matter_status_counts, written after the last day). */
  const matterCounts = new Map<number, number>();
  const insMatterDay = sqlite.prepare(`INSERT INTO daily_matter_stats (department_id, day, code_id, task_code, staff_name, task_name,
    finished, rated, defaults, s1, s2, s3, s4, s5) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`);

  const rep: GenerateReport = {
    ratings: 0,
    matters: 0,
    matterRows: 0,
    cases: 0,
    events: 0,
    excluded: 0,
    insertMs: 0,
    indexMs: 0,
    totalMs: 0,
  };
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
    const codeDay = codes.map(() => [0, 0, 0, 0, 0, 0, 0, 0, 0]); // s1..s5, realName, submissions, finished, rated 办件
    // The stored ratings' figures of 评价可信度: all, a person's (every generated one), flagged, bound, detailed, bare 5★.
    const storedDay = codes.map(() => [0, 0, 0, 0, 0, 0]);
    // The day's 办件 per (window, 事项, 经办人): finished, rated, counted ratings s1..s5.
    const matterDay = new Map<string, { ci: number; task: { code: string; name: string }; staff: string; n: number[] }>();
    /** A 办件 finished at `finishedAt` at window `ci`, rated (counted or not) or not: its row and its rollups. */
    const finishMatter = (ci: number, finishedAt: number, rating: { score: number; counted: boolean; at: number } | null): number => {
      const code = codes[ci]!;
      const w = windows[ci]!;
      const task = w.tasks[w.pickTask()]!;
      const staff = rnd() < 0.02 ? '' : w.staff[Math.floor(rnd() * w.staff.length)]!;
      const id = ++rep.matters;
      insMatter.run(
        id,
        `BM${day.replaceAll('-', '')}${String(id).padStart(9, '0')}`,
        code.id,
        code.d,
        task.code,
        task.name,
        staff === '' ? null : staff,
        rnd() < 0.85 ? 'person' : 'legal',
        finishedAt - Math.floor(rnd() * 3 * DAY),
        finishedAt,
        day,
        finishedAt + 7 * DAY,
        rating ? 1 : 0,
        rating ? 1 : 0,
        rating ? rating.at : null,
        finishedAt,
        finishedAt,
      );
      matterCounts.set(code.d, (matterCounts.get(code.d) ?? 0) + 1);
      const key = `${ci}|${task.code}|${staff}`;
      let m = matterDay.get(key);
      if (!m) {
        m = { ci, task, staff, n: [0, 0, 0, 0, 0, 0, 0] };
        matterDay.set(key, m);
      }
      m.n[0]!++;
      codeDay[ci]![7]!++;
      if (rating) {
        m.n[1]!++;
        codeDay[ci]![8]!++;
        if (rating.counted) m.n[1 + rating.score]!++;
      }
      tick();
      return id;
    };
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
      // One 办件 a rating rates through its link, finished earlier the same day.
      const matterId =
        bindShare > 0 && rnd() < bindShare
          ? finishMatter(ci, createdAt - Math.floor(rnd() * Math.min(2 * HOUR, createdAt - dayStart)), {
              score,
              counted: !excluded,
              at: createdAt,
            })
          : null;
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
        matterId === null ? 'qr' : 'link',
        createdAt,
        day,
        flagged ? 1 : 0,
        flagged ? 'network_burst' : null,
        excluded,
        matterId,
        matterId === null ? null : 1,
      );
      const sd = storedDay[ci]!;
      sd[0]!++;
      sd[1]!++;
      if (flagged) sd[2]!++;
      if (matterId !== null) sd[3]!++;
      if (ratingTags.length > 0 || comment !== null) sd[4]!++;
      else if (score === 5) sd[5]!++;
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
    // The day's 办件 nobody rated, at windows in proportion to their traffic.
    if (matterTarget > 0) {
      const unrated = Math.round((n * matterTarget) / opts.ratings) - codeDay.reduce((sum, c) => sum + c[7]!, 0);
      for (let k = 0; k < unrated; k++) finishMatter(pickCode(), dayStart + pickHour() * HOUR + Math.floor(rnd() * HOUR), null);
      for (const m of matterDay.values()) {
        const code = codes[m.ci]!;
        insMatterDay.run(code.d, day, code.id, m.task.code, m.staff, m.task.name, ...m.n);
        rep.matterRows++;
      }
    }
    // s1..s5, realName, submissions, finished and rated 办件, opens
    const deptDay = deptIds.map(() => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    storedDay.forEach((sd, i) => {
      if (sd[0]! > 0) insStoredDay.run(codes[i]!.id, day, codes[i]!.d, ...sd);
    });
    codeDay.forEach((c, i) => {
      if (c[6] === 0 && c[7] === 0) return;
      const opens = c[6]! + Math.round(c[6]! * 0.35 * rnd());
      insCodeDay.run(codes[i]!.id, day, codes[i]!.d, ...c, opens);
      const own = [...c, opens];
      const dd = deptDay[deptIndex.get(codes[i]!.d)!]!;
      const r = running[i]!;
      own.forEach((v, k) => {
        dd[k]! += v!;
        r.sums[k]! += v!;
      });
      if (c[6]! > 0) r.lastSubmission = day;
      if (opens > 0) r.lastOpen = day;
      insRunning.run(codes[i]!.id, day, ...r.sums, r.lastSubmission, r.lastOpen);
    });
    deptDay.forEach((d, dix) => {
      if (d[6] === 0 && d[7] === 0) return;
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
  // The 办件 per department (all finished), as the push path counts them (matter_status_counts).
  const insMatterStatus = sqlite.prepare(`INSERT INTO matter_status_counts (department_id, status, count) VALUES (?, 'finished', ?)`);
  for (const [d, count] of matterCounts) insMatterStatus.run(d, count);
  sqlite.exec('COMMIT');
  rep.insertMs = Math.round(performance.now() - t0);
  const t1 = performance.now();
  opts.log(`  rebuilding ${indexes.length} indexes`);
  for (const ix of indexes) sqlite.exec(ix.sql);
  // The generated cases took their numbers directly: later cases continue after them. The unit
  // rollups and the department running totals are derived from the department rollups, as the
  // rebuild derives them.
  await db.transaction(async (tx) => {
    await resetCaseSequences(tx);
    await deriveOrgUnitRollups(tx);
    await deriveRunningTotals(tx);
  });
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
