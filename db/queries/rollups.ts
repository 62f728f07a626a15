// Daily rollups, written in the same transactions as the ratings and case moves they summarise, so
// every statistic reads a few hundred rollup rows instead of millions of ratings (issue: indicators).
// Statements are prepared once per connection: this runs on the hottest route.
import type Database from 'better-sqlite3';
import type { CaseKind, CaseStatus, Classification, Satisfaction } from '../../shared/domain.js';
import { type DbOrTx, perConnection, sqliteOf } from '../client.js';

export interface RatingFacts {
  codeId: string;
  departmentId: number;
  day: string;
  /** Hour of day in China time, 0–23. */
  hour: number;
  score: number;
  tags: readonly string[];
  realName: boolean;
}

/**
 * What the case rollups need of a case: where its flags are counted (department, rating day) and the
 * fields they come from (server/modules/stats/case-flags.ts). Any case row has them.
 */
export interface CaseForRollup {
  departmentId: number;
  ratingDay: string;
  kind: CaseKind;
  status: CaseStatus;
  anonymous: boolean;
  visitedAt: number | null;
  classification: Classification | null;
  rectifiedAt: number | null;
  satisfaction: Satisfaction | null;
  closedAt: number | null;
  dueDate: string;
}

/** The counters a rating rollup row carries (per code or department and day, or running totals). */
export interface RatingSums {
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  realName: number;
  submissions: number;
  opens: number;
}

/** What one bad_rating case contributes to the case indicators (docs/domain.md, Indicators). */
export interface CaseFlags {
  cases: number;
  realName: number;
  realNameVisited: number;
  valid: number;
  validRectified: number;
  answered: number;
  answeredSatisfied: number;
  closed: number;
  closedOnTime: number;
  open: number;
}

export const CASE_FLAG_KEYS = [
  'cases',
  'realName',
  'realNameVisited',
  'valid',
  'validRectified',
  'answered',
  'answeredSatisfied',
  'closed',
  'closedOnTime',
  'open',
] as const satisfies readonly (keyof CaseFlags)[];

const ZERO_FLAGS = Object.freeze(Object.fromEntries(CASE_FLAG_KEYS.map((k) => [k, 0]))) as Readonly<CaseFlags>;

interface Statements {
  codeDayUpdate: Database.Statement;
  codeDayInsert: Database.Statement;
  /** Per China hour: the department-day upsert that also counts the rating in that hour's columns. */
  departmentDay: (Database.Statement | undefined)[];
  departmentOpen: Database.Statement;
  cumulativeUpdate: Database.Statement;
  cumulativeInsert: Database.Statement;
  tag: Database.Statement;
  caseDay: Database.Statement;
  caseStatus: Database.Statement;
}

const statements = perConnection(
  (client): Statements => ({
    // An update, then an insert when it found no row (rather than one upsert): whether the code
    // already had a row that day decides how its running totals are written, at no extra cost.
    codeDayUpdate: client.prepare(`
    UPDATE daily_code_stats SET s1 = s1 + @s1, s2 = s2 + @s2, s3 = s3 + @s3, s4 = s4 + @s4, s5 = s5 + @s5,
      real_name = real_name + @realName, submissions = submissions + @submissions, opens = opens + @opens
    WHERE code_id = @codeId AND day = @day`),
    codeDayInsert: client.prepare(`
    INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions, opens)
    VALUES (@codeId, @day, @departmentId, @s1, @s2, @s3, @s4, @s5, @realName, @submissions, @opens)`),
    departmentDay: [],
    departmentOpen: client.prepare(`
    INSERT INTO daily_department_stats (department_id, day, opens) VALUES (?, ?, 1)
    ON CONFLICT (department_id, day) DO UPDATE SET opens = opens + 1`),
    // The code's row of that day and every later one (a later row exists only when a past day is
    // written: an exclusion, a back-dated rating).
    cumulativeUpdate: client.prepare(`
    UPDATE cumulative_code_stats SET s1 = s1 + @s1, s2 = s2 + @s2, s3 = s3 + @s3, s4 = s4 + @s4, s5 = s5 + @s5,
      real_name = real_name + @realName, submissions = submissions + @submissions, opens = opens + @opens,
      last_submission_day = CASE WHEN @submissions > 0 AND coalesce(last_submission_day < @day, 1) THEN @day ELSE last_submission_day END,
      last_open_day = CASE WHEN @opens > 0 AND coalesce(last_open_day < @day, 1) THEN @day ELSE last_open_day END
    WHERE code_id = @codeId AND day >= @day`),
    // A code's first write of a day starts from its running totals of the day before.
    cumulativeInsert: client.prepare(`
    INSERT INTO cumulative_code_stats (code_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, last_submission_day, last_open_day)
    SELECT @codeId, @day, coalesce(p.s1, 0) + @s1, coalesce(p.s2, 0) + @s2, coalesce(p.s3, 0) + @s3, coalesce(p.s4, 0) + @s4,
      coalesce(p.s5, 0) + @s5, coalesce(p.real_name, 0) + @realName, coalesce(p.submissions, 0) + @submissions,
      coalesce(p.opens, 0) + @opens, CASE WHEN @submissions > 0 THEN @day ELSE p.last_submission_day END,
      CASE WHEN @opens > 0 THEN @day ELSE p.last_open_day END
    FROM (SELECT 1) LEFT JOIN (SELECT * FROM cumulative_code_stats WHERE code_id = @codeId AND day < @day ORDER BY day DESC LIMIT 1) p ON 1
    WHERE true ON CONFLICT (code_id, day) DO NOTHING`),
    tag: client.prepare(`
    INSERT INTO daily_tag_stats (department_id, day, tag, count) VALUES (?, ?, ?, ?)
    ON CONFLICT (department_id, day, tag) DO UPDATE SET count = count + excluded.count`),
    caseDay: client.prepare(`
    INSERT INTO daily_case_stats (department_id, day, cases, real_name, real_name_visited, valid, valid_rectified,
      answered, answered_satisfied, closed, closed_on_time, open)
    VALUES (@departmentId, @day, @cases, @realName, @realNameVisited, @valid, @validRectified,
      @answered, @answeredSatisfied, @closed, @closedOnTime, @open)
    ON CONFLICT (department_id, day) DO UPDATE SET
      cases = cases + excluded.cases, real_name = real_name + excluded.real_name,
      real_name_visited = real_name_visited + excluded.real_name_visited,
      valid = valid + excluded.valid, valid_rectified = valid_rectified + excluded.valid_rectified,
      answered = answered + excluded.answered, answered_satisfied = answered_satisfied + excluded.answered_satisfied,
      closed = closed + excluded.closed, closed_on_time = closed_on_time + excluded.closed_on_time,
      open = open + excluded.open`),
    caseStatus: client.prepare(`
    INSERT INTO case_status_counts (department_id, kind, status, count) VALUES (?, ?, ?, ?)
    ON CONFLICT (department_id, kind, status) DO UPDATE SET count = count + excluded.count`),
  }),
);

/** The department-day upsert counting a rating in China hour `hour` (prepared on first use). */
function departmentDay(db: DbOrTx, s: Statements, hour: number): Database.Statement {
  let stmt = s.departmentDay[hour];
  if (!stmt) {
    const [h, b] = [`h${hour}`, `b${hour}`];
    stmt = sqliteOf(db).prepare(`
      INSERT INTO daily_department_stats (department_id, day, s1, s2, s3, s4, s5, real_name, submissions, ${h}, ${b})
      VALUES (@departmentId, @day, @s1, @s2, @s3, @s4, @s5, @realName, @submissions, @counted, @bad)
      ON CONFLICT (department_id, day) DO UPDATE SET
        s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3,
        s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, real_name = real_name + excluded.real_name,
        submissions = submissions + excluded.submissions, ${h} = ${h} + excluded.${h}, ${b} = ${b} + excluded.${b}`);
    s.departmentDay[hour] = stmt;
  }
  return stmt;
}

type CodeDelta = RatingSums & { codeId: string; departmentId: number; day: string };

/**
 * Adds a delta to the code's row of the day and to its running totals from that day on. A code has a
 * running-totals row for exactly the days it has a code-day row (both are written only here, rebuilt
 * together): a new code day starts its running-totals row from the totals of the code's day before.
 * (Should the two ever disagree, the insert is skipped or made as needed, and verify reports it.)
 */
function addToCode(s: Statements, d: CodeDelta): void {
  const existed = s.codeDayUpdate.run(d).changes > 0;
  if (!existed) s.codeDayInsert.run(d);
  const touched = s.cumulativeUpdate.run(d).changes;
  if (!existed || touched === 0) s.cumulativeInsert.run(d);
}

/** A landing-page open for the scan funnel. */
export async function addOpen(db: DbOrTx, codeId: string, departmentId: number, day: string): Promise<void> {
  const s = statements(db);
  addToCode(s, { codeId, departmentId, day, s1: 0, s2: 0, s3: 0, s4: 0, s5: 0, realName: 0, submissions: 0, opens: 1 });
  s.departmentOpen.run(departmentId, day);
}

/**
 * Adds (sign 1) or removes (sign -1, an exclusion decided on appeal) a rating's contribution to the
 * counted statistics: per-score counts, 实名 count, hour-of-day and tag counts, per code and per
 * department, and the code's running totals. `submissions` adds to the scan funnel in the same
 * statements (a new rating is both).
 */
export async function applyCountedRating(db: DbOrTx, r: RatingFacts, sign: 1 | -1, submissions: 0 | 1 = 0): Promise<void> {
  const s = statements(db);
  const delta = {
    codeId: r.codeId,
    day: r.day,
    departmentId: r.departmentId,
    s1: r.score === 1 ? sign : 0,
    s2: r.score === 2 ? sign : 0,
    s3: r.score === 3 ? sign : 0,
    s4: r.score === 4 ? sign : 0,
    s5: r.score === 5 ? sign : 0,
    realName: r.realName ? sign : 0,
    submissions,
    opens: 0,
    counted: sign,
    bad: r.score <= 2 ? sign : 0,
  };
  addToCode(s, delta);
  departmentDay(db, s, r.hour).run(delta);
  for (const tag of r.tags) s.tag.run(r.departmentId, r.day, tag, sign);
}

/** Applies the change of one case's indicator flags (after − before) to its rating day's row. */
export async function applyCaseFlagsDelta(
  db: DbOrTx,
  departmentId: number,
  day: string,
  before: CaseFlags | null,
  after: CaseFlags | null,
): Promise<void> {
  const b = before ?? ZERO_FLAGS;
  const a = after ?? ZERO_FLAGS;
  const delta: Record<string, number | string> = { departmentId, day };
  let changed = false;
  for (const k of CASE_FLAG_KEYS) {
    delta[k] = a[k] - b[k];
    if (delta[k] !== 0) changed = true;
  }
  if (changed) statements(db).caseDay.run(delta);
}

/** A case of a department entering status `to`, from status `from` (null: a new case). */
export async function applyCaseStatusChange(
  db: DbOrTx,
  departmentId: number,
  kind: string,
  from: string | null,
  to: string,
): Promise<void> {
  if (from === to) return;
  const s = statements(db);
  if (from !== null) s.caseStatus.run(departmentId, kind, from, -1);
  s.caseStatus.run(departmentId, kind, to, 1);
}
