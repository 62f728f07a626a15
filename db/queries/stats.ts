// Read side of the statistics. Every indicator query reads the daily rollups (a few hundred rows for
// a month), never the raw ratings; only the "ratings behind a figure" lists and the export detail read
// ratings, by (department, day) through ratings_dept_day_idx.
import { sql, type SQL } from 'drizzle-orm';
import type { CaseFlags } from './rollups.js';
import { UNCLOSED_CASE_STATUSES } from '../../client/shared/domain.js';
import type Database from 'better-sqlite3';
import type { Db, DbOrTx } from '../client.js';

export interface DayRange {
  from: string;
  to: string;
}

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

/** Sums of the case rollup: the same counters as one case's flags. */
export type CaseSums = CaseFlags;

/** A department id list as one bound parameter (constant statement shape, no variable limit). */
function idList(ids: readonly number[]): SQL {
  return sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}

const RATING_SUMS = sql`coalesce(sum(s.s1), 0) AS s1, coalesce(sum(s.s2), 0) AS s2, coalesce(sum(s.s3), 0) AS s3,
  coalesce(sum(s.s4), 0) AS s4, coalesce(sum(s.s5), 0) AS s5, coalesce(sum(s.real_name), 0) AS realName,
  coalesce(sum(s.submissions), 0) AS submissions, coalesce(sum(s.opens), 0) AS opens`;

const CASE_SUMS = sql`coalesce(sum(c.cases), 0) AS cases, coalesce(sum(c.real_name), 0) AS realName,
  coalesce(sum(c.real_name_visited), 0) AS realNameVisited, coalesce(sum(c.valid), 0) AS valid,
  coalesce(sum(c.valid_rectified), 0) AS validRectified, coalesce(sum(c.answered), 0) AS answered,
  coalesce(sum(c.answered_satisfied), 0) AS answeredSatisfied, coalesce(sum(c.closed), 0) AS closed,
  coalesce(sum(c.closed_on_time), 0) AS closedOnTime, coalesce(sum(c.open), 0) AS open`;

export function sumRatingsByDepartment(db: DbOrTx, ids: readonly number[], p: DayRange) {
  return db.all<RatingSums & { departmentId: number }>(sql`
    SELECT s.department_id AS departmentId, ${RATING_SUMS} FROM daily_code_stats s
    WHERE s.department_id IN ${idList(ids)} AND s.day BETWEEN ${p.from} AND ${p.to}
    GROUP BY s.department_id`);
}

export function sumRatingsByDay(db: DbOrTx, ids: readonly number[], p: DayRange) {
  return db.all<RatingSums & { day: string }>(sql`
    SELECT s.day AS day, ${RATING_SUMS} FROM daily_code_stats s
    WHERE s.department_id IN ${idList(ids)} AND s.day BETWEEN ${p.from} AND ${p.to}
    GROUP BY s.day ORDER BY s.day`);
}

export interface CodeRatingSums extends RatingSums {
  codeId: string;
  departmentId: number;
  location: string;
  staffName: string | null;
  active: number;
}

/** Every code of the departments (with zeros when unrated), and its counted ratings in the period. */
export function sumRatingsByCode(db: DbOrTx, ids: readonly number[], p: DayRange) {
  return db.all<CodeRatingSums>(sql`
    SELECT k.id AS codeId, k.department_id AS departmentId, k.location AS location, k.staff_name AS staffName,
      k.active AS active, ${RATING_SUMS}
    FROM codes k LEFT JOIN daily_code_stats s ON s.code_id = k.id AND s.day BETWEEN ${p.from} AND ${p.to}
    WHERE k.department_id IN ${idList(ids)}
    GROUP BY k.id ORDER BY k.department_id, k.location, k.id`);
}

export function sumCasesByDepartment(db: DbOrTx, ids: readonly number[], p: DayRange) {
  return db.all<CaseSums & { departmentId: number }>(sql`
    SELECT c.department_id AS departmentId, ${CASE_SUMS} FROM daily_case_stats c
    WHERE c.department_id IN ${idList(ids)} AND c.day BETWEEN ${p.from} AND ${p.to}
    GROUP BY c.department_id`);
}

export function sumCasesByDay(db: DbOrTx, ids: readonly number[], p: DayRange) {
  return db.all<CaseSums & { day: string }>(sql`
    SELECT c.day AS day, ${CASE_SUMS} FROM daily_case_stats c
    WHERE c.department_id IN ${idList(ids)} AND c.day BETWEEN ${p.from} AND ${p.to}
    GROUP BY c.day ORDER BY c.day`);
}

export function sumTags(db: DbOrTx, ids: readonly number[], p: DayRange) {
  return db.all<{ tag: string; count: number }>(sql`
    SELECT t.tag AS tag, sum(t.count) AS count FROM daily_tag_stats t
    WHERE t.department_id IN ${idList(ids)} AND t.day BETWEEN ${p.from} AND ${p.to}
    GROUP BY t.tag HAVING sum(t.count) > 0 ORDER BY count DESC, t.tag`);
}

export function sumHours(db: DbOrTx, ids: readonly number[], p: DayRange) {
  return db.all<{ day: string; hour: number; total: number; bad: number }>(sql`
    SELECT h.day AS day, h.hour AS hour, sum(h.total) AS total, sum(h.bad) AS bad FROM hourly_department_stats h
    WHERE h.department_id IN ${idList(ids)} AND h.day BETWEEN ${p.from} AND ${p.to}
    GROUP BY h.day, h.hour`);
}

// Listed rather than `<> 'closed'`, so SQLite seeks the few unclosed cases in (department, status)
// instead of walking every case a county ever had.
const UNCLOSED = sql.raw(`(${UNCLOSED_CASE_STATUSES.map((s) => `'${s}'`).join(',')})`);

/** Cases not yet closed, and those of them past their whole deadline (逾期), per department. */
export function countUnclosedCases(db: DbOrTx, ids: readonly number[], today: string) {
  return db.all<{ departmentId: number; unclosed: number; overdue: number }>(sql`
    SELECT department_id AS departmentId, count(*) AS unclosed, coalesce(sum(due_date < ${today}), 0) AS overdue
    FROM cases WHERE department_id IN ${idList(ids)} AND status IN ${UNCLOSED}
    GROUP BY department_id`);
}

// ---- Ratings behind a figure ----

export interface RatingFilter {
  departmentIds: readonly number[];
  from: string;
  to: string;
  codeId?: string;
  score?: number;
  kind?: 'good' | 'bad';
  realName?: boolean;
  withComment?: boolean;
  /** Excluded ratings (approved appeals) are not behind any figure; listed only when asked. */
  includeExcluded?: boolean;
}

export interface RatingDetailRow {
  id: number;
  createdAt: number;
  day: string;
  departmentId: number;
  departmentName: string;
  codeId: string;
  location: string;
  score: number;
  tags: string;
  comment: string | null;
  phoneEnc: string | null;
  realName: number;
  flagged: number;
  excluded: number;
}

const DETAIL_COLUMNS = sql`r.id AS id, r.created_at AS createdAt, r.day AS day, r.department_id AS departmentId,
  d.name AS departmentName, r.code_id AS codeId, k.location AS location, r.score AS score, r.tags AS tags,
  r.comment AS comment, r.phone_enc AS phoneEnc, r.real_name AS realName, r.flagged AS flagged, r.excluded AS excluded`;

function ratingWhere(f: RatingFilter): SQL {
  // With several departments, `+` keeps SQLite off the (department, day) index: walking the day index
  // newest first finds a page of a county's ratings at once, where the other plan sorts a month.
  const dept = f.departmentIds.length === 1 && f.codeId === undefined ? sql`r.department_id` : sql`+r.department_id`;
  const cond: SQL[] = [sql`${dept} IN ${idList(f.departmentIds)}`, sql`r.day BETWEEN ${f.from} AND ${f.to}`];
  if (f.codeId !== undefined) cond.push(sql`r.code_id = ${f.codeId}`);
  if (f.score !== undefined) cond.push(sql`r.score = ${f.score}`);
  if (f.kind === 'good') cond.push(sql`r.score >= 3`);
  if (f.kind === 'bad') cond.push(sql`r.score <= 2`);
  if (f.realName !== undefined) cond.push(sql`r.real_name = ${f.realName ? 1 : 0}`);
  if (f.withComment) cond.push(sql`r.comment IS NOT NULL AND r.comment <> ''`);
  if (!f.includeExcluded) cond.push(sql`r.excluded = 0`);
  return sql.join(cond, sql` AND `);
}

export function listRatings(db: DbOrTx, f: RatingFilter, limit: number, offset: number): RatingDetailRow[] {
  return db.all<RatingDetailRow>(sql`
    SELECT ${DETAIL_COLUMNS} FROM ratings r JOIN departments d ON d.id = r.department_id JOIN codes k ON k.id = r.code_id
    WHERE ${ratingWhere(f)} ORDER BY r.day DESC, r.id DESC LIMIT ${limit} OFFSET ${offset}`);
}

/** Largest exact count of the "ratings behind a figure" list that is counted row by row. */
export const RATING_COUNT_CAP = 10_000;

/**
 * How many ratings match. Counted ratings by code/day/score come from the rollup (exact, fast at any
 * size); filters the rollup does not carry are counted on the rows, up to RATING_COUNT_CAP.
 */
export function countRatings(db: DbOrTx, f: RatingFilter): { total: number; capped: boolean } {
  if (f.realName === undefined && !f.withComment && !f.includeExcluded) {
    const scores = f.score !== undefined ? [f.score] : f.kind === 'good' ? [3, 4, 5] : f.kind === 'bad' ? [1, 2] : [1, 2, 3, 4, 5];
    const sum = sql.raw(scores.map((n) => `s${n}`).join(' + '));
    const code = f.codeId !== undefined ? sql` AND code_id = ${f.codeId}` : sql``;
    const n = db.get<{ n: number | null }>(
      sql`SELECT sum(${sum}) AS n FROM daily_code_stats WHERE department_id IN ${idList(f.departmentIds)} AND day BETWEEN ${f.from} AND ${f.to}${code}`,
    )?.n;
    return { total: n ?? 0, capped: false };
  }
  const n = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ratings r WHERE ${ratingWhere(f)} LIMIT ${RATING_COUNT_CAP + 1})`)?.n ?? 0;
  return { total: Math.min(n, RATING_COUNT_CAP), capped: n > RATING_COUNT_CAP };
}

export function codeInDepartments(db: DbOrTx, codeId: string, ids: readonly number[]): boolean {
  return !!db.get(sql`SELECT 1 AS x FROM codes WHERE id = ${codeId} AND department_id IN ${idList(ids)}`);
}

const batchStatements = new WeakMap<Database.Database, Database.Statement>();

/**
 * One batch of a day's ratings in time order after the (createdAt, id) cursor, as a better-sqlite3
 * cursor. The caller must consume it fully before awaiting anything: an open cursor keeps the
 * connection busy, so exports read in short synchronous batches and stream between them.
 */
export function iterateRatingBatch(
  db: Db,
  departmentIds: readonly number[],
  day: string,
  after: { createdAt: number; id: number },
  limit: number,
): IterableIterator<RatingDetailRow> {
  const client = db.$client;
  let stmt = batchStatements.get(client);
  if (!stmt) {
    stmt = client.prepare(`
      SELECT r.id AS id, r.created_at AS createdAt, r.day AS day, r.department_id AS departmentId,
        d.name AS departmentName, r.code_id AS codeId, k.location AS location, r.score AS score, r.tags AS tags,
        r.comment AS comment, r.phone_enc AS phoneEnc, r.real_name AS realName, r.flagged AS flagged, r.excluded AS excluded
      FROM ratings r JOIN departments d ON d.id = r.department_id JOIN codes k ON k.id = r.code_id
      WHERE r.department_id IN (SELECT value FROM json_each(@ids)) AND r.day = @day
        AND (r.created_at > @afterAt OR (r.created_at = @afterAt AND r.id > @afterId))
      ORDER BY r.created_at, r.id LIMIT @limit`);
    batchStatements.set(client, stmt);
  }
  return stmt.iterate({
    ids: JSON.stringify(departmentIds),
    day,
    afterAt: after.createdAt,
    afterId: after.id,
    limit,
  }) as IterableIterator<RatingDetailRow>;
}

// ---- Departments and org units for the public page (no actor: the whole platform or one unit) ----

export interface PublicDepartmentRow {
  id: number;
  name: string;
  orgUnitId: number;
  orgUnitName: string;
  active: number;
}

/** Departments under an org unit (its whole subtree), or of the whole platform when null. */
export function listDepartmentsUnder(db: DbOrTx, rootOrgUnitId: number | null): PublicDepartmentRow[] {
  const units =
    rootOrgUnitId === null
      ? sql`(SELECT id FROM org_units)`
      : sql`(WITH RECURSIVE sub(id) AS (SELECT id FROM org_units WHERE id = ${rootOrgUnitId}
            UNION ALL SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)`;
  return db.all<PublicDepartmentRow>(sql`
    SELECT d.id AS id, d.name AS name, d.org_unit_id AS orgUnitId, u.name AS orgUnitName, d.active AS active
    FROM departments d JOIN org_units u ON u.id = d.org_unit_id
    WHERE d.org_unit_id IN ${units} ORDER BY d.sort_order, d.id`);
}

export function listAllOrgUnits(db: DbOrTx) {
  return db.all<{ id: number; parentId: number | null; kind: 'city' | 'county'; name: string }>(sql`
    SELECT id, parent_id AS parentId, kind, name FROM org_units ORDER BY id`);
}
