// Recount of every rollup from the raw rows (ratings, cases), for `npm run recount` and the admin
// verify route: the rollups are only trusted because they can be proven equal to a recount.

import { sql } from 'drizzle-orm';
import { chinaHourSql } from '../../shared/china-time.js';
import { type DbOrTx, exec, isPg, rows, statement } from '../client.js';
import type { CaseFlags, CaseForRollup, RatingSums } from './rollups.js';

/** China hour of day of created_at (UTC+8), as the write side computes it. */
const CHINA_HOUR = sql.raw(chinaHourSql('r.created_at'));
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export interface CodeDayRow extends Omit<RatingSums, 'opens'> {
  codeId: string;
  day: string;
  departmentId: number;
}

/** One department, day and China hour of raw ratings: what daily_department_stats sums. */
export interface DepartmentHourRow extends Omit<RatingSums, 'opens'> {
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

// The scan funnel's `opens` has no raw rows (a landing-page open is not stored), so the code-day
// opens are neither recounted nor compared, and a rebuild keeps them; the department and running
// totals' opens are checked against (and rebuilt from) them.

export async function recountCodeDays(db: DbOrTx): Promise<CodeDayRow[]> {
  return rows<CodeDayRow>(
    db,
    sql`
    SELECT r.code_id AS "codeId", r.day AS day, min(r.department_id) AS "departmentId",
      sum(CASE WHEN r.score = 1 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s1, sum(CASE WHEN r.score = 2 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s2,
      sum(CASE WHEN r.score = 3 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s3, sum(CASE WHEN r.score = 4 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s4,
      sum(CASE WHEN r.score = 5 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s5, sum(CASE WHEN r.real_name = 1 AND r.excluded = 0 THEN 1 ELSE 0 END) AS "realName",
      count(*) AS submissions
    FROM ratings r GROUP BY r.code_id, r.day`,
  );
}

export async function readCodeDays(db: DbOrTx): Promise<CodeDayRow[]> {
  return rows<CodeDayRow>(
    db,
    sql`
    SELECT code_id AS "codeId", day, department_id AS "departmentId", s1, s2, s3, s4, s5, real_name AS "realName", submissions
    FROM daily_code_stats`,
  );
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
      sum(CASE WHEN r.score = 1 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s1, sum(CASE WHEN r.score = 2 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s2,
      sum(CASE WHEN r.score = 3 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s3, sum(CASE WHEN r.score = 4 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s4,
      sum(CASE WHEN r.score = 5 AND r.excluded = 0 THEN 1 ELSE 0 END) AS s5, sum(CASE WHEN r.real_name = 1 AND r.excluded = 0 THEN 1 ELSE 0 END) AS "realName",
      count(*) AS submissions, sum(CASE WHEN r.excluded = 0 THEN 1 ELSE 0 END) AS counted, sum(CASE WHEN r.score <= 2 AND r.excluded = 0 THEN 1 ELSE 0 END) AS bad
    FROM ratings r GROUP BY r.department_id, r.day, ${CHINA_HOUR}`,
  );
}

const HOUR_COLUMNS = [...HOURS.map((h) => `h${h}`), ...HOURS.map((h) => `b${h}`)].join(', ');

export async function readDepartmentDays(db: DbOrTx): Promise<DepartmentDayRow[]> {
  const rows = (await statement(
    db,
    `SELECT department_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, ${HOUR_COLUMNS} FROM daily_department_stats`,
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
      hours: n.slice(10, 34),
      bad: n.slice(34, 58),
    };
  });
}

export async function readCumulative(db: DbOrTx): Promise<CumulativeRow[]> {
  return rows<CumulativeRow>(
    db,
    sql`
    SELECT code_id AS "codeId", day, s1, s2, s3, s4, s5, real_name AS "realName", submissions, opens,
      last_submission_day AS "lastSubmissionDay", last_open_day AS "lastOpenDay"
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
    FROM ratings r, ${tagsOf(db)} WHERE r.excluded = 0 GROUP BY r.department_id, r.day, j.value`,
  );
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
  await exec(tx, sql`UPDATE daily_code_stats SET s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, real_name = 0, submissions = 0`);
  // "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT (documented upsert quirk).
  await exec(
    tx,
    sql`
    INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions, opens)
    SELECT r.code_id, r.day, min(r.department_id),
      sum(CASE WHEN r.score = 1 AND r.excluded = 0 THEN 1 ELSE 0 END), sum(CASE WHEN r.score = 2 AND r.excluded = 0 THEN 1 ELSE 0 END), sum(CASE WHEN r.score = 3 AND r.excluded = 0 THEN 1 ELSE 0 END),
      sum(CASE WHEN r.score = 4 AND r.excluded = 0 THEN 1 ELSE 0 END), sum(CASE WHEN r.score = 5 AND r.excluded = 0 THEN 1 ELSE 0 END), sum(CASE WHEN r.real_name = 1 AND r.excluded = 0 THEN 1 ELSE 0 END),
      count(*), 0
    FROM ratings r WHERE true GROUP BY r.code_id, r.day
    ON CONFLICT (code_id, day) DO UPDATE SET department_id = excluded.department_id, s1 = excluded.s1,
      s2 = excluded.s2, s3 = excluded.s3, s4 = excluded.s4, s5 = excluded.s5, real_name = excluded.real_name,
      submissions = excluded.submissions`,
  );
  await exec(tx, sql`DELETE FROM daily_code_stats WHERE submissions = 0 AND opens = 0`);

  await exec(tx, sql`DELETE FROM daily_department_stats`);
  const insDepartment = statement(
    tx,
    `INSERT INTO daily_department_stats (department_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, ${HOUR_COLUMNS})
    VALUES (${new Array(10 + 48).fill('?').join(', ')})`,
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
      ...d.hours,
      ...d.bad,
    ]);
  }

  await exec(tx, sql`DELETE FROM cumulative_code_stats`);
  const insCumulative = statement(
    tx,
    `INSERT INTO cumulative_code_stats (code_id, day, s1, s2, s3, s4, s5, real_name, submissions, opens, last_submission_day, last_open_day)
    VALUES (@codeId, @day, @s1, @s2, @s3, @s4, @s5, @realName, @submissions, @opens, @lastSubmissionDay, @lastOpenDay)`,
  );
  for (const c of rows.cumulative) await insCumulative.run({ ...c });

  await exec(tx, sql`DELETE FROM daily_tag_stats`);
  await exec(
    tx,
    sql`
    INSERT INTO daily_tag_stats (department_id, day, tag, count)
    SELECT r.department_id, r.day, j.value, count(*)
    FROM ratings r, ${tagsOf(tx)} WHERE r.excluded = 0 GROUP BY r.department_id, r.day, j.value`,
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
}
