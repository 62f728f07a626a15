// The rollup tables of 码上评议 (re-exported by db/schema.ts): maintained in the same transactions that
// write ratings, opens and case moves (db/queries/rollups.ts), proven by a recount (npm run recount).
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { CASE_KINDS, CASE_STATUSES, MATTER_STATUSES } from '../shared/domain.js';

/**
 * The counters every rating rollup row carries (fresh column builders for each table): counted
 * ratings by score, counted ratings with a phone number (实名), every stored rating counted or not
 * and landing-page opens (the scan funnel); counted default ratings (系统默认) and the good ones among
 * them (主动评价好评率 leaves them out); and, keyed by the day a 办件 finished, finished 办件 and those
 * a citizen rated (评价率); and ratings held for review (counted nowhere until a decision).
 */
function ratingCounters() {
  const count = (name: string) => integer(name).notNull().default(0);
  return {
    s1: count('s1'),
    s2: count('s2'),
    s3: count('s3'),
    s4: count('s4'),
    s5: count('s5'),
    realName: count('real_name'),
    submissions: count('submissions'),
    opens: count('opens'),
    defaults: count('defaults'),
    defaultGood: count('default_good'),
    finishedMatters: count('finished_matters'),
    ratedMatters: count('rated_matters'),
    held: count('held'),
  };
}

/** Per code per day: counted ratings by score, all submissions, and landing-page opens (scan funnel). */
export const dailyCodeStats = sqliteTable(
  'daily_code_stats',
  {
    codeId: text('code_id').notNull(),
    day: text('day').notNull(),
    departmentId: integer('department_id').notNull(),
    ...ratingCounters(),
  },
  (t) => [primaryKey({ columns: [t.codeId, t.day] }), index('daily_code_stats_day_idx').on(t.day)],
);

/**
 * Per code per day: the figures of its STORED ratings, counted or not (held, excluded and replaced
 * ones too), for 评价可信度 (docs/domain.md 6.1): all of them, those a person gave (not the system's
 * default rating), flagged (at storing or when a burst took them into hold), bound to a 办件, with a
 * reason or a comment, and a person's 5★ with neither. Written with the other rollups of the rating's
 * transaction; a period of a department's windows is then its codes' rows of those days, not every
 * rating. WITHOUT ROWID (migration 0035).
 */
export const dailyCodeStoredStats = sqliteTable(
  'daily_code_stored_stats',
  {
    codeId: text('code_id').notNull(),
    day: text('day').notNull(),
    departmentId: integer('department_id').notNull(),
    ratings: integer('ratings').notNull().default(0),
    citizen: integer('citizen').notNull().default(0),
    flagged: integer('flagged').notNull().default(0),
    bound: integer('bound').notNull().default(0),
    detailed: integer('detailed').notNull().default(0),
    bareFive: integer('bare_five').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.codeId, t.day] })],
);

const hourCount = (name: string) => integer(name).notNull().default(0);
/** One integer column per China hour of day, `${prefix}0` … `${prefix}23`. */
function hourColumns<P extends string>(prefix: P): Record<`${P}${number}`, ReturnType<typeof hourCount>> {
  return Object.fromEntries(Array.from({ length: 24 }, (_, h) => [`${prefix}${h}`, hourCount(`${prefix}${h}`)])) as Record<
    `${P}${number}`,
    ReturnType<typeof hourCount>
  >;
}

/**
 * Per department per day: the sums of daily_code_stats over the department's codes, and the counted
 * ratings (h0…h23) and counted 差评 (b0…b23) per China hour for the weekday × hour heat map. Every
 * figure without a code filter reads these ~30 rows per department and month instead of one row per
 * code (or per hour) and day. WITHOUT ROWID (migration 0007): a department's period is contiguous.
 */
export const dailyDepartmentStats = sqliteTable(
  'daily_department_stats',
  {
    departmentId: integer('department_id').notNull(),
    day: text('day').notNull(),
    ...ratingCounters(),
    ...hourColumns('h'),
    ...hourColumns('b'),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.day] })],
);

/**
 * Per organisation unit per day: daily_department_stats summed over the unit's own departments (those
 * whose org_unit_id it is, not its sub-units'), written by the same statements' batches. A scope that
 * is whole units (an administrator's or supervisor's subtree) sums these rows instead of its
 * departments': 40 counties' rows instead of 400 departments' in a province. WITHOUT ROWID (migration
 * 0041): a unit's period is contiguous.
 */
export const dailyOrgUnitStats = sqliteTable(
  'daily_org_unit_stats',
  {
    orgUnitId: integer('org_unit_id').notNull(),
    day: text('day').notNull(),
    ...ratingCounters(),
    ...hourColumns('h'),
    ...hourColumns('b'),
  },
  (t) => [primaryKey({ columns: [t.orgUnitId, t.day] })],
);

/**
 * Per organisation unit: running totals of daily_org_unit_stats (its score and submission counters) up
 * to and including each day the unit has a row for, as cumulative_department_stats for a department. A
 * whole-unit scope's figures over any period are two rows a unit, and a trend by week or month one row
 * a unit per bucket. WITHOUT ROWID (migration 0043).
 */
export const cumulativeOrgUnitStats = sqliteTable(
  'cumulative_org_unit_stats',
  {
    orgUnitId: integer('org_unit_id').notNull(),
    day: text('day').notNull(),
    ...ratingCounters(),
  },
  (t) => [primaryKey({ columns: [t.orgUnitId, t.day] })],
);

/**
 * Per code: running totals of daily_code_stats up to and including each day the code has a row for,
 * and the last day with a submission / an open so far. A code's figures over any period are then two
 * rows (the last on or before `to` minus the last before `from`), whatever the period's length.
 * WITHOUT ROWID (migration 0007).
 */
export const cumulativeCodeStats = sqliteTable(
  'cumulative_code_stats',
  {
    codeId: text('code_id').notNull(),
    day: text('day').notNull(),
    ...ratingCounters(),
    lastSubmissionDay: text('last_submission_day'),
    lastOpenDay: text('last_open_day'),
  },
  (t) => [primaryKey({ columns: [t.codeId, t.day] })],
);

/**
 * Per department: running totals of daily_department_stats (its score and submission counters) up to
 * and including each day the department has a row for, as cumulative_code_stats for a code. A
 * department's figures over any period are then two rows, whatever the period's length: the ranking of
 * a year reads 2 rows per department instead of 365. WITHOUT ROWID (migration 0042).
 */
export const cumulativeDepartmentStats = sqliteTable(
  'cumulative_department_stats',
  {
    departmentId: integer('department_id').notNull(),
    day: text('day').notNull(),
    ...ratingCounters(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.day] })],
);

/**
 * Per department per day per tag: counted ratings carrying that tag. Keyed tag first (migration 0007):
 * a period's counts are then summed tag by tag in key order, with no sort of every (department, day,
 * tag) row, and the few distinct tags are found by skipping through the key.
 */
export const dailyTagStats = sqliteTable(
  'daily_tag_stats',
  {
    departmentId: integer('department_id').notNull(),
    day: text('day').notNull(),
    tag: text('tag').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tag, t.departmentId, t.day] })],
);

/** daily_tag_stats summed per organisation unit (its own departments), as daily_org_unit_stats. */
export const dailyOrgUnitTagStats = sqliteTable(
  'daily_org_unit_tag_stats',
  {
    orgUnitId: integer('org_unit_id').notNull(),
    day: text('day').notNull(),
    tag: text('tag').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tag, t.orgUnitId, t.day] })],
);

/** The case outcome counters of a case rollup row (fresh column builders for each table). */
function caseCounters() {
  const count = (name: string) => integer(name).notNull().default(0);
  return {
    cases: count('cases'),
    realName: count('real_name'),
    realNameVisited: count('real_name_visited'),
    valid: count('valid'),
    validRectified: count('valid_rectified'),
    answered: count('answered'),
    answeredSatisfied: count('answered_satisfied'),
    closed: count('closed'),
    closedOnTime: count('closed_on_time'),
    open: count('open'),
  };
}

/**
 * Per department per rating day: case outcome counters (bad_rating cases only), keyed by the day of
 * the rating so a period's indicators describe the cases of that period's ratings.
 */
export const dailyCaseStats = sqliteTable(
  'daily_case_stats',
  {
    departmentId: integer('department_id').notNull(),
    day: text('day').notNull(),
    ...caseCounters(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.day] })],
);

/** Running totals of daily_case_stats per department, as cumulative_department_stats (migration 0042). */
export const cumulativeDepartmentCaseStats = sqliteTable(
  'cumulative_department_case_stats',
  {
    departmentId: integer('department_id').notNull(),
    day: text('day').notNull(),
    ...caseCounters(),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.day] })],
);

/** daily_case_stats summed per organisation unit (its own departments), as daily_org_unit_stats. */
export const dailyOrgUnitCaseStats = sqliteTable(
  'daily_org_unit_case_stats',
  {
    orgUnitId: integer('org_unit_id').notNull(),
    day: text('day').notNull(),
    ...caseCounters(),
  },
  (t) => [primaryKey({ columns: [t.orgUnitId, t.day] })],
);

/** Running totals of daily_org_unit_case_stats per organisation unit, as cumulative_org_unit_stats (migration 0043). */
export const cumulativeOrgUnitCaseStats = sqliteTable(
  'cumulative_org_unit_case_stats',
  {
    orgUnitId: integer('org_unit_id').notNull(),
    day: text('day').notNull(),
    ...caseCounters(),
  },
  (t) => [primaryKey({ columns: [t.orgUnitId, t.day] })],
);

/**
 * Per department, case kind and status: how many cases are in that status now. The unclosed and
 * queue counts of a county read these few rows instead of counting ~15 000 unclosed cases by index
 * at 10 M ratings. WITHOUT ROWID (migration 0007).
 */
export const caseStatusCounts = sqliteTable(
  'case_status_counts',
  {
    departmentId: integer('department_id').notNull(),
    kind: text('kind', { enum: CASE_KINDS }).notNull(),
    status: text('status', { enum: CASE_STATUSES }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.kind, t.status] })],
);

/**
 * How many 办件 each department has in each status: the `total` of the 办件 list without a period sums
 * the scope's rows, where counting the 办件 themselves read every one of them (a county's 10 M: ~200 ms
 * a page; a province's 1 M on PostgreSQL: 36 ms). Kept by every batch of pushes that stores a 办件 or
 * changes its department or status (RollupBatch.countMatter), written in key order with the other
 * rollups, so two batches never lock its rows in opposite orders. The recount checks it. WITHOUT ROWID
 * (migration 0045).
 */
export const matterStatusCounts = sqliteTable(
  'matter_status_counts',
  {
    departmentId: integer('department_id').notNull(),
    status: text('status', { enum: MATTER_STATUSES }).notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.status] })],
);

/**
 * Per department, 办件 finish day, window, 事项 and 经办人: the 办件 that finished, those a citizen rated,
 * those given a default rating, and the counted latest citizen rating of each by score (a 追评 replaces
 * the first). The per-经办人 and per-事项 figures (评价率, 主动评价好评率, 差评) sum these rows.
 * `staff_name` is '' for a 办件 without one. WITHOUT ROWID (migration 0015): a department's period is
 * contiguous.
 */
export const dailyMatterStats = sqliteTable(
  'daily_matter_stats',
  {
    departmentId: integer('department_id').notNull(),
    day: text('day').notNull(),
    codeId: text('code_id').notNull(),
    taskCode: text('task_code').notNull(),
    staffName: text('staff_name').notNull(),
    /** The 事项's name as last pushed. */
    taskName: text('task_name').notNull(),
    finished: integer('finished').notNull().default(0),
    rated: integer('rated').notNull().default(0),
    defaults: integer('defaults').notNull().default(0),
    s1: integer('s1').notNull().default(0),
    s2: integer('s2').notNull().default(0),
    s3: integer('s3').notNull().default(0),
    s4: integer('s4').notNull().default(0),
    s5: integer('s5').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.day, t.codeId, t.taskCode, t.staffName] })],
);
