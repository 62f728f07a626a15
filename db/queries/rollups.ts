// Daily rollups, written in the same transactions as the ratings and case moves they summarise, so
// every statistic reads a few hundred rollup rows instead of millions of ratings (issue: indicators).
// Statements are prepared once per connection: this runs on the hottest route.
import type Database from 'better-sqlite3';
import { sqliteOf, type DbOrTx } from '../client.js';

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

/** What one bad_rating case contributes to the case indicators (DOMAIN.md, Indicators). */
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

const ZERO_FLAGS: CaseFlags = Object.freeze({
  cases: 0,
  realName: 0,
  realNameVisited: 0,
  valid: 0,
  validRectified: 0,
  answered: 0,
  answeredSatisfied: 0,
  closed: 0,
  closedOnTime: 0,
  open: 0,
});

interface Statements {
  codeDay: Database.Statement;
  open: Database.Statement;
  hour: Database.Statement;
  tag: Database.Statement;
  caseDay: Database.Statement;
}

const cache = new WeakMap<Database.Database, Statements>();

function statements(db: DbOrTx): Statements {
  const client = sqliteOf(db);
  let s = cache.get(client);
  if (!s) {
    s = {
      codeDay: client.prepare(`
        INSERT INTO daily_code_stats (code_id, day, department_id, s1, s2, s3, s4, s5, real_name, submissions, opens)
        VALUES (@codeId, @day, @departmentId, @s1, @s2, @s3, @s4, @s5, @realName, @submissions, 0)
        ON CONFLICT (code_id, day) DO UPDATE SET
          s1 = s1 + excluded.s1, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3,
          s4 = s4 + excluded.s4, s5 = s5 + excluded.s5, real_name = real_name + excluded.real_name,
          submissions = submissions + excluded.submissions`),
      open: client.prepare(`
        INSERT INTO daily_code_stats (code_id, day, department_id, opens) VALUES (?, ?, ?, 1)
        ON CONFLICT (code_id, day) DO UPDATE SET opens = opens + 1`),
      hour: client.prepare(`
        INSERT INTO hourly_department_stats (department_id, day, hour, total, bad) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (department_id, day, hour) DO UPDATE SET total = total + excluded.total, bad = bad + excluded.bad`),
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
    };
    cache.set(client, s);
  }
  return s;
}

/** A landing-page open for the scan funnel. */
export function addOpen(db: DbOrTx, codeId: string, departmentId: number, day: string): void {
  statements(db).open.run(codeId, day, departmentId);
}

/**
 * Adds (sign 1) or removes (sign -1, an exclusion decided on appeal) a rating's contribution to the
 * counted statistics: per-score counts, 实名 count, hour-of-day and tag counts. `submissions` adds
 * to the scan funnel in the same statement (a new rating is both).
 */
export function applyCountedRating(db: DbOrTx, r: RatingFacts, sign: 1 | -1, submissions: 0 | 1 = 0): void {
  const s = statements(db);
  s.codeDay.run({
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
  });
  s.hour.run(r.departmentId, r.day, r.hour, sign, r.score <= 2 ? sign : 0);
  for (const tag of r.tags) s.tag.run(r.departmentId, r.day, tag, sign);
}

/** Applies the change of one case's indicator flags (after − before) to its rating day's row. */
export function applyCaseFlagsDelta(
  db: DbOrTx,
  departmentId: number,
  day: string,
  before: CaseFlags | null,
  after: CaseFlags | null,
): void {
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
