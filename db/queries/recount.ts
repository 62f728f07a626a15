// Recount of every rollup from the raw rows (ratings, cases), for `npm run recount` and the admin
// verify route: the rollups are only trusted because they can be proven equal to a recount.
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.js';
import type { CaseFlags } from './rollups.js';

/** China hour of day of created_at (UTC+8), as the write side computes it. */
const CHINA_HOUR = sql`((r.created_at + 28800000) / 3600000) % 24`;

export interface CodeDayRow {
  codeId: string;
  day: string;
  departmentId: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  realName: number;
  submissions: number;
}

export interface HourRow {
  departmentId: number;
  day: string;
  hour: number;
  total: number;
  bad: number;
}

export interface TagRow {
  departmentId: number;
  day: string;
  tag: string;
  count: number;
}

export type CaseDayRow = CaseFlags & { departmentId: number; day: string };

// The scan funnel's `opens` has no raw rows (a landing-page open is not stored), so it is neither
// recounted nor compared; a rebuild keeps it.

export function recountCodeDays(db: DbOrTx): CodeDayRow[] {
  return db.all<CodeDayRow>(sql`
    SELECT r.code_id AS codeId, r.day AS day, min(r.department_id) AS departmentId,
      sum(r.score = 1 AND r.excluded = 0) AS s1, sum(r.score = 2 AND r.excluded = 0) AS s2,
      sum(r.score = 3 AND r.excluded = 0) AS s3, sum(r.score = 4 AND r.excluded = 0) AS s4,
      sum(r.score = 5 AND r.excluded = 0) AS s5, sum(r.real_name = 1 AND r.excluded = 0) AS realName,
      count(*) AS submissions
    FROM ratings r GROUP BY r.code_id, r.day`);
}

export function readCodeDays(db: DbOrTx): CodeDayRow[] {
  return db.all<CodeDayRow>(sql`
    SELECT code_id AS codeId, day, department_id AS departmentId, s1, s2, s3, s4, s5, real_name AS realName, submissions
    FROM daily_code_stats`);
}

export function recountHours(db: DbOrTx): HourRow[] {
  return db.all<HourRow>(sql`
    SELECT r.department_id AS departmentId, r.day AS day, ${CHINA_HOUR} AS hour, count(*) AS total, sum(r.score <= 2) AS bad
    FROM ratings r WHERE r.excluded = 0 GROUP BY r.department_id, r.day, ${CHINA_HOUR}`);
}

export function readHours(db: DbOrTx): HourRow[] {
  return db.all<HourRow>(sql`SELECT department_id AS departmentId, day, hour, total, bad FROM hourly_department_stats`);
}

export function recountTags(db: DbOrTx): TagRow[] {
  return db.all<TagRow>(sql`
    SELECT r.department_id AS departmentId, r.day AS day, j.value AS tag, count(*) AS count
    FROM ratings r, json_each(r.tags) j WHERE r.excluded = 0 GROUP BY r.department_id, r.day, j.value`);
}

export function readTags(db: DbOrTx): TagRow[] {
  return db.all<TagRow>(sql`SELECT department_id AS departmentId, day, tag, count FROM daily_tag_stats`);
}

export function readCaseDays(db: DbOrTx): CaseDayRow[] {
  return db.all<CaseDayRow>(sql`
    SELECT department_id AS departmentId, day, cases, real_name AS realName, real_name_visited AS realNameVisited,
      valid, valid_rectified AS validRectified, answered, answered_satisfied AS answeredSatisfied, closed,
      closed_on_time AS closedOnTime, open
    FROM daily_case_stats`);
}

/** The fields of a case that decide its indicator flags (case-flags.ts), one row at a time. */
export interface CaseFlagSource {
  departmentId: number;
  ratingDay: string;
  kind: 'bad_rating' | 'spot_check';
  status: 'open' | 'visited' | 'rectifying' | 'appealed' | 'rectified' | 'answered' | 'closed';
  anonymous: boolean;
  visitedAt: number | null;
  classification: 'valid' | 'mistaken' | 'malicious' | 'no_basis' | null;
  rectifiedAt: number | null;
  satisfaction: 'satisfied' | 'basic' | 'unsatisfied' | null;
  closedAt: number | null;
  dueDate: string;
}

export function* iterateCaseFlagSources(db: Db): Generator<CaseFlagSource> {
  const stmt = db.$client.prepare(`
    SELECT department_id AS departmentId, rating_day AS ratingDay, kind, status, anonymous, visited_at AS visitedAt,
      classification, rectified_at AS rectifiedAt, satisfaction, closed_at AS closedAt, due_date AS dueDate
    FROM cases WHERE kind = 'bad_rating'`);
  for (const row of stmt.iterate() as IterableIterator<Omit<CaseFlagSource, 'anonymous'> & { anonymous: number }>) {
    yield { ...row, anonymous: row.anonymous === 1 };
  }
}

/**
 * Replaces the rollups with a recount, inside the caller's transaction. `opens` survive: they have no
 * raw rows to be recounted from.
 */
export function replaceRollups(tx: DbOrTx, caseDays: readonly CaseDayRow[]): void {
  tx.run(sql`UPDATE daily_code_stats SET s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, real_name = 0, submissions = 0`);
  // "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT (documented upsert quirk).
  tx.run(sql`
    INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions, opens)
    SELECT r.code_id, r.day, min(r.department_id),
      sum(r.score = 1 AND r.excluded = 0), sum(r.score = 2 AND r.excluded = 0), sum(r.score = 3 AND r.excluded = 0),
      sum(r.score = 4 AND r.excluded = 0), sum(r.score = 5 AND r.excluded = 0), sum(r.real_name = 1 AND r.excluded = 0),
      count(*), 0
    FROM ratings r WHERE true GROUP BY r.code_id, r.day
    ON CONFLICT (code_id, day) DO UPDATE SET department_id = excluded.department_id, s1 = excluded.s1,
      s2 = excluded.s2, s3 = excluded.s3, s4 = excluded.s4, s5 = excluded.s5, real_name = excluded.real_name,
      submissions = excluded.submissions`);
  tx.run(sql`DELETE FROM daily_code_stats WHERE submissions = 0 AND opens = 0`);

  tx.run(sql`DELETE FROM hourly_department_stats`);
  tx.run(sql`
    INSERT INTO hourly_department_stats (department_id, day, hour, total, bad)
    SELECT r.department_id, r.day, ${CHINA_HOUR}, count(*), sum(r.score <= 2)
    FROM ratings r WHERE r.excluded = 0 GROUP BY r.department_id, r.day, ${CHINA_HOUR}`);

  tx.run(sql`DELETE FROM daily_tag_stats`);
  tx.run(sql`
    INSERT INTO daily_tag_stats (department_id, day, tag, count)
    SELECT r.department_id, r.day, j.value, count(*)
    FROM ratings r, json_each(r.tags) j WHERE r.excluded = 0 GROUP BY r.department_id, r.day, j.value`);

  tx.run(sql`DELETE FROM daily_case_stats`);
  for (const c of caseDays) {
    tx.run(sql`
      INSERT INTO daily_case_stats (department_id, day, cases, real_name, real_name_visited, valid, valid_rectified,
        answered, answered_satisfied, closed, closed_on_time, open)
      VALUES (${c.departmentId}, ${c.day}, ${c.cases}, ${c.realName}, ${c.realNameVisited}, ${c.valid},
        ${c.validRectified}, ${c.answered}, ${c.answeredSatisfied}, ${c.closed}, ${c.closedOnTime}, ${c.open})`);
  }
}
