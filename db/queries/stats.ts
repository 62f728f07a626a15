// Read side of the statistics. Every indicator query reads the rollups, never the raw ratings: one row
// per department (or organisation unit) and day (daily_department_stats, daily_case_stats,
// daily_tag_stats, daily_org_unit_*), or two rows per code, department or unit for its figures over a
// period (cumulative_code_stats, cumulative_department_*, cumulative_org_unit_*: running totals; a
// trend by week or month, one row per bucket). Only the "ratings behind a figure" lists and the export
// detail read ratings, by (department, day) through ratings_dept_day_time_idx.
// The dashboards run the rollup reads on every request: they are plain statements prepared once per
// connection (building and preparing the SQL cost as much as running it on a month's rows).

import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../shared/china-time.js';
import { type CaseStatus, UNCLOSED_CASE_STATUSES } from '../../shared/domain.js';
import { type Db, type DbOrTx, firstRow, inIdList, isPg, type JsonArray, rows, statement } from '../client.js';
import { INDEXED_CHANNEL_LIST, INDEXED_CHANNELS, otherWaysOnly } from '../schema.js';
import {
  CASE_COLUMNS,
  CASE_FLAG_KEYS,
  type CaseFlags,
  type MatterDayCounts,
  periodSums,
  RATING_COLUMNS,
  RATING_SUMS as RATING_SUM_KEYS,
  type RatingSums,
  runningTotalAt,
  runningTotalOf,
  zeroSums,
} from './rollups.js';

export interface DayRange {
  from: string;
  to: string;
}

/** Sums of the case rollup: the same counters as one case's flags. */
export type CaseSums = CaseFlags;

/** A department id list as one bound parameter (constant statement shape, no variable limit). */

/** Named parameters of a scoped period query: @ids (JSON array of department ids), @from, @to. */
function scoped(ids: readonly number[], p: DayRange) {
  return { ids: JSON.stringify(ids), from: p.from, to: p.to };
}

const IDS = '(SELECT value FROM json_each(@ids))';
/** The departments of the organisation units @ids (their own, not those of units below). */
const UNIT_DEPARTMENTS = `(SELECT d.id FROM departments d WHERE d.org_unit_id IN ${IDS})`;

const RATING_SUMS = `coalesce(sum(s.s1), 0) AS s1, coalesce(sum(s.s2), 0) AS s2, coalesce(sum(s.s3), 0) AS s3,
  coalesce(sum(s.s4), 0) AS s4, coalesce(sum(s.s5), 0) AS s5, coalesce(sum(s.real_name), 0) AS "realName",
  coalesce(sum(s.submissions), 0) AS submissions, coalesce(sum(s.opens), 0) AS opens,
  coalesce(sum(s.defaults), 0) AS defaults, coalesce(sum(s.default_good), 0) AS "defaultGood",
  coalesce(sum(s.finished_matters), 0) AS "finishedMatters", coalesce(sum(s.rated_matters), 0) AS "ratedMatters",
  coalesce(sum(s.held), 0) AS held`;

const CASE_SUMS = `coalesce(sum(c.cases), 0) AS cases, coalesce(sum(c.real_name), 0) AS "realName",
  coalesce(sum(c.real_name_visited), 0) AS "realNameVisited", coalesce(sum(c.valid), 0) AS valid,
  coalesce(sum(c.valid_rectified), 0) AS "validRectified", coalesce(sum(c.answered), 0) AS answered,
  coalesce(sum(c.answered_satisfied), 0) AS "answeredSatisfied", coalesce(sum(c.closed), 0) AS closed,
  coalesce(sum(c.closed_on_time), 0) AS "closedOnTime", coalesce(sum(c.open), 0) AS open`;

/**
 * Whose rows a scope's figures sum: its departments' (daily_department_stats, daily_case_stats,
 * daily_tag_stats, their running totals), or, for a scope of whole organisation units (an
 * administrator's or supervisor's subtree, no department asked for), those units' (daily_org_unit_*
 * and cumulative_org_unit_*: each unit's own departments summed on write), 10× fewer rows in a province
 * of 40 counties and 400 departments.
 */
export interface RollupScope {
  level: 'department' | 'unit';
  /** Department ids, or organisation unit ids. */
  ids: readonly number[];
}

const LEVELS = {
  department: {
    owners: 'departments',
    key: 'department_id',
    ratings: 'daily_department_stats',
    cases: 'daily_case_stats',
    tags: 'daily_tag_stats',
    ratingTotals: 'cumulative_department_stats',
    caseTotals: 'cumulative_department_case_stats',
  },
  unit: {
    owners: 'org_units',
    key: 'org_unit_id',
    ratings: 'daily_org_unit_stats',
    cases: 'daily_org_unit_case_stats',
    tags: 'daily_org_unit_tag_stats',
    ratingTotals: 'cumulative_org_unit_stats',
    caseTotals: 'cumulative_org_unit_case_stats',
  },
} as const;

/** Which running totals of a level (LEVELS): its ratings' or its cases'. */
type TotalsKind = 'ratingTotals' | 'caseTotals';

/** The counter columns of each kind of running totals, in the order their statements read them. */
const TOTALS_COLUMNS: Record<TotalsKind, readonly string[]> = { ratingTotals: RATING_COLUMNS, caseTotals: CASE_COLUMNS };

/**
 * A department's (or organisation unit's) sums over [from, to] from its running totals
 * (cumulative_department_stats, cumulative_department_case_stats; cumulative_org_unit_*): the row of its
 * last day <= to minus the row of its last day < from, each one primary-key seek. Two seeks a department
 * or unit whatever the period's length: a year of a province's 400 departments reads 800 rows, not
 * 146,000, and a whole-unit scope of its 40 units 80, not 14,600. A statement per dialect: SQLite reads
 * each row as one JSON array (a scalar subquery: it has no LATERAL); PostgreSQL as columns of two LATERAL
 * subqueries, which saves building a `json` value per row and the driver parsing it (bench/README.md).
 * Both answer rows of [id, hi, lo], hi and lo the columns in TOTALS_COLUMNS' order, null for no row.
 */
function totalsSql(level: RollupScope['level'], kind: TotalsKind): { sqlite: string; pg: string } {
  const { owners, key, [kind]: table } = LEVELS[level];
  const columns = TOTALS_COLUMNS[kind];
  const values = columns.join(', ');
  const side = (alias: string, day: string) =>
    `LEFT JOIN LATERAL (SELECT ${values} FROM ${table} m WHERE m.${key} = x.id AND m.day ${day} ORDER BY m.day DESC LIMIT 1) ${alias} ON true`;
  return {
    sqlite: `SELECT x.id, ${runningTotalAt(table, key, 'x.id', values, '<= @to')},
    ${runningTotalAt(table, key, 'x.id', values, '< @from')}
    FROM ${owners} x WHERE x.id IN ${IDS}`,
    pg: `SELECT x.id, ${columns.map((c) => `hi.${c}`).join(', ')}, ${columns.map((c) => `lo.${c}`).join(', ')}
    FROM ${owners} x ${side('hi', '<= @to')} ${side('lo', '< @from')} WHERE x.id IN ${IDS}`,
  };
}

/** A statement of each level (departments, units) and kind of running totals (ratings, cases). */
function perLevel<T>(make: (level: RollupScope['level'], kind: TotalsKind) => T) {
  const of = (level: RollupScope['level']) => ({ ratings: make(level, 'ratingTotals'), cases: make(level, 'caseTotals') });
  return { department: of('department'), unit: of('unit') };
}
const TOTALS = perLevel(totalsSql);

/** Each department's or unit's sums (keys in the order of TOTALS_COLUMNS) from totalsSql. */
async function periodTotals<K extends string>(
  db: DbOrTx,
  texts: { sqlite: string; pg: string },
  keys: readonly K[],
  ids: readonly number[],
  p: DayRange,
): Promise<(Record<K, number> & { id: number })[]> {
  if (isPg(db)) {
    const n = keys.length;
    const found = (await statement(db, texts.pg).arrays(scoped(ids, p))) as [number, ...(number | null)[]][];
    return found.map((row) =>
      periodSums(keys, row.slice(1, 1 + n), row.slice(1 + n), { id: Number(row[0]) } as Record<K, number> & { id: number }),
    );
  }
  const found = (await statement(db, texts.sqlite).arrays(scoped(ids, p))) as [number, JsonArray | null, JsonArray | null][];
  return found.map(([id, hi, lo]) => periodSums(keys, hi, lo, { id } as Record<K, number> & { id: number }));
}

/**
 * The running totals of the scope's departments or units summed at each of the days @days (a JSON
 * array): per day, each one's row of its last day on or before it (one seek), added up in SQL. One row
 * a day: [day, ...columns]; none for a day before every row. A statement per dialect: PostgreSQL reads
 * each row by a LATERAL subquery (~2 µs a row; the SQLite text, which SQLite lacks LATERAL for, made it
 * hash every row of the table: 16 ms for a province's year by week, against 6).
 */
function totalsAtSql(level: RollupScope['level'], kind: TotalsKind): { sqlite: string; pg: string } {
  const { owners: from, key, [kind]: table } = LEVELS[level];
  const sums = TOTALS_COLUMNS[kind].map((c) => `sum(m.${c})`).join(', ');
  return {
    // CROSS JOIN keeps SQLite's order: the (department or unit, day) pairs first, then one row each (it
    // would otherwise read every row of each key first: 480 ms for a province's year by week).
    sqlite: `SELECT t.value, ${sums}
      FROM (SELECT x.id AS id, b.value AS value,
          (SELECT max(e.day) FROM ${table} e WHERE e.${key} = x.id AND e.day <= b.value) AS day
        FROM ${from} x CROSS JOIN (SELECT value FROM json_each(@days)) b WHERE x.id IN ${IDS}) t
      CROSS JOIN ${table} m WHERE m.${key} = t.id AND m.day = t.day GROUP BY t.value`,
    pg: `SELECT b.value, ${sums}
      FROM ${from} x CROSS JOIN (SELECT value FROM json_each(@days)) b
      CROSS JOIN LATERAL (SELECT * FROM ${table} m WHERE m.${key} = x.id AND m.day <= b.value ORDER BY m.day DESC LIMIT 1) m
      WHERE x.id IN ${IDS} GROUP BY b.value`,
  };
}
const TOTALS_AT = perLevel(totalsAtSql);

/**
 * The sums of each of a period's consecutive buckets (a trend by week or month) over the scope, from
 * the running totals at every bucket's last day and at the day before the first: a bucket's sums are
 * the totals at its end minus those at the end before. A province's year by month reads 40 units × 13
 * rows instead of 14,600 unit rows. Each result is a bucket's first day (`day`) and its sums.
 */
async function bucketTotals<K extends string>(
  db: DbOrTx,
  texts: { sqlite: string; pg: string },
  keys: readonly K[],
  ids: readonly number[],
  buckets: readonly DayRange[],
): Promise<(Record<K, number> & { day: string })[]> {
  const ends = [addDays(buckets[0]!.from, -1), ...buckets.map((b) => b.to)];
  const found = (await statement(db, isPg(db) ? texts.pg : texts.sqlite).arrays({
    ids: JSON.stringify(ids),
    days: JSON.stringify(ends),
  })) as [string, ...number[]][];
  const at = new Map(found.map(([day, ...sums]) => [day, sums]));
  let lo = at.get(ends[0]!) ?? null;
  return buckets.map((b) => {
    const hi = at.get(b.to) ?? null;
    const out = periodSums(keys, hi, lo, { day: b.from } as Record<K, number> & { day: string });
    lo = hi;
    return out;
  });
}

/** Counted-rating sums per bucket of consecutive days (bucketTotals). */
export async function sumRatingsPerBucket(db: DbOrTx, scope: RollupScope, buckets: readonly DayRange[]) {
  return bucketTotals(db, TOTALS_AT[scope.level].ratings, RATING_SUM_KEYS, scope.ids, buckets);
}

/** Case sums per bucket of consecutive days (bucketTotals). */
export async function sumCasesPerBucket(db: DbOrTx, scope: RollupScope, buckets: readonly DayRange[]) {
  return bucketTotals(db, TOTALS_AT[scope.level].cases, CASE_FLAG_KEYS, scope.ids, buckets);
}

/** Counted-rating sums per department, or per organisation unit (its own departments'), over a period. */
export async function sumRatingsPer(db: DbOrTx, scope: RollupScope, p: DayRange): Promise<(RatingSums & { id: number })[]> {
  return periodTotals(db, TOTALS[scope.level].ratings, RATING_SUM_KEYS, scope.ids, p);
}

export async function sumRatingsByDay(db: DbOrTx, scope: RollupScope, p: DayRange) {
  const { key, ratings } = LEVELS[scope.level];
  return statement(
    db,
    `SELECT s.day AS day, ${RATING_SUMS} FROM ${ratings} s
    WHERE s.${key} IN ${IDS} AND s.day BETWEEN @from AND @to GROUP BY s.day ORDER BY s.day`,
  ).all<RatingSums & { day: string }>(scoped(scope.ids, p));
}

export interface CodeRatingSums extends RatingSums {
  codeId: string;
  departmentId: number;
  location: string;
  staffName: string | null;
  active: number;
}

// A code's figures over [from, to]: its running totals on its last day <= to, minus those on its last
// day < from. Each side is one primary-key seek: two seeks a code. SQLite reads each row as one JSON
// array, rows of arrays instead of objects of 13 named columns (about half the time of a lookup of the
// day, then of the row, for a county's 308 codes); PostgreSQL as the columns of two LATERAL
// subqueries (as totalsSql). A page is ordered and cut first, in a subquery (its LIMIT keeps SQLite
// from flattening it), so the seeks run for the page's codes only; the whole list skips that subquery
// (a co-routine over 308 codes costs a fifth more).
const CODE_FIGURES = `k.id, k.department_id, k.location, k.staff_name, k.active,
    ${runningTotalAt('cumulative_code_stats', 'code_id', 'k.id', RATING_COLUMNS.join(', '), '<= @to')},
    ${runningTotalAt('cumulative_code_stats', 'code_id', 'k.id', RATING_COLUMNS.join(', '), '< @from')}`;
const codeSide = (alias: string, day: string) =>
  `LEFT JOIN LATERAL (SELECT ${RATING_COLUMNS.join(', ')} FROM cumulative_code_stats m
    WHERE m.code_id = k.id AND m.day ${day} ORDER BY m.day DESC LIMIT 1) ${alias} ON true`;
const CODE_FIGURES_PG = `k.id, k.department_id, k.location, k.staff_name, k.active,
    ${RATING_COLUMNS.map((c) => `hi.${c}`).join(', ')}, ${RATING_COLUMNS.map((c) => `lo.${c}`).join(', ')}`;
const CODE_SIDES_PG = `${codeSide('hi', '<= @to')} ${codeSide('lo', '< @from')}`;

function codePeriodSql(orderBy: string) {
  const page = `(SELECT id, department_id, location, staff_name, active FROM codes
        WHERE department_id IN ${IDS} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset) k`;
  return {
    all: `SELECT ${CODE_FIGURES} FROM codes k WHERE k.department_id IN ${IDS} ORDER BY ${orderBy}`,
    page: `SELECT ${CODE_FIGURES} FROM ${page} ORDER BY ${orderBy}`,
    allPg: `SELECT ${CODE_FIGURES_PG} FROM codes k ${CODE_SIDES_PG} WHERE k.department_id IN ${IDS} ORDER BY ${orderBy}`,
    pagePg: `SELECT ${CODE_FIGURES_PG} FROM ${page} ${CODE_SIDES_PG} ORDER BY ${orderBy}`,
  };
}

/**
 * The orders of a scope's codes that SQL can give before reading any figure: the list's own
 * (department, location, code id, texts compared byte by byte, as scripts have always had it) and by
 * code id. (By location in the order a person reads it is sorted by the service: compareLocations.)
 */
export type CodeOrder = 'department' | 'code';

const CODE_PERIOD_SQL: Record<CodeOrder, Record<'asc' | 'desc', ReturnType<typeof codePeriodSql>>> = {
  department: { asc: codePeriodSql('department_id, location, id'), desc: codePeriodSql('department_id DESC, location DESC, id DESC') },
  code: { asc: codePeriodSql('id'), desc: codePeriodSql('id DESC') },
};

/** Which of a scope's codes, in which order: without `limit`, all of them (`offset` goes with `limit`). */
export interface CodeListing {
  by: CodeOrder;
  order: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

type CodePeriodRow = [
  codeId: string,
  departmentId: number,
  location: string,
  staffName: string | null,
  active: number,
  hi: JsonArray | null,
  lo: JsonArray | null,
];

/**
 * The codes of the departments (with zeros when unrated) and their counted ratings in the period:
 * every one of them in the list's own order, or the page and order `listing` asks for.
 */
export async function sumRatingsByCode(
  db: DbOrTx,
  ids: readonly number[],
  p: DayRange,
  listing: CodeListing = { by: 'department', order: 'asc' },
): Promise<CodeRatingSums[]> {
  const sqlOf = CODE_PERIOD_SQL[listing.by][listing.order];
  const pg = isPg(db);
  const found = (
    listing.limit === undefined
      ? await statement(db, pg ? sqlOf.allPg : sqlOf.all).arrays(scoped(ids, p))
      : await statement(db, pg ? sqlOf.pagePg : sqlOf.page).arrays({ ...scoped(ids, p), limit: listing.limit, offset: listing.offset ?? 0 })
  ) as unknown[][];
  // PostgreSQL's rows hold the two sides' columns: made the JSON arrays' shape.
  const n = RATING_COLUMNS.length;
  const rows = (pg ? found.map((r) => [...r.slice(0, 5), r.slice(5, 5 + n), r.slice(5 + n)]) : found) as CodePeriodRow[];
  // The arrays hold RATING_COLUMNS in order: the period's sums are their differences.
  return rows.map(([codeId, departmentId, location, staffName, active, hi, lo]) => ({
    codeId,
    departmentId,
    location,
    staffName,
    active,
    ...periodSums(RATING_SUM_KEYS, hi, lo, zeroSums()),
  }));
}

/** How many codes the departments have (the length of their whole list). */
export async function countCodes(db: DbOrTx, ids: readonly number[]): Promise<number> {
  const [n] = await statement(db, `SELECT count(*) FROM codes WHERE department_id IN ${IDS}`).column<number>({ ids: JSON.stringify(ids) });
  return n ?? 0;
}

/** Case sums per department, or per organisation unit (its own departments'), over a period. */
export async function sumCasesPer(db: DbOrTx, scope: RollupScope, p: DayRange): Promise<(CaseSums & { id: number })[]> {
  return periodTotals(db, TOTALS[scope.level].cases, CASE_FLAG_KEYS, scope.ids, p);
}

export async function sumCasesByDay(db: DbOrTx, scope: RollupScope, p: DayRange) {
  const { key, cases } = LEVELS[scope.level];
  return statement(
    db,
    `SELECT c.day AS day, ${CASE_SUMS} FROM ${cases} c
    WHERE c.${key} IN ${IDS} AND c.day BETWEEN @from AND @to GROUP BY c.day ORDER BY c.day`,
  ).all<CaseSums & { day: string }>(scoped(scope.ids, p));
}

// The distinct tags, found by skipping through the tag-first key (a seek per tag), then each tag's
// rows of the scope and period in key order: the grouping needs no sort of every row.
const tagSumsSql = ({ key, tags }: (typeof LEVELS)[RollupScope['level']]) => `
  WITH RECURSIVE tags(tag) AS (
    SELECT min(tag) FROM ${tags}
    UNION ALL SELECT (SELECT min(x.tag) FROM ${tags} x WHERE x.tag > tags.tag) FROM tags WHERE tags.tag IS NOT NULL)
  SELECT t.tag AS tag, sum(t.count) AS count FROM ${tags} t
  WHERE t.tag IN (SELECT tag FROM tags WHERE tag IS NOT NULL) AND t.${key} IN ${IDS} AND t.day BETWEEN @from AND @to
  GROUP BY t.tag HAVING sum(t.count) > 0 ORDER BY count DESC, t.tag`;
const TAG_SUMS_SQL = { department: tagSumsSql(LEVELS.department), unit: tagSumsSql(LEVELS.unit) };

export async function sumTags(db: DbOrTx, scope: RollupScope, p: DayRange) {
  return statement(db, TAG_SUMS_SQL[scope.level]).all<{ tag: string; count: number }>(scoped(scope.ids, p));
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const HOUR_SUMS = [...HOURS.map((h) => `coalesce(sum(h${h}), 0)`), ...HOURS.map((h) => `coalesce(sum(b${h}), 0)`)].join(', ');
// SQLite: one sum per group of days, no GROUP BY (grouping 30 days x 40 departments x 48 columns by
// day through a sort costs more than the sums themselves). PostgreSQL: one statement for the whole
// period, a row per day, added up here: a statement per group cost a round trip each and, with its
// days as a list (`day IN` a JSON array), a scan of the whole table each (14 ms at 10 M ratings).
const hoursOfDaysSql = ({ key, ratings }: (typeof LEVELS)[RollupScope['level']]) => `SELECT ${HOUR_SUMS}
  FROM ${ratings} WHERE ${key} IN ${IDS} AND day IN (SELECT value FROM json_each(@days))`;
const hoursByDaySql = ({ key, ratings }: (typeof LEVELS)[RollupScope['level']]) => `SELECT day, ${HOUR_SUMS}
  FROM ${ratings} WHERE ${key} IN ${IDS} AND day BETWEEN @from AND @to GROUP BY day`;
const HOURS_OF_DAYS_SQL = { department: hoursOfDaysSql(LEVELS.department), unit: hoursOfDaysSql(LEVELS.unit) };
const HOURS_BY_DAY_SQL = { department: hoursByDaySql(LEVELS.department), unit: hoursByDaySql(LEVELS.unit) };

type HourSums = { total: number[]; bad: number[] };

/**
 * Counted ratings (`total`) and 差评 (`bad`) per China hour 0–23, summed over each group of days (the
 * days of a period by weekday): one sum per group, in the groups' order.
 */
export async function sumHoursOfDayGroups(db: DbOrTx, scope: RollupScope, groups: readonly (readonly string[])[]): Promise<HourSums[]> {
  const ids = scope.ids;
  const zeros = (): HourSums => ({ total: new Array<number>(24).fill(0), bad: new Array<number>(24).fill(0) });
  const sums = groups.map(zeros);
  const days = groups.flat().sort();
  if (days.length === 0) return sums;
  if (isPg(db)) {
    const groupOf = new Map(groups.flatMap((g, i) => g.map((d) => [d, i] as const)));
    const found = (await statement(db, HOURS_BY_DAY_SQL[scope.level]).arrays({
      ids: JSON.stringify(ids),
      from: days[0],
      to: days[days.length - 1],
    })) as [string, ...number[]][];
    for (const [day, ...row] of found) {
      const i = groupOf.get(day);
      if (i === undefined) continue;
      const s = sums[i]!;
      for (let h = 0; h < 24; h++) {
        s.total[h]! += row[h]!;
        s.bad[h]! += row[24 + h]!;
      }
    }
    return sums;
  }
  for (const [i, list] of groups.entries()) {
    if (list.length === 0) continue;
    const [row] = (await statement(db, HOURS_OF_DAYS_SQL[scope.level]).arrays({
      ids: JSON.stringify(ids),
      days: JSON.stringify(list),
    })) as number[][];
    if (!row) throw new Error('a sum without GROUP BY answers one row');
    sums[i] = { total: row.slice(0, 24), bad: row.slice(24, 48) };
  }
  return sums;
}

// Listed rather than `<> 'closed'`, so SQLite seeks the few unclosed cases in (department, status)
// instead of walking every case a county ever had.
const UNCLOSED = `(${UNCLOSED_CASE_STATUSES.map((s) => `'${s}'`).join(',')})`;
/** 差评 not closed and past their whole deadline today (逾期), of the cases `c`. */
const OVERDUE_NOW = `c.status IN ${UNCLOSED} AND c.due_date < @today AND c.kind = 'bad_rating'`;
/**
 * The rows `c` of a scope's departments: @ids, or the departments of the units @ids. The unary plus
 * keeps SQLite off the department index (a whole-unit scope reads another index, or the table whole);
 * PostgreSQL reads it as the department id and plans by its statistics.
 */
const IN_SCOPE = { department: `c.department_id IN ${IDS}`, unit: `+c.department_id IN ${UNIT_DEPARTMENTS}` };

/**
 * 差评 cases not yet closed (from case_status_counts), and those of them past their whole deadline (逾期),
 * per department, each with how many of them are in `supervisorStatuses` (the steps that wait on the
 * supervisor). Spot checks are not 差评 (and a head never sees them). A department scope seeks its
 * departments' rows: (department, kind, status) and (department, status, due_date) ranges. A whole-unit
 * scope (a province: 400 departments × 7 statuses, ~2 ms of seeks) reads case_status_counts whole (a few
 * rows per department) and the overdue open cases by (status, due_date), its units' departments as a
 * filter, as countOverdueOpenByDepartment does.
 */
const UNCLOSED_SQL = {
  department: {
    unclosed: `FROM case_status_counts c WHERE ${IN_SCOPE.department} AND c.kind = 'bad_rating' AND c.status IN ${UNCLOSED}`,
    overdue: `FROM cases c WHERE ${IN_SCOPE.department} AND ${OVERDUE_NOW}`,
  },
  unit: {
    unclosed: `FROM case_status_counts c WHERE ${IN_SCOPE.unit} AND c.kind = 'bad_rating' AND c.status IN ${UNCLOSED}`,
    overdue: `FROM cases c WHERE ${IN_SCOPE.unit} AND ${OVERDUE_NOW}`,
  },
};

export async function countUnclosedCases(db: DbOrTx, scope: RollupScope, today: string, supervisorStatuses: readonly CaseStatus[]) {
  const params = { ids: JSON.stringify(scope.ids), today };
  const supervisor = `(${supervisorStatuses.map((s) => `'${s}'`).join(',') || "''"})`;
  const from = UNCLOSED_SQL[scope.level];
  const unclosed = await statement(
    db,
    `SELECT department_id AS "departmentId", sum(count) AS n, sum(CASE WHEN status IN ${supervisor} THEN count ELSE 0 END) AS supervisor
    ${from.unclosed} GROUP BY department_id HAVING sum(count) <> 0`,
  ).all<{ departmentId: number; n: number; supervisor: number }>(params);
  const overdue = new Map(
    (
      await statement(
        db,
        `SELECT department_id AS "departmentId", count(*) AS n, sum(CASE WHEN status IN ${supervisor} THEN 1 ELSE 0 END) AS supervisor
        ${from.overdue} GROUP BY department_id`,
      ).all<{ departmentId: number; n: number; supervisor: number }>(params)
    ).map((r) => [r.departmentId, r]),
  );
  return unclosed.map((r) => ({
    departmentId: r.departmentId,
    unclosed: Number(r.n),
    overdue: Number(overdue.get(r.departmentId)?.n ?? 0),
    waitingOnSupervisor: Number(r.supervisor),
    overdueWaitingOnSupervisor: Number(overdue.get(r.departmentId)?.supervisor ?? 0),
  }));
}

// 逾期未办结 of a period's 差评 (按期办结率's other late cases): they become late as days pass, so no
// rollup can hold them; counted from the cases, (department, status, due_date) index ranges.
// A department scope seeks (department, status, due_date) per department and status. A whole-unit scope
// reads (status, due_date) instead: a few seeks for every overdue open case, not one per department and
// status (2,400 in a province of 400 departments, ~1 ms).
const OVERDUE_OPEN = {
  department: `FROM cases c WHERE ${IN_SCOPE.department} AND ${OVERDUE_NOW} AND c.rating_day BETWEEN @from AND @to`,
  unit: `FROM cases c WHERE ${IN_SCOPE.unit} AND ${OVERDUE_NOW} AND c.rating_day BETWEEN @from AND @to`,
};

/** Per department: the period's 差评 cases not closed and past their deadline today. */
export async function countOverdueOpenByDepartment(db: DbOrTx, scope: RollupScope, p: DayRange, today: string) {
  return statement(
    db,
    `SELECT c.department_id AS "departmentId", count(*) AS n ${OVERDUE_OPEN[scope.level]} GROUP BY c.department_id`,
  ).all<{
    departmentId: number;
    n: number;
  }>({ ...scoped(scope.ids, p), today });
}

/** The same per rating day (the trend's buckets). */
export async function countOverdueOpenByDay(db: DbOrTx, scope: RollupScope, p: DayRange, today: string) {
  return statement(db, `SELECT c.rating_day AS day, count(*) AS n ${OVERDUE_OPEN[scope.level]} GROUP BY c.rating_day`).all<{
    day: string;
    n: number;
  }>({
    ...scoped(scope.ids, p),
    today,
  });
}

// ---- The 办件 of one department by 经办人 and by 事项 (daily_matter_stats) ----

const MATTER_SUMS = `sum(m.finished) AS finished, sum(m.rated) AS rated, sum(m.defaults) AS defaults,
  sum(m.s1) AS s1, sum(m.s2) AS s2, sum(m.s3) AS s3, sum(m.s4) AS s4, sum(m.s5) AS s5`;
// One department's rows of the period: a range of the primary key (department, day, …).
const MATTER_PERIOD = 'm.department_id = @departmentId AND m.day BETWEEN @from AND @to';

/** Per 经办人 ('' for 办件 without one): the department's 办件 that finished in the period. */
export async function sumMattersByStaff(db: DbOrTx, departmentId: number, p: DayRange) {
  return statement(
    db,
    `SELECT m.staff_name AS "staffName", ${MATTER_SUMS} FROM daily_matter_stats m WHERE ${MATTER_PERIOD} GROUP BY m.staff_name`,
  ).all<MatterDayCounts & { staffName: string }>({ departmentId, from: p.from, to: p.to });
}

/**
 * Per 事项: the sums, and the smallest and largest name it was pushed under in the period (the same
 * unless it was renamed: then latestTaskName says which is the latest). Grouped by the code alone: a
 * sort by (code, name) cost a third more at a busy department's 7,200 rows a month.
 */
export async function sumMattersByTask(db: DbOrTx, departmentId: number, p: DayRange) {
  return statement(
    db,
    `SELECT m.task_code AS "taskCode", min(m.task_name) AS "firstName", max(m.task_name) AS "lastName", ${MATTER_SUMS}
    FROM daily_matter_stats m WHERE ${MATTER_PERIOD} GROUP BY m.task_code`,
  ).all<MatterDayCounts & { taskCode: string; firstName: string; lastName: string }>({ departmentId, from: p.from, to: p.to });
}

/** The name a 事项 was last pushed under in the period (the latest day's; of one day, the largest). */
export async function latestTaskName(db: DbOrTx, departmentId: number, p: DayRange, taskCode: string): Promise<string | undefined> {
  const [name] = await statement(
    db,
    `SELECT m.task_name FROM daily_matter_stats m WHERE ${MATTER_PERIOD} AND m.task_code = @taskCode
    ORDER BY m.day DESC, m.task_name DESC LIMIT 1`,
  ).column<string>({ departmentId, from: p.from, to: p.to, taskCode });
  return name;
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
  /** Of the rating list's page (GET /api/stats/ratings): filters the rollups do not carry. */
  tag?: string;
  withoutComment?: boolean;
  held?: boolean;
  flagged?: boolean;
  channel?: string;
  bound?: boolean;
  /**
   * Excluded ratings (approved appeals) and those a 办件's 追评 replaced are not behind any figure;
   * listed only when asked.
   */
  includeExcluded?: boolean;
  /**
   * `departmentIds` is every department there is (Actor.everyDepartment): where the department is only
   * a filter on the rows (not an index's prefix), it is left out. A province's 400 ids were compared
   * with each row read (on PostgreSQL, `= ANY` walks the array).
   */
  everyDepartment?: boolean;
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
  held: number;
  channel: string;
  assessNumber: number | null;
  superseded: number;
}

/** The columns and joins of a RatingDetailRow (ratings r, their department d and code k). */
const DETAIL_SELECT = `SELECT r.id AS id, r.created_at AS "createdAt", r.day AS day, r.department_id AS "departmentId",
  d.name AS "departmentName", r.code_id AS "codeId", k.location AS location, r.score AS score, r.tags AS tags,
  r.comment AS comment, r.phone_enc AS "phoneEnc", r.real_name AS "realName", r.flagged AS flagged, r.excluded AS excluded,
  r.held AS held, r.channel AS channel, r.assess_number AS "assessNumber", r.superseded AS superseded
  FROM ratings r JOIN departments d ON d.id = r.department_id JOIN codes k ON k.id = r.code_id`;

/**
 * Held or flagged ratings asked for: a few in a thousand, each kind in a partial index of its own
 * (ratings_held_idx, ratings_flagged_idx). SQLite is told with `+` to read them from there, not the
 * period's every rating by department or day newest first (0.4 s for a county's month at 10 M ratings).
 */
function fewFlagged(db: DbOrTx, f: RatingFilter): boolean {
  return !isPg(db) && (f.held === true || f.flagged === true);
}

/** A channel with its own index asked for (typed in by staff, the 评价器): a few among the scanned and linked ones. */
function indexedChannel(f: RatingFilter): boolean {
  return f.channel !== undefined && (INDEXED_CHANNELS as readonly string[]).includes(f.channel);
}

/** The list's newest-first key: of a few ratings from a partial index, SQLite sorts them (`+`). */
function dayOrder(db: DbOrTx, f: RatingFilter): SQL {
  return sql.raw(!isPg(db) && (fewFlagged(db, f) || indexedChannel(f)) ? '+r.day' : 'r.day');
}

function ratingWhere(db: DbOrTx, f: RatingFilter): SQL {
  const few = fewFlagged(db, f);
  const indexed = indexedChannel(f) && !few;
  // With several departments, `+` keeps SQLite off the (department, day) index: walking the day index
  // newest first finds a page of a county's ratings at once, where the other plan sorts a month.
  // One department is an equality, never a list (a list of one made SQLite sort the department's whole
  // period, 86 ms at 10 M ratings): its (department, day, time) range is read newest first.
  // A channel with its own index: that partial index is keyed by department, so the department stays seekable.
  // Of every department there is, a list that is only a filter (`+`) is left out (RatingFilter.everyDepartment).
  const cond: SQL[] = [];
  if (f.departmentIds.length === 1 && f.codeId === undefined && !few) cond.push(sql`r.department_id = ${f.departmentIds[0]}`);
  else if (indexed) cond.push(inIdList(db, sql`r.department_id`, f.departmentIds));
  else if (!f.everyDepartment) cond.push(inIdList(db, sql`+r.department_id`, f.departmentIds));
  cond.push(few ? sql`+r.day BETWEEN ${f.from} AND ${f.to}` : sql`r.day BETWEEN ${f.from} AND ${f.to}`);
  if (f.codeId !== undefined) cond.push(sql`r.code_id = ${f.codeId}`);
  if (f.score !== undefined) cond.push(sql`r.score = ${f.score}`);
  if (f.kind === 'good') cond.push(sql`r.score >= 3`);
  if (f.kind === 'bad') cond.push(sql`r.score <= 2`);
  if (f.realName !== undefined) cond.push(sql`r.real_name = ${f.realName ? 1 : 0}`);
  if (f.withComment) cond.push(sql`r.comment IS NOT NULL AND r.comment <> ''`);
  if (f.withoutComment) cond.push(sql`(r.comment IS NULL OR r.comment = '')`);
  if (f.tag !== undefined) cond.push(sql`EXISTS (SELECT 1 FROM ${tagsOf(db)} WHERE j.value = ${f.tag})`);
  // Literals: a partial index (WHERE flagged = 1, held = 1) is matched on them, never on a parameter.
  if (f.flagged !== undefined) cond.push(sql.raw(`r.flagged = ${f.flagged ? 1 : 0}`));
  if (f.channel !== undefined) cond.push(sql`r.channel = ${f.channel}`);
  // Said as ratings_few_channels_idx says it, as a literal (a partial index is never matched on a parameter).
  if (indexedChannel(f)) cond.push(sql.raw(`r.channel IN ${INDEXED_CHANNEL_LIST}`));
  if (f.bound !== undefined) cond.push(f.bound ? sql`r.matter_id IS NOT NULL` : sql`r.matter_id IS NULL`);
  if (f.held !== undefined) cond.push(sql.raw(`r.held = ${f.held ? 1 : 0}`));
  // Counted only: neither excluded, held for review, nor replaced by a 追评 (docs/domain.md). Asked
  // for the held ones, the list is of those (held, not yet excluded).
  if (!f.includeExcluded) cond.push(f.held ? sql`r.excluded = 0` : sql`r.excluded = 0 AND r.superseded = 0 AND r.held = 0`);
  return sql.join(cond, sql` AND `);
}

/** The elements of a rating's tags (a JSON array stored as text) as rows `j.value`. */
function tagsOf(db: DbOrTx): SQL {
  return isPg(db) ? sql.raw('json_array_elements_text(r.tags::json) AS j(value)') : sql.raw('json_each(r.tags) j');
}

/** A page of the ratings behind a figure, newest first. */
export function ratingListQuery(db: DbOrTx, f: RatingFilter, limit: number, offset: number): SQL {
  return sql`
    ${sql.raw(DETAIL_SELECT)}
    WHERE ${ratingWhere(db, f)} ORDER BY ${dayOrder(db, f)} DESC, r.created_at DESC, r.id DESC LIMIT ${limit} OFFSET ${offset}`;
}

export async function listRatings(db: DbOrTx, f: RatingFilter, limit: number, offset: number): Promise<RatingDetailRow[]> {
  return rows<RatingDetailRow>(db, ratingListQuery(db, f, limit, offset));
}

/** Largest exact count of the "ratings behind a figure" list that is counted row by row. */
const RATING_COUNT_CAP = 10_000;

/**
 * How many ratings match. Counted ratings by code/day/score come from the rollup (exact, fast at any
 * size); filters the rollup does not carry are counted on the rows, up to RATING_COUNT_CAP. `scope`
 * says whose rollup rows hold the departments' counts (rollupScope: whole units when it is a unit scope).
 */
export async function countRatings(
  db: DbOrTx,
  f: RatingFilter,
  scope: RollupScope = { level: 'department', ids: f.departmentIds },
): Promise<{ total: number; capped: boolean }> {
  const { owners, key, ratingTotals, tags } = LEVELS[scope.level];
  // Filters no rollup carries: counted on the rows.
  const onRows =
    [f.realName, f.held, f.flagged, f.channel, f.bound].some((v) => v !== undefined) ||
    f.withComment ||
    f.withoutComment ||
    f.includeExcluded;
  if (!onRows && f.tag === undefined) {
    const scores = f.score !== undefined ? [f.score] : f.kind === 'good' ? [3, 4, 5] : f.kind === 'bad' ? [1, 2] : [1, 2, 3, 4, 5];
    const sum = scores.map((n) => `s${n}`).join(' + ');
    // One code: its rows of the period by primary key. Otherwise each department's (or whole unit's)
    // running totals at the period's end minus those before its start: two seeks each, whatever the
    // period (a province's year was 146,000 department rows, 15 ms; its 40 units are 80 seeks).
    const totalOf = (day: string) => runningTotalOf(ratingTotals, key, 'x.id', sum, day);
    const [n] = await (f.codeId !== undefined
      ? statement(
          db,
          `SELECT sum(${sum}) FROM daily_code_stats WHERE code_id = @code AND day BETWEEN @from AND @to AND department_id IN ${IDS}`,
        ).column<number | null>({ ...scoped(f.departmentIds, f), code: f.codeId })
      : statement(
          db,
          `SELECT sum(coalesce(${totalOf('<= @to')}, 0) - coalesce(${totalOf('< @from')}, 0)) FROM ${owners} x WHERE x.id IN ${IDS}`,
        ).column<number | null>(scoped(scope.ids, f)));
    return { total: n ?? 0, capped: false };
  }
  // One tag of counted ratings, nothing else: the tag rollup counts those (a common tag was 10 001 rows
  // read to count, 0.2 s for a county's month at 10 M ratings).
  if (!onRows && f.score === undefined && f.kind === undefined && f.codeId === undefined) {
    const [n] = await statement(
      db,
      `SELECT sum(count) FROM ${tags} WHERE tag = @tag AND ${key} IN ${IDS} AND day BETWEEN @from AND @to`,
    ).column<number | null>({ ...scoped(scope.ids, f), tag: f.tag });
    return { total: n ?? 0, capped: false };
  }
  const n =
    (
      await firstRow<{ n: number }>(
        db,
        sql`SELECT count(*) AS n FROM (SELECT 1 FROM ratings r WHERE ${ratingWhere(db, f)} LIMIT ${RATING_COUNT_CAP + 1}) AS capped`,
      )
    )?.n ?? 0;
  return { total: Math.min(n, RATING_COUNT_CAP), capped: n > RATING_COUNT_CAP };
}

export async function codeInDepartments(db: DbOrTx, codeId: string, ids: readonly number[]): Promise<boolean> {
  return !!(await firstRow(db, sql`SELECT 1 AS x FROM codes WHERE id = ${codeId} AND ${inIdList(db, sql`department_id`, ids)}`));
}

const BATCH_SQL = `
    ${DETAIL_SELECT}
    WHERE r.department_id IN ${IDS} AND r.day = @day
      AND (r.created_at > @afterAt OR (r.created_at = @afterAt AND r.id > @afterId))
    ORDER BY r.created_at, r.id LIMIT @limit`;

/** One batch of a day's ratings in time order after the (createdAt, id) cursor (exports stream batch by batch). */
export async function readRatingBatch(
  db: Db,
  departmentIds: readonly number[],
  day: string,
  after: { createdAt: number; id: number },
  limit: number,
): Promise<RatingDetailRow[]> {
  return statement(db, BATCH_SQL).all<RatingDetailRow>({
    ids: JSON.stringify(departmentIds),
    day,
    afterAt: after.createdAt,
    afterId: after.id,
    limit,
  });
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
export async function listDepartmentsUnder(db: DbOrTx, rootOrgUnitId: number | null): Promise<PublicDepartmentRow[]> {
  const units =
    rootOrgUnitId === null
      ? sql`(SELECT id FROM org_units)`
      : sql`(WITH RECURSIVE sub(id) AS (SELECT id FROM org_units WHERE id = ${rootOrgUnitId}
            UNION ALL SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id) SELECT id FROM sub)`;
  return rows<PublicDepartmentRow>(
    db,
    sql`
    SELECT d.id AS id, d.name AS name, d.org_unit_id AS "orgUnitId", u.name AS "orgUnitName", d.active AS active
    FROM departments d JOIN org_units u ON u.id = d.org_unit_id
    WHERE d.org_unit_id IN ${units} ORDER BY d.sort_order, d.id`,
  );
}

export async function listAllOrgUnits(db: DbOrTx) {
  return rows<{ id: number; parentId: number | null; kind: 'city' | 'county'; name: string }>(
    db,
    sql`
    SELECT id, parent_id AS "parentId", kind, name FROM org_units ORDER BY id`,
  );
}

/** Counted ratings of one department over the days [from, to]: the anti-rigging rules' baseline. */
export async function countedRatingsOfDepartment(db: DbOrTx, departmentId: number, from: string, to: string): Promise<number> {
  const row = await statement(
    db,
    `SELECT coalesce(sum(s1 + s2 + s3 + s4 + s5), 0) AS n FROM daily_department_stats
    WHERE department_id = @departmentId AND day BETWEEN @from AND @to`,
  ).get<{ n: number }>({ departmentId, from, to });
  return Number(row?.n ?? 0);
}

// ---- The other ways in, per department (the exports' last columns, the public page) ----

export interface OtherWayCaseCounts {
  departmentId: number;
  /** 办不成事 reported in the period (by the day reported), closed, and solved (closed, citizen satisfied or basic). */
  reports: number;
  closed: number;
  solved: number;
  /** 投诉 received in the period (by the day received). */
  complaints: number;
}

/**
 * 办不成事 and 投诉 of a period per department, in one statement over the cases (no rollup holds them);
 * "solved" as GET /api/stats/cannot-handle counts it (db/queries/cases.ts reportFigures). The redundant
 * `otherWaysOnly` lets SQLite read the partial index of the cases other than 差评.
 */
export async function countOtherWayCasesByDepartment(db: DbOrTx, ids: readonly number[], p: DayRange): Promise<OtherWayCaseCounts[]> {
  const found = await statement(
    db,
    `SELECT c.department_id AS "departmentId",
      sum(CASE WHEN c.kind = 'cannot_handle' THEN 1 ELSE 0 END) AS reports,
      sum(CASE WHEN c.kind = 'cannot_handle' AND c.status = 'closed' THEN 1 ELSE 0 END) AS closed,
      sum(CASE WHEN c.kind = 'cannot_handle' AND c.status = 'closed' AND c.satisfaction IN ('satisfied', 'basic') THEN 1 ELSE 0 END) AS solved,
      sum(CASE WHEN c.kind = 'complaint' THEN 1 ELSE 0 END) AS complaints
    FROM cases c WHERE c.department_id IN ${IDS} AND c.kind IN ('cannot_handle', 'complaint') AND ${otherWaysOnly('c.kind')}
      AND c.rating_day BETWEEN @from AND @to
    GROUP BY c.department_id`,
  ).all<OtherWayCaseCounts>(scoped(ids, p));
  return found.map((r) => ({
    departmentId: Number(r.departmentId),
    reports: Number(r.reports),
    closed: Number(r.closed),
    solved: Number(r.solved),
    complaints: Number(r.complaints),
  }));
}

export interface SuggestionCounts {
  departmentId: number;
  /** 金点子 submitted in the period, answered, and adopted in whole or in part. */
  suggestions: number;
  answered: number;
  adopted: number;
}

/** 金点子 submitted in [fromMs, toMs) per department, in one statement. */
export async function countSuggestionsByDepartment(
  db: DbOrTx,
  ids: readonly number[],
  fromMs: number,
  toMs: number,
): Promise<SuggestionCounts[]> {
  const found = await statement(
    db,
    `SELECT s.department_id AS "departmentId", count(*) AS suggestions,
      sum(CASE WHEN s.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS answered,
      sum(CASE WHEN s.decision IN ('adopted', 'partial') THEN 1 ELSE 0 END) AS adopted
    FROM suggestions s WHERE s.department_id IN ${IDS} AND s.created_at >= @fromMs AND s.created_at < @toMs
    GROUP BY s.department_id`,
  ).all<SuggestionCounts>({ ids: JSON.stringify(ids), fromMs, toMs });
  return found.map((r) => ({
    departmentId: Number(r.departmentId),
    suggestions: Number(r.suggestions),
    answered: Number(r.answered),
    adopted: Number(r.adopted),
  }));
}
