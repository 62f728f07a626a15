// Recount of every rollup from the raw rows (ratings, cases), for `npm run recount` and the admin
// verify route: the rollups are only trusted because they can be proven equal to a recount.

import { sql } from 'drizzle-orm';
import { chinaHourSql } from '../../shared/china-time.js';
import { type DbOrTx, exec, isPg, rows, statement } from '../client.js';
import {
  CASE_COLUMNS,
  type CaseFlags,
  type CaseForRollup,
  type MatterDayCounts,
  RATING_COLUMNS,
  type RatingSums,
  type StoredDayDelta,
} from './rollups.js';

/** China hour of day of created_at (UTC+8), as the write side computes it. */
const CHINA_HOUR = sql.raw(chinaHourSql('r.created_at'));
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export interface CodeDayRow extends Omit<RatingSums, 'opens'> {
  codeId: string;
  day: string;
  departmentId: number;
}

/** One department, day and China hour of raw ratings: what daily_department_stats sums. */
export interface DepartmentHourRow extends Omit<RatingSums, 'opens' | 'finishedMatters' | 'ratedMatters'> {
  departmentId: number;
  day: string;
  hour: number;
  /** Counted ratings, and counted 差评. */
  counted: number;
  bad: number;
}

/** Landing-page opens of a code on a day (they have no raw rows: the code-day rollup is their record). */
export interface OpensRow {
  codeId: string;
  departmentId: number;
  day: string;
  opens: number;
}

export interface DepartmentDayRow extends RatingSums {
  departmentId: number;
  day: string;
  /** Counted ratings and counted 差评 per China hour 0–23. */
  hours: number[];
  bad: number[];
}

export interface CumulativeRow extends RatingSums {
  codeId: string;
  day: string;
  lastSubmissionDay: string | null;
  lastOpenDay: string | null;
}

export interface TagRow {
  departmentId: number;
  day: string;
  tag: string;
  count: number;
}

export type CaseDayRow = CaseFlags & { departmentId: number; day: string };

export interface CaseStatusRow {
  departmentId: number;
  kind: string;
  status: string;
  count: number;
}

export interface MatterStatusRow {
  departmentId: number;
  status: string;
  count: number;
}

/** A rating counts unless excluded by a decision, held for review, or replaced by its 办件's 追评. */
const COUNTED = 'r.excluded = 0 AND r.superseded = 0 AND r.held = 0';

// The scan funnel's `opens` has no raw rows (a landing-page open is not stored), so the code-day
// opens are neither recounted nor compared, and a rebuild keeps them; the department and running
// totals' opens are checked against (and rebuilt from) them.

/**
 * The rating counters of each code day from raw ratings, and the 办件 counters from the finished 办件
 * (keyed by the day they finished): both kinds of row summed per (code, day).
 */
const CODE_DAY_PARTS = `
    SELECT r.code_id AS code_id, r.day AS day, r.department_id AS department_id,
      CASE WHEN r.score = 1 AND ${COUNTED} THEN 1 ELSE 0 END AS s1, CASE WHEN r.score = 2 AND ${COUNTED} THEN 1 ELSE 0 END AS s2,
      CASE WHEN r.score = 3 AND ${COUNTED} THEN 1 ELSE 0 END AS s3, CASE WHEN r.score = 4 AND ${COUNTED} THEN 1 ELSE 0 END AS s4,
      CASE WHEN r.score = 5 AND ${COUNTED} THEN 1 ELSE 0 END AS s5, CASE WHEN r.real_name = 1 AND ${COUNTED} THEN 1 ELSE 0 END AS real_name,
      1 AS submissions, CASE WHEN r.channel = 'default' AND ${COUNTED} THEN 1 ELSE 0 END AS defaults,
      CASE WHEN r.channel = 'default' AND r.score >= 3 AND ${COUNTED} THEN 1 ELSE 0 END AS default_good,
      0 AS finished_matters, 0 AS rated_matters, CASE WHEN r.held = 1 THEN 1 ELSE 0 END AS held
    FROM ratings r
    UNION ALL
    SELECT m.code_id, m.finished_day, m.department_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, m.rated, 0
    FROM matters m WHERE m.status = 'finished'`;

export async function recountCodeDays(db: DbOrTx): Promise<CodeDayRow[]> {
  return rows<CodeDayRow>(
    db,
    sql`
    SELECT code_id AS "codeId", day, min(department_id) AS "departmentId", sum(s1) AS s1, sum(s2) AS s2, sum(s3) AS s3,
      sum(s4) AS s4, sum(s5) AS s5, sum(real_name) AS "realName", sum(submissions) AS submissions, sum(defaults) AS defaults,
      sum(default_good) AS "defaultGood", sum(finished_matters) AS "finishedMatters", sum(rated_matters) AS "ratedMatters",
      sum(held) AS held
    FROM (${sql.raw(CODE_DAY_PARTS)}) parts GROUP BY code_id, day`,
  );
}

export async function readCodeDays(db: DbOrTx): Promise<CodeDayRow[]> {
  return rows<CodeDayRow>(
    db,
    sql`
    SELECT code_id AS "codeId", day, department_id AS "departmentId", s1, s2, s3, s4, s5, real_name AS "realName", submissions,
      defaults, default_good AS "defaultGood", finished_matters AS "finishedMatters", rated_matters AS "ratedMatters", held
    FROM daily_code_stats`,
  );
}

/** A code day of daily_code_stored_stats (评价可信度's figures of the stored ratings, counted or not), as the batches write it. */
export type StoredDayRow = StoredDayDelta;

/** daily_code_stored_stats from every stored rating (as credibility.ts once read them): code_id, day, department_id, then the figures. */
const STORED_DAYS = `
    SELECT r.code_id AS code_id, r.day AS day, min(r.department_id) AS department_id, count(*) AS ratings,
      sum(CASE WHEN r.channel <> 'default' THEN 1 ELSE 0 END) AS citizen, sum(CASE WHEN r.flagged = 1 THEN 1 ELSE 0 END) AS flagged,
      sum(CASE WHEN r.matter_id IS NOT NULL THEN 1 ELSE 0 END) AS bound,
      sum(CASE WHEN r.tags <> '[]' OR coalesce(r.comment, '') <> '' THEN 1 ELSE 0 END) AS detailed,
      sum(CASE WHEN r.channel <> 'default' AND r.score = 5 AND r.tags = '[]' AND coalesce(r.comment, '') = '' THEN 1 ELSE 0 END) AS bare_five
    FROM ratings r GROUP BY r.code_id, r.day`;

const STORED_NAMES = `code_id AS "codeId", day, department_id AS "departmentId", ratings, citizen, flagged, bound, detailed, bare_five AS "bareFive"`;

export async function recountStoredDays(db: DbOrTx): Promise<StoredDayRow[]> {
  return rows<StoredDayRow>(db, sql`SELECT ${sql.raw(STORED_NAMES)} FROM (${sql.raw(STORED_DAYS)}) parts`);
}

export async function readStoredDays(db: DbOrTx): Promise<StoredDayRow[]> {
  return rows<StoredDayRow>(db, sql`SELECT ${sql.raw(STORED_NAMES)} FROM daily_code_stored_stats`);
}

export async function readOpens(db: DbOrTx): Promise<OpensRow[]> {
  return rows<OpensRow>(
    db,
    sql`
    SELECT code_id AS "codeId", department_id AS "departmentId", day, opens FROM daily_code_stats WHERE opens <> 0`,
  );
}

export async function recountDepartmentHours(db: DbOrTx): Promise<DepartmentHourRow[]> {
  return rows<DepartmentHourRow>(
    db,
    sql`
    SELECT r.department_id AS "departmentId", r.day AS day, ${CHINA_HOUR} AS hour,
      sum(CASE WHEN r.score = 1 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS s1, sum(CASE WHEN r.score = 2 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS s2,
      sum(CASE WHEN r.score = 3 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS s3, sum(CASE WHEN r.score = 4 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS s4,
      sum(CASE WHEN r.score = 5 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS s5, sum(CASE WHEN r.real_name = 1 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS "realName",
      count(*) AS submissions, sum(CASE WHEN r.channel = 'default' AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS defaults,
      sum(CASE WHEN r.channel = 'default' AND r.score >= 3 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS "defaultGood",
      sum(CASE WHEN r.held = 1 THEN 1 ELSE 0 END) AS held,
      sum(CASE WHEN r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS counted, sum(CASE WHEN r.score <= 2 AND r.excluded = 0 AND r.superseded = 0 AND r.held = 0 THEN 1 ELSE 0 END) AS bad
    FROM ratings r GROUP BY r.department_id, r.day, ${CHINA_HOUR}`,
  );
}

const HOUR_COLUMNS = [...HOURS.map((h) => `h${h}`), ...HOURS.map((h) => `b${h}`)].join(', ');

export async function readDepartmentDays(db: DbOrTx): Promise<DepartmentDayRow[]> {
  const rows = (await statement(
    db,
    `SELECT department_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, defaults, default_good, finished_matters,
      rated_matters, held, ${HOUR_COLUMNS} FROM daily_department_stats`,
  ).arrays()) as (string | number)[][];
  return rows.map((r) => {
    const n = r as number[];
    return {
      departmentId: n[0]!,
      day: r[1] as string,
      s1: n[2]!,
      s2: n[3]!,
      s3: n[4]!,
      s4: n[5]!,
      s5: n[6]!,
      realName: n[7]!,
      submissions: n[8]!,
      opens: n[9]!,
      defaults: n[10]!,
      defaultGood: n[11]!,
      finishedMatters: n[12]!,
      ratedMatters: n[13]!,
      held: n[14]!,
      hours: n.slice(15, 39),
      bad: n.slice(39, 63),
    };
  });
}

export async function readCumulative(db: DbOrTx): Promise<CumulativeRow[]> {
  return rows<CumulativeRow>(
    db,
    sql`
    SELECT code_id AS "codeId", day, s1, s2, s3, s4, s5, real_name AS "realName", submissions, opens, defaults,
      default_good AS "defaultGood", finished_matters AS "finishedMatters", rated_matters AS "ratedMatters", held, last_submission_day AS "lastSubmissionDay", last_open_day AS "lastOpenDay"
    FROM cumulative_code_stats ORDER BY code_id, day`,
  );
}

/** The tags of each rating r (a JSON array in text) as rows j(value). */
function tagsOf(db: DbOrTx) {
  return isPg(db) ? sql.raw('json_array_elements_text(r.tags::json) AS j(value)') : sql.raw('json_each(r.tags) j');
}

export async function recountTags(db: DbOrTx): Promise<TagRow[]> {
  return rows<TagRow>(
    db,
    sql`
    SELECT r.department_id AS "departmentId", r.day AS day, j.value AS tag, count(*) AS count
    FROM ratings r, ${tagsOf(db)} WHERE r.excluded = 0 AND r.superseded = 0 AND r.held = 0 GROUP BY r.department_id, r.day, j.value`,
  );
}

/**
 * daily_matter_stats from the finished 办件 and their counted rating (at most one: a 追评 replaces the
 * first). The 事项's name is the largest of its 办件's names (the rollup keeps the last one written).
 */
const MATTER_DAYS = `
    SELECT m.department_id, m.finished_day, m.code_id, m.task_code, coalesce(m.staff_name, ''), max(m.task_name), count(*),
      sum(m.rated), sum(CASE WHEN r.channel = 'default' THEN 1 ELSE 0 END),
      sum(CASE WHEN r.channel <> 'default' AND r.score = 1 THEN 1 ELSE 0 END), sum(CASE WHEN r.channel <> 'default' AND r.score = 2 THEN 1 ELSE 0 END),
      sum(CASE WHEN r.channel <> 'default' AND r.score = 3 THEN 1 ELSE 0 END), sum(CASE WHEN r.channel <> 'default' AND r.score = 4 THEN 1 ELSE 0 END),
      sum(CASE WHEN r.channel <> 'default' AND r.score = 5 THEN 1 ELSE 0 END)
    FROM matters m LEFT JOIN ratings r ON r.matter_id = m.id AND ${COUNTED}
    WHERE m.status = 'finished'
    GROUP BY m.department_id, m.finished_day, m.code_id, m.task_code, coalesce(m.staff_name, '')`;

export interface MatterDayRow extends MatterDayCounts {
  departmentId: number;
  day: string;
  codeId: string;
  taskCode: string;
  staffName: string;
}

const MATTER_ROW_COLUMNS = `department_id AS "departmentId", day, code_id AS "codeId", task_code AS "taskCode", staff_name AS "staffName",
  finished, rated, defaults, s1, s2, s3, s4, s5`;

export async function recountMatterDays(db: DbOrTx): Promise<MatterDayRow[]> {
  return rows<MatterDayRow>(
    db,
    sql`WITH t (department_id, day, code_id, task_code, staff_name, task_name, finished, rated, defaults, s1, s2, s3, s4, s5)
      AS (${sql.raw(MATTER_DAYS)}) SELECT ${sql.raw(MATTER_ROW_COLUMNS)} FROM t`,
  );
}

export async function readMatterDays(db: DbOrTx): Promise<MatterDayRow[]> {
  return rows<MatterDayRow>(db, sql`SELECT ${sql.raw(MATTER_ROW_COLUMNS)} FROM daily_matter_stats`);
}

export async function readTags(db: DbOrTx): Promise<TagRow[]> {
  return rows<TagRow>(db, sql`SELECT department_id AS "departmentId", day, tag, count FROM daily_tag_stats`);
}

export async function readCaseDays(db: DbOrTx): Promise<CaseDayRow[]> {
  return rows<CaseDayRow>(
    db,
    sql`
    SELECT department_id AS "departmentId", day, cases, real_name AS "realName", real_name_visited AS "realNameVisited",
      valid, valid_rectified AS "validRectified", answered, answered_satisfied AS "answeredSatisfied", closed,
      closed_on_time AS "closedOnTime", open
    FROM daily_case_stats`,
  );
}

export async function recountCaseStatuses(db: DbOrTx): Promise<CaseStatusRow[]> {
  return rows<CaseStatusRow>(
    db,
    sql`
    SELECT department_id AS "departmentId", kind, status, count(*) AS count FROM cases GROUP BY department_id, kind, status`,
  );
}

export async function readCaseStatuses(db: DbOrTx): Promise<CaseStatusRow[]> {
  return rows<CaseStatusRow>(db, sql`SELECT department_id AS "departmentId", kind, status, count FROM case_status_counts`);
}

export async function recountMatterStatuses(db: DbOrTx): Promise<MatterStatusRow[]> {
  return rows<MatterStatusRow>(
    db,
    sql`SELECT department_id AS "departmentId", status, count(*) AS count FROM matters GROUP BY department_id, status`,
  );
}

export async function readMatterStatuses(db: DbOrTx): Promise<MatterStatusRow[]> {
  return rows<MatterStatusRow>(db, sql`SELECT department_id AS "departmentId", status, count FROM matter_status_counts`);
}

/** Every bad_rating case as the case rollups see it. */
export async function listCasesForRollup(db: DbOrTx): Promise<CaseForRollup[]> {
  const found = await statement(
    db,
    `SELECT department_id AS "departmentId", rating_day AS "ratingDay", kind, status, anonymous, visited_at AS "visitedAt",
      classification, rectified_at AS "rectifiedAt", satisfaction, closed_at AS "closedAt", due_date AS "dueDate"
    FROM cases WHERE kind = 'bad_rating'`,
  ).all<Omit<CaseForRollup, 'anonymous'> & { anonymous: number }>();
  return found.map((row) => ({ ...row, anonymous: row.anonymous === 1 }));
}

/** What a rebuild writes besides the code-day and tag rollups (recounted in SQL here). */
export interface RecountedRows {
  departmentDays: readonly DepartmentDayRow[];
  cumulative: readonly CumulativeRow[];
  caseDays: readonly CaseDayRow[];
}

/**
 * Replaces the rollups with a recount, inside the caller's transaction. Code-day `opens` survive: they
 * have no raw rows to be recounted from (the department and running totals were recounted with them).
 */
export async function replaceRollups(tx: DbOrTx, rows: RecountedRows): Promise<void> {
  await exec(
    tx,
    sql`UPDATE daily_code_stats SET s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, real_name = 0, submissions = 0, defaults = 0,
      default_good = 0, finished_matters = 0, rated_matters = 0, held = 0`,
  );
  // "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT (documented upsert quirk).
  await exec(
    tx,
    sql`
    INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions, defaults,
      default_good, finished_matters, rated_matters, held, opens)
    SELECT code_id, day, min(department_id), sum(s1), sum(s2), sum(s3), sum(s4), sum(s5), sum(real_name), sum(submissions),
      sum(defaults), sum(default_good), sum(finished_matters), sum(rated_matters), sum(held), 0
    FROM (${sql.raw(CODE_DAY_PARTS)}) parts WHERE true GROUP BY code_id, day
    ON CONFLICT (code_id, day) DO UPDATE SET department_id = excluded.department_id, s1 = excluded.s1,
      s2 = excluded.s2, s3 = excluded.s3, s4 = excluded.s4, s5 = excluded.s5, real_name = excluded.real_name,
      submissions = excluded.submissions, defaults = excluded.defaults, default_good = excluded.default_good,
      finished_matters = excluded.finished_matters, rated_matters = excluded.rated_matters, held = excluded.held`,
  );
  await exec(tx, sql`DELETE FROM daily_code_stats WHERE submissions = 0 AND opens = 0 AND finished_matters = 0`);

  await exec(tx, sql`DELETE FROM daily_code_stored_stats`);
  await exec(
    tx,
    sql`INSERT INTO daily_code_stored_stats (code_id, day, department_id, ratings, citizen, flagged, bound, detailed, bare_five)
    ${sql.raw(STORED_DAYS)}`,
  );

  await exec(tx, sql`DELETE FROM daily_department_stats`);
  const insDepartment = statement(
    tx,
    `INSERT INTO daily_department_stats (department_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, defaults,
      default_good, finished_matters, rated_matters, held, ${HOUR_COLUMNS})
    VALUES (${new Array(15 + 48).fill('?').join(', ')})`,
  );
  for (const d of rows.departmentDays) {
    await insDepartment.run([
      d.departmentId,
      d.day,
      d.s1,
      d.s2,
      d.s3,
      d.s4,
      d.s5,
      d.realName,
      d.submissions,
      d.opens,
      d.defaults,
      d.defaultGood,
      d.finishedMatters,
      d.ratedMatters,
      d.held,
      ...d.hours,
      ...d.bad,
    ]);
  }

  await exec(tx, sql`DELETE FROM cumulative_code_stats`);
  const insCumulative = statement(
    tx,
    `INSERT INTO cumulative_code_stats (code_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, defaults, default_good,
      finished_matters, rated_matters, held, last_submission_day, last_open_day)
    VALUES (@codeId, @day, @s1, @s2, @s3, @s4, @s5, @realName, @submissions, @opens, @defaults, @defaultGood,
      @finishedMatters, @ratedMatters, @held, @lastSubmissionDay, @lastOpenDay)`,
  );
  for (const c of rows.cumulative) await insCumulative.run({ ...c });

  await exec(tx, sql`DELETE FROM daily_tag_stats`);
  await exec(
    tx,
    sql`
    INSERT INTO daily_tag_stats (department_id, day, tag, count)
    SELECT r.department_id, r.day, j.value, count(*)
    FROM ratings r, ${tagsOf(tx)} WHERE r.excluded = 0 AND r.superseded = 0 AND r.held = 0 GROUP BY r.department_id, r.day, j.value`,
  );

  await exec(tx, sql`DELETE FROM daily_matter_stats`);
  await exec(
    tx,
    sql`INSERT INTO daily_matter_stats (department_id, day, code_id, task_code, staff_name, task_name, finished,
    rated, defaults, s1, s2, s3, s4, s5) ${sql.raw(MATTER_DAYS)}`,
  );

  await exec(tx, sql`DELETE FROM matter_status_counts`);
  await exec(
    tx,
    sql`INSERT INTO matter_status_counts (department_id, status, count)
    SELECT department_id, status, count(*) FROM matters GROUP BY department_id, status`,
  );

  await exec(tx, sql`DELETE FROM case_status_counts`);
  await exec(
    tx,
    sql`INSERT INTO case_status_counts (department_id, kind, status, count)
    SELECT department_id, kind, status, count(*) FROM cases GROUP BY department_id, kind, status`,
  );

  await exec(tx, sql`DELETE FROM daily_case_stats`);
  for (const c of rows.caseDays) {
    await exec(
      tx,
      sql`
      INSERT INTO daily_case_stats (department_id, day, cases, real_name, real_name_visited, valid, valid_rectified,
        answered, answered_satisfied, closed, closed_on_time, open)
      VALUES (${c.departmentId}, ${c.day}, ${c.cases}, ${c.realName}, ${c.realNameVisited}, ${c.valid},
        ${c.validRectified}, ${c.answered}, ${c.answeredSatisfied}, ${c.closed}, ${c.closedOnTime}, ${c.open})`,
    );
  }

  await deriveOrgUnitRollups(tx);
  await deriveRunningTotals(tx);
}

/**
 * The organisation-unit rollups (db/schema-rollups.ts): each the sum of a department rollup over each
 * unit's own departments, keyed (unit, day) or (unit, day, tag).
 */
export const ORG_UNIT_ROLLUPS = [
  {
    table: 'daily_org_unit_stats',
    from: 'daily_department_stats',
    keys: ['day'],
    counters: [...RATING_COLUMNS, ...HOURS.map((h) => `h${h}`), ...HOURS.map((h) => `b${h}`)],
  },
  { table: 'daily_org_unit_tag_stats', from: 'daily_tag_stats', keys: ['day', 'tag'], counters: ['count'] },
  {
    table: 'daily_org_unit_case_stats',
    from: 'daily_case_stats',
    keys: ['day'],
    counters: CASE_COLUMNS,
  },
] as const;

export type OrgUnitRollup = (typeof ORG_UNIT_ROLLUPS)[number];

/** The unit rows as the department rows sum them: org_unit_id, the keys, the counters. */
function unitSums(u: OrgUnitRollup): string {
  const keys = u.keys.map((k) => `s.${k}`).join(', ');
  return `SELECT d.org_unit_id, ${keys}, ${u.counters.map((c) => `sum(s.${c})`).join(', ')}
    FROM ${u.from} s JOIN departments d ON d.id = s.department_id GROUP BY d.org_unit_id, ${keys}`;
}

/**
 * The organisation-unit rollups made anew from the department rollups, inside the caller's
 * transaction: after a rebuild of those, and by the bench's generator. Migration 0041 (PostgreSQL
 * 0032) filled them the same way.
 */
export async function deriveOrgUnitRollups(tx: DbOrTx): Promise<void> {
  for (const u of ORG_UNIT_ROLLUPS) {
    await exec(tx, sql.raw(`DELETE FROM ${u.table}`));
    await exec(tx, sql.raw(`INSERT INTO ${u.table} (org_unit_id, ${u.keys.join(', ')}, ${u.counters.join(', ')}) ${unitSums(u)}`));
  }
}

/** A unit rollup's stored rows: org_unit_id, the keys, then the counters in the order of `counters`. */
export async function readOrgUnitRollup(db: DbOrTx, u: OrgUnitRollup): Promise<(string | number)[][]> {
  return (await statement(db, `SELECT org_unit_id, ${u.keys.join(', ')}, ${u.counters.join(', ')} FROM ${u.table}`).arrays()) as (
    | string
    | number
  )[][];
}

/** Each department's organisation unit: where its rows are summed in the unit rollups. */
export async function readDepartmentUnits(db: DbOrTx): Promise<Map<number, number>> {
  const found = (await statement(db, 'SELECT id, org_unit_id FROM departments').arrays()) as [number, number][];
  return new Map(found);
}

/**
 * The running totals (db/schema-rollups.ts) per department and per organisation unit: per `key` and
 * each day it has a row of `from`, the sums of its rows up to and including that day.
 */
export const RUNNING_TOTALS = [
  { table: 'cumulative_department_stats', from: 'daily_department_stats', key: 'department_id', counters: RATING_COLUMNS },
  { table: 'cumulative_department_case_stats', from: 'daily_case_stats', key: 'department_id', counters: CASE_COLUMNS },
  { table: 'cumulative_org_unit_stats', from: 'daily_org_unit_stats', key: 'org_unit_id', counters: RATING_COLUMNS },
  { table: 'cumulative_org_unit_case_stats', from: 'daily_org_unit_case_stats', key: 'org_unit_id', counters: CASE_COLUMNS },
] as const;

export type RunningTotalsTable = (typeof RUNNING_TOTALS)[number];

/**
 * The running totals made anew from the daily rollups they sum (a window sum over each key's days),
 * inside the caller's transaction: after a rebuild of those (the unit rows first), and by the bench's
 * generator. Migrations 0042 and 0043 (PostgreSQL 0033, 0034) filled them the same way.
 */
export async function deriveRunningTotals(tx: DbOrTx): Promise<void> {
  for (const r of RUNNING_TOTALS) {
    await exec(tx, sql.raw(`DELETE FROM ${r.table}`));
    await exec(
      tx,
      sql.raw(`INSERT INTO ${r.table} (${r.key}, day, ${r.counters.join(', ')})
      SELECT ${r.key}, day, ${r.counters.map((c) => `sum(${c}) OVER w`).join(', ')}
      FROM ${r.from} WINDOW w AS (PARTITION BY ${r.key} ORDER BY day)`),
    );
  }
}

/** A running-totals table's rows: key, day, then the counters, in (key, day) order. */
export async function readRunningTotals(db: DbOrTx, r: RunningTotalsTable): Promise<(string | number)[][]> {
  return (await statement(db, `SELECT ${r.key}, day, ${r.counters.join(', ')} FROM ${r.table} ORDER BY ${r.key}, day`).arrays()) as (
    | string
    | number
  )[][];
}
