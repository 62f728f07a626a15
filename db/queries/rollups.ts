// Daily rollups, written in the same transactions as the ratings and case moves they summarise, so
// every statistic reads a few hundred rollup rows instead of millions of ratings (issue: indicators).
// The rating rollups run on the hottest route: summed per batch in memory, written per batch.
import { sql } from 'drizzle-orm';
import type { CaseKind, CaseStatus, Classification, Satisfaction } from '../../shared/domain.js';
import { type BatchStatement, type Column, writeRows } from '../batch-rows.js';
import { type DbOrTx, type JsonArray, jsonArray, statement } from '../client.js';

export interface RatingFacts {
  codeId: string;
  departmentId: number;
  day: string;
  /** Hour of day in China time, 0–23. */
  hour: number;
  score: number;
  tags: readonly string[];
  realName: boolean;
  /** A system default rating (channel 系统默认): counted, but left out of 主动评价好评率. */
  isDefault?: boolean;
  /** The 办件 it rates, for the per-经办人 / per-事项 rollup (daily_matter_stats); none for a window code. */
  matter?: MatterFacts | null;
  /** What a new rating adds to its code's stored figures (daily_code_stored_stats); needed to add a new one. */
  stored?: StoredFacts;
}

/**
 * A stored rating's figures for 评价可信度 (daily_code_stored_stats), as the rating row has them: a
 * person gave it (any channel but the system's default rating), flagged, bound to a 办件, with a
 * reason tag or a comment.
 */
export interface StoredFacts {
  citizen: boolean;
  flagged: boolean;
  bound: boolean;
  detailed: boolean;
}

/** What a batch adds to one code's stored figures of one day. */
export interface StoredDayDelta {
  codeId: string;
  departmentId: number;
  day: string;
  ratings: number;
  citizen: number;
  flagged: number;
  bound: number;
  detailed: number;
  bareFive: number;
}

/** Where a 办件 is counted: its window and department, the day it finished, its 事项 and 经办人. */
export interface MatterFacts {
  codeId: string;
  departmentId: number;
  /** China day of its 办结 (the key of every 办件 figure). */
  finishedDay: string;
  taskCode: string;
  taskName: string;
  /** '' when the business system gave none. */
  staffName: string;
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
  defaults: number;
  defaultGood: number;
  finishedMatters: number;
  ratedMatters: number;
  /** Ratings held for review (counted nowhere until a decision), by the day they were made. */
  held: number;
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

/** The SQL columns of CASE_FLAG_KEYS, in the same order. */
export const CASE_COLUMNS = [
  'cases',
  'real_name',
  'real_name_visited',
  'valid',
  'valid_rectified',
  'answered',
  'answered_satisfied',
  'closed',
  'closed_on_time',
  'open',
] as const;

/** `col = table.col + excluded.col` for each column of an adding upsert (PostgreSQL wants the table named on the right). */
function addedToStored(table: string, names: readonly string[]): string {
  return names.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
}

const ZERO_FLAGS = Object.freeze(Object.fromEntries(CASE_FLAG_KEYS.map((k) => [k, 0]))) as Readonly<CaseFlags>;

// The case rollups: one statement per case change (a case moves a few times in its life; 差评 are ~5 % of
// ratings), prepared once per connection.
const CASE_DAY = `
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
      open = open + excluded.open`;
// The same change on the case's department's unit row (daily_org_unit_case_stats). The values are cast:
// PostgreSQL types the parameters of a SELECT list as text, not as the columns they go into.
const ORG_UNIT_CASE_DAY = `
    INSERT INTO daily_org_unit_case_stats (org_unit_id, day, ${CASE_COLUMNS.join(', ')})
    SELECT d.org_unit_id, CAST(@day AS text), ${CASE_FLAG_KEYS.map((k) => `CAST(@${k} AS integer)`).join(', ')}
    FROM departments d WHERE d.id = @departmentId
    ON CONFLICT (org_unit_id, day) DO UPDATE SET ${addedToStored('daily_org_unit_case_stats', CASE_COLUMNS)}`;
const CASE_STATUS = `
    INSERT INTO case_status_counts (department_id, kind, status, count) VALUES (?, ?, ?, ?)
    ON CONFLICT (department_id, kind, status) DO UPDATE SET count = count + excluded.count`;

// ---------------------------------------------------------------------------------------------------
// Rating rollups, per batch: the ratings (and opens, exclusions) of one transaction are summed in a
// RollupBatch in memory, then written with a few statements per batch (writeRollups), whatever the
// number of ratings in it: one upsert per table for the code days, department days and tags, and two
// statements for the running totals. The statements are drizzle `sql` templates in SQL that SQLite
// and PostgreSQL both accept (a WITH list of typed VALUES, INSERT … SELECT … ON CONFLICT … DO UPDATE
// with the table named on the right of each SET, UPDATE … FROM), built and prepared once per size.

/** The counters of RatingSums, in the order of their SQL columns (RATING_COLUMNS). */
export const RATING_SUMS = [
  's1',
  's2',
  's3',
  's4',
  's5',
  'realName',
  'submissions',
  'opens',
  'defaults',
  'defaultGood',
  'finishedMatters',
  'ratedMatters',
  'held',
] as const satisfies readonly (keyof RatingSums)[];
/** The SQL columns of RATING_SUMS, in the same order. */
export const RATING_COLUMNS = [
  's1',
  's2',
  's3',
  's4',
  's5',
  'real_name',
  'submissions',
  'opens',
  'defaults',
  'default_good',
  'finished_matters',
  'rated_matters',
  'held',
] as const;

/** A rating rollup row's counters, all zero. */
export const zeroSums = (): RatingSums => ({
  s1: 0,
  s2: 0,
  s3: 0,
  s4: 0,
  s5: 0,
  realName: 0,
  submissions: 0,
  opens: 0,
  defaults: 0,
  defaultGood: 0,
  finishedMatters: 0,
  ratedMatters: 0,
  held: 0,
});

/** What a batch adds to one code's row of one day (and so to its running totals from that day on). */
export interface CodeDayDelta extends RatingSums {
  codeId: string;
  departmentId: number;
  day: string;
}

/** What a batch adds to one department's row of one day: the sums, and counted ratings / 差评 per China hour. */
export interface DepartmentDayDelta extends RatingSums {
  departmentId: number;
  day: string;
  hours: number[];
  bad: number[];
}

/**
 * The counters of a daily_matter_stats row (and of any sum of them): 办件 finished, rated by a citizen,
 * given a default rating, and their counted latest citizen rating by score.
 */
export interface MatterDayCounts {
  finished: number;
  rated: number;
  defaults: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
}

/** MatterDayCounts' keys, in the order of their SQL columns. */
export const MATTER_COUNTS = [
  'finished',
  'rated',
  'defaults',
  's1',
  's2',
  's3',
  's4',
  's5',
] as const satisfies readonly (keyof MatterDayCounts)[];

/** MatterDayCounts, all zero. */
export const zeroMatterDayCounts = (): MatterDayCounts => ({ finished: 0, rated: 0, defaults: 0, s1: 0, s2: 0, s3: 0, s4: 0, s5: 0 });

/** What a batch adds to one (department, finish day, window, 事项, 经办人) row of daily_matter_stats. */
export interface MatterDayDelta extends MatterDayCounts {
  departmentId: number;
  day: string;
  codeId: string;
  taskCode: string;
  staffName: string;
  taskName: string;
}

/** What a batch adds to (or takes from) one (department, status) row of matter_status_counts. */
export interface MatterStatusDelta {
  departmentId: number;
  status: string;
  delta: number;
}

/** Where a 办件 is counted: its department and status. */
export interface MatterPlace {
  departmentId: number;
  status: string;
}

export interface TagDelta {
  departmentId: number;
  day: string;
  tag: string;
  count: number;
}

/**
 * The rating rollup deltas of one transaction, summed in memory per rollup row: adding a rating is a
 * few map lookups and additions, no SQL. Written by writeRollups, in the same transaction as the rows
 * they count. Add a rating only once its own writes can no longer roll back (the group committer adds
 * the ratings whose savepoints were released), so that nothing counts a rating that is not stored.
 */
export class RollupBatch {
  readonly codeDays = new Map<string, CodeDayDelta>();
  readonly departmentDays = new Map<string, DepartmentDayDelta>();
  readonly tags = new Map<string, TagDelta>();
  readonly matterDays = new Map<string, MatterDayDelta>();
  readonly matterStatuses = new Map<string, MatterStatusDelta>();
  readonly storedDays = new Map<string, StoredDayDelta>();

  private storedDay(codeId: string, departmentId: number, day: string): StoredDayDelta {
    const key = `${codeId}|${day}`;
    let d = this.storedDays.get(key);
    if (!d) {
      d = { codeId, departmentId, day, ratings: 0, citizen: 0, flagged: 0, bound: 0, detailed: 0, bareFive: 0 };
      this.storedDays.set(key, d);
    }
    return d;
  }

  /** A new rating's stored figures (it is stored whether it counts or is held). */
  private addStored(r: Pick<RatingFacts, 'codeId' | 'departmentId' | 'day' | 'score' | 'stored'>): void {
    const f = r.stored;
    if (!f) throw new Error(`a new rating of code ${r.codeId} needs its stored figures (RatingFacts.stored)`);
    const d = this.storedDay(r.codeId, r.departmentId, r.day);
    d.ratings++;
    if (f.citizen) d.citizen++;
    if (f.flagged) d.flagged++;
    if (f.bound) d.bound++;
    if (f.detailed) d.detailed++;
    else if (f.citizen && r.score === 5) d.bareFive++;
  }

  /** A stored rating flagged after it was stored (a burst took it into hold). */
  addFlagged(r: Pick<RatingFacts, 'codeId' | 'departmentId' | 'day'>): void {
    this.storedDay(r.codeId, r.departmentId, r.day).flagged++;
  }

  private matterDay(m: MatterFacts): MatterDayDelta {
    const key = `${m.departmentId}|${m.finishedDay}|${m.codeId}|${m.taskCode}|${m.staffName}`;
    let d = this.matterDays.get(key);
    if (!d) {
      d = {
        departmentId: m.departmentId,
        day: m.finishedDay,
        codeId: m.codeId,
        taskCode: m.taskCode,
        staffName: m.staffName,
        taskName: m.taskName,
        ...zeroMatterDayCounts(),
      };
      this.matterDays.set(key, d);
    }
    return d;
  }

  private codeDay(codeId: string, departmentId: number, day: string): CodeDayDelta {
    const key = `${codeId}|${day}`;
    let d = this.codeDays.get(key);
    if (!d) {
      d = { codeId, departmentId, day, ...zeroSums() };
      this.codeDays.set(key, d);
    }
    return d;
  }

  private departmentDay(departmentId: number, day: string): DepartmentDayDelta {
    const key = `${departmentId}|${day}`;
    let d = this.departmentDays.get(key);
    if (!d) {
      d = { departmentId, day, ...zeroSums(), hours: new Array<number>(24).fill(0), bad: new Array<number>(24).fill(0) };
      this.departmentDays.set(key, d);
    }
    return d;
  }

  /**
   * Adds (sign 1) or removes (sign -1, an exclusion decided on appeal) a rating's contribution to the
   * counted statistics: per-score counts, 实名 count, hour-of-day and tag counts, per code and per
   * department, and the code's running totals. `submissions` adds to the scan funnel (a new rating is
   * both a submission and counted).
   */
  addRating(r: RatingFacts, sign: 1 | -1, submissions: 0 | 1 = 0): void {
    const scoreKey = `s${r.score}` as 's1' | 's2' | 's3' | 's4' | 's5';
    const realName = r.realName ? sign : 0;
    const code = this.codeDay(r.codeId, r.departmentId, r.day);
    const dept = this.departmentDay(r.departmentId, r.day);
    code[scoreKey] += sign;
    code.realName += realName;
    code.submissions += submissions;
    if (submissions) this.addStored(r);
    dept[scoreKey] += sign;
    dept.realName += realName;
    dept.submissions += submissions;
    if (r.isDefault) {
      const good = r.score >= 3 ? sign : 0;
      code.defaults += sign;
      code.defaultGood += good;
      dept.defaults += sign;
      dept.defaultGood += good;
    }
    // The 办件's own row counts its counted latest citizen rating by score, or its default rating.
    if (r.matter) {
      const m = this.matterDay(r.matter);
      if (r.isDefault) m.defaults += sign;
      else m[scoreKey] += sign;
    }
    dept.hours[r.hour]! += sign;
    if (r.score <= 2) dept.bad[r.hour]! += sign;
    for (const tag of r.tags) {
      const key = `${r.departmentId}|${r.day}|${tag}`;
      const t = this.tags.get(key);
      if (t) t.count += sign;
      else this.tags.set(key, { departmentId: r.departmentId, day: r.day, tag, count: sign });
    }
  }

  /**
   * A rating held for review (sign 1: held when stored, or taken back into hold; -1: a decision ended
   * its hold). `submissions` adds to the scan funnel when it is a new rating.
   */
  addHeld(r: Pick<RatingFacts, 'codeId' | 'departmentId' | 'day' | 'score' | 'stored'>, sign: 1 | -1, submissions: 0 | 1 = 0): void {
    const code = this.codeDay(r.codeId, r.departmentId, r.day);
    if (submissions) this.addStored(r);
    const dept = this.departmentDay(r.departmentId, r.day);
    code.held += sign;
    dept.held += sign;
    code.submissions += submissions;
    dept.submissions += submissions;
  }

  /** A 办件 that finished: the denominator of 评价率, counted on the day it finished. */
  /**
   * A 办件 stored (`from` null) or moved to another department or status: it leaves its old count and
   * joins its new one (matter_status_counts). Nothing when neither changed.
   */
  countMatter(from: MatterPlace | null, to: MatterPlace): void {
    if (from && from.departmentId === to.departmentId && from.status === to.status) return;
    const row = (p: MatterPlace) => {
      const key = `${p.departmentId}|${p.status}`;
      let d = this.matterStatuses.get(key);
      if (!d) {
        d = { departmentId: p.departmentId, status: p.status, delta: 0 };
        this.matterStatuses.set(key, d);
      }
      return d;
    };
    if (from) row(from).delta -= 1;
    row(to).delta += 1;
  }

  addMatterFinished(m: MatterFacts, sign: 1 | -1 = 1): void {
    this.codeDay(m.codeId, m.departmentId, m.finishedDay).finishedMatters += sign;
    this.departmentDay(m.departmentId, m.finishedDay).finishedMatters += sign;
    this.matterDay(m).finished += sign;
  }

  /** A finished 办件's first citizen rating (a default rating is not one): the numerator of 评价率. */
  addMatterRated(m: MatterFacts, sign: 1 | -1 = 1): void {
    this.codeDay(m.codeId, m.departmentId, m.finishedDay).ratedMatters += sign;
    this.departmentDay(m.departmentId, m.finishedDay).ratedMatters += sign;
    this.matterDay(m).rated += sign;
  }

  /** A landing-page open for the scan funnel. */
  addOpen(codeId: string, departmentId: number, day: string): void {
    this.codeDay(codeId, departmentId, day).opens++;
    this.departmentDay(departmentId, day).opens++;
  }
}

/**
 * Writes a batch's rollups: twelve statements (more only past 256 rows of one table; one more with
 * 办件, one more with stored figures), whatever the number of ratings in it.
 */
export async function writeRollups(tx: DbOrTx, batch: RollupBatch): Promise<void> {
  // Every table's rows in key order: two transactions that touch the same rollup rows (two instances'
  // batches on PostgreSQL) then lock them in the same order, and one waits for the other instead of
  // both waiting for each other (a deadlock, seen with the rows in arrival order: bench/README.md).
  const codeDays = inKeyOrder(batch.codeDays);
  await writeRows(tx, CODE_DAYS, codeDays);
  // Step 1 makes the running-totals row of every code day of the batch, where step 2's ranges start
  // (all of step 1's chunks run before step 2's).
  await writeRows(tx, CODE_TOTALS_START, codeDays);
  await writeRows(tx, CODE_TOTALS_ADD, codeRunningDeltas(codeDays));
  if (batch.storedDays.size) await writeRows(tx, STORED_DAYS, inKeyOrder(batch.storedDays));
  const departments = inKeyOrder(batch.departmentDays);
  const hours = hoursOf(departments);
  await writeRows(tx, departmentDays(hours), departments);
  await writeRows(tx, DEPARTMENT_TOTALS_START, departments);
  await writeRows(tx, DEPARTMENT_TOTALS_ADD, runningDeltas(DEPARTMENT_TOTALS, departments, sumsOf));
  await writeRows(tx, orgUnitDays(hours), departments);
  await writeRows(tx, UNIT_TOTALS.start, departments);
  await writeRows(tx, UNIT_TOTALS.add, departments);
  const tags = inKeyOrder(batch.tags);
  await writeRows(tx, TAGS, tags);
  await writeRows(tx, ORG_UNIT_TAGS, tags);
  if (batch.matterDays.size) await writeRows(tx, MATTER_DAYS, inKeyOrder(batch.matterDays));
  const statuses = inKeyOrder(batch.matterStatuses).filter((r) => r.delta !== 0);
  if (statuses.length) await writeRows(tx, MATTER_STATUSES, statuses);
}

/**
 * The rows of a batch map in the order of their keys (`code|day`, `department|day`, …). Any one total
 * order serves, as long as every transaction uses the same: this compares the keys as strings.
 */
function inKeyOrder<R>(rows: ReadonlyMap<string, R>): R[] {
  return [...rows.keys()].sort().map((k) => rows.get(k)!);
}

const integers = (names: readonly string[]): Column[] => names.map((n) => [n, 'integer']);

const pushSums = (r: RatingSums, out: unknown[]) => {
  for (const k of RATING_SUMS) out.push(r[k]);
};

/** addedToStored as a piece of a drizzle `sql` template. */
const addExcluded = (table: string, names: readonly string[]) => sql.raw(addedToStored(table, names));

/**
 * An adding upsert into a table keyed (code_id, day) that also carries department_id: each key comes
 * once per statement, the batch having summed per row (PostgreSQL refuses an upsert that meets the
 * same row twice). `push` gives a row's counters in the order of `counters`.
 */
function codeDayUpsert<R extends { codeId: string; day: string; departmentId: number }>(
  name: string,
  table: string,
  counters: readonly string[],
  push: (r: R, out: unknown[]) => void,
): BatchStatement<R> {
  const list = sql.raw(counters.join(', '));
  return {
    name,
    columns: [['code_id', 'text'], ['day', 'text'], ['department_id', 'integer'], ...integers(counters)],
    body: () => sql`INSERT INTO ${sql.raw(table)} (code_id, day, department_id, ${list})
    SELECT code_id, day, department_id, ${list} FROM batch WHERE code_id IS NOT NULL
    ON CONFLICT (code_id, day) DO UPDATE SET ${addExcluded(table, counters)}`,
    values(r, out) {
      out.push(r.codeId, r.day, r.departmentId);
      push(r, out);
    },
  };
}

/** The code-day rows. */
const CODE_DAYS = codeDayUpsert<CodeDayDelta>('code-days', 'daily_code_stats', RATING_COLUMNS, pushSums);

/** The stored figures of the code days (评价可信度). */
const STORED_DAYS = codeDayUpsert<StoredDayDelta>(
  'stored-days',
  'daily_code_stored_stats',
  ['ratings', 'citizen', 'flagged', 'bound', 'detailed', 'bare_five'],
  (r, out) => out.push(r.ratings, r.citizen, r.flagged, r.bound, r.detailed, r.bareFive),
);

/**
 * A table of running totals: for each key (a code, a department) and each day it has a daily row, the
 * sums of its daily rows up to and including that day. `carried` are day columns (the last day with a
 * submission / an open so far): copied from the day before, moved up to a later day.
 */
interface RunningTotals<R> {
  name: string;
  table: string;
  key: Column;
  keyOf(r: R): string | number;
  counters: readonly string[];
  carried: readonly string[];
}

/** The running-totals table a statement writes: its table, key column, counters and carried day columns. */
type TotalsTable = Pick<RunningTotals<unknown>, 'table' | 'counters' | 'carried'> & { key: string };

/**
 * Running totals, step 1: a day without a running-totals row gets one, a copy of the key's totals of
 * its latest day before (zeros for its first day). `days` (aliased b) is the batch's days: columns `k`
 * (the key; NULL in padding rows) and `day`. The running totals have a row for exactly the days their
 * daily table has one (both written only here, rebuilt together by the recount). In key order, so two
 * transactions take the rows' locks in the same order (PostgreSQL).
 */
function startSql(t: TotalsTable, days: string): string {
  const copied = [...t.counters.map((c) => `coalesce(p.${c}, 0)`), ...t.carried.map((c) => `p.${c}`)];
  // The WHERE clause also settles SQLite's reading of `ON CONFLICT` after a SELECT with a join.
  return `INSERT INTO ${t.table} (${[t.key, 'day', ...t.counters, ...t.carried].join(', ')})
      SELECT b.k, b.day, ${copied.join(', ')}
      FROM ${days} b LEFT JOIN ${t.table} p ON p.${t.key} = b.k
        AND p.day = (SELECT max(e.day) FROM ${t.table} e WHERE e.${t.key} = b.k AND e.day < b.day)
      WHERE b.k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${t.table} x WHERE x.${t.key} = b.k AND x.day = b.day)
      ORDER BY b.k, b.day
      ON CONFLICT (${t.key}, day) DO NOTHING`;
}

/**
 * Running totals, step 2: every row of a key on or after a day of `deltas` (aliased r: columns `k`,
 * `day`, `next_day`, the counters summed over the key's days so far, the carried days) gains that day's
 * sums (later rows exist when a past day is written: an exclusion, a back-dated rating, a case's step),
 * and its carried days move up to the latest such day (a null compares as false). Each row meets one
 * running delta: the one of the latest day on or before it.
 */
function addSql(t: TotalsTable, deltas: string): string {
  const set = [
    ...t.counters.map((c) => `${c} = ${t.table}.${c} + r.${c}`),
    ...t.carried.map((c) => `${c} = CASE WHEN r.${c} > coalesce(${t.table}.${c}, '') THEN r.${c} ELSE ${t.table}.${c} END`),
  ];
  return `UPDATE ${t.table} SET ${set.join(', ')}
      FROM ${deltas} r
      WHERE ${t.table}.${t.key} = r.k AND ${t.table}.day >= r.day AND (r.next_day IS NULL OR ${t.table}.day < r.next_day)`;
}

/** Step 1 for a batch of the key's own days (startSql). */
function runningTotalsStart<R extends { day: string }>(t: RunningTotals<R>): BatchStatement<R> {
  return {
    name: `${t.name}-start`,
    columns: [
      ['k', t.key[1]],
      ['day', 'text'],
    ],
    body: () => sql.raw(startSql({ ...t, key: t.key[0] }, 'batch')),
    values(r, out) {
      out.push(t.keyOf(r), r.day);
    },
  };
}

/**
 * What a key's running totals gain from a batch, from one of its days up to (not including) its next
 * day in the batch: the sums of the batch's deltas of the key up to that day (in `counters` order),
 * and the carried days.
 */
interface RunningDelta {
  key: string | number;
  day: string;
  nextDay: string | null;
  sums: number[];
  carried: (string | null)[];
}

/**
 * The days of a batch as running deltas: per key in day order, summed so far. `carriedOf` gives a
 * day's carried values from its row and the running delta of the key's day before.
 */
function runningDeltas<R extends { day: string }>(
  t: RunningTotals<R>,
  rows: readonly R[],
  sumsOf: (r: R) => number[],
  carriedOf: (r: R, before: RunningDelta | null) => (string | null)[] = () => [],
): RunningDelta[] {
  const keyed = rows.map((r) => ({ r, key: t.keyOf(r) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.r.day < b.r.day ? -1 : a.r.day > b.r.day ? 1 : 0));
  const out: RunningDelta[] = [];
  let before: RunningDelta | null = null;
  for (const { r, key } of keyed) {
    const same: RunningDelta | null = before?.key === key ? before : null;
    if (same) same.nextDay = r.day;
    const own = sumsOf(r);
    const d: RunningDelta = {
      key,
      day: r.day,
      nextDay: null,
      sums: same ? own.map((n, i) => n + same.sums[i]!) : own,
      carried: carriedOf(r, same),
    };
    out.push(d);
    before = d;
  }
  return out;
}

/** Step 2 for the running deltas of a batch (runningDeltas, addSql). */
function runningTotalsAdd<R>(t: RunningTotals<R>): BatchStatement<RunningDelta> {
  return {
    name: `${t.name}-add`,
    columns: [
      ['k', t.key[1]],
      ['day', 'text'],
      ['next_day', 'text'],
      ...integers(t.counters),
      ...t.carried.map((c): Column => [c, 'text']),
    ],
    body: () => sql.raw(addSql({ ...t, key: t.key[0] }, 'batch')),
    values(r, out) {
      out.push(r.key, r.day, r.nextDay, ...r.sums, ...r.carried);
    },
  };
}

/** A code's running totals (cumulative_code_stats), with its last submission and open days. */
const CODE_TOTALS: RunningTotals<CodeDayDelta> = {
  name: 'code-totals',
  table: 'cumulative_code_stats',
  key: ['code_id', 'text'],
  keyOf: (r) => r.codeId,
  counters: RATING_COLUMNS,
  carried: ['last_submission_day', 'last_open_day'],
};
const CODE_TOTALS_START = runningTotalsStart(CODE_TOTALS);
const CODE_TOTALS_ADD = runningTotalsAdd(CODE_TOTALS);
const codeRunningDeltas = (codeDays: readonly CodeDayDelta[]) =>
  runningDeltas(CODE_TOTALS, codeDays, sumsOf, (d, before) => [
    d.submissions > 0 ? d.day : (before?.carried[0] ?? null),
    d.opens > 0 ? d.day : (before?.carried[1] ?? null),
  ]);

/**
 * The read side of running totals: the row of `key` = `outer` on its last day that meets `day` (such as
 * '<= @to' or '< @from'; '' for its latest row) as one JSON array of `values` (columns or expressions of
 * the row `m`), by one primary-key seek; NULL before the key's first row. A period's sums are the row
 * at its end minus the row before its start (periodSums).
 */
export function runningTotalAt(table: string, key: string, outer: string, values: string, day: string): string {
  return runningTotalOf(table, key, outer, `json_array(${values})`, day);
}

/** The same seek for one value: `expr` of the row `m` (such as a sum of its columns), NULL before the first row. */
export function runningTotalOf(table: string, key: string, outer: string, expr: string, day: string): string {
  return `(SELECT ${expr} FROM ${table} m WHERE m.${key} = ${outer}${day && ` AND m.day ${day}`} ORDER BY m.day DESC LIMIT 1)`;
}

/**
 * A period's sums from two running-totals rows (runningTotalAt: the row at its end, the row before its
 * start, NULL for none): `keys[i]` of `into` is the difference of the arrays' i-th values.
 */
export function periodSums<K extends string, T extends Record<K, number>>(
  keys: readonly K[],
  hi: JsonArray | null,
  lo: JsonArray | null,
  into: T,
): T {
  const h = hi === null ? null : (jsonArray(hi) as number[]);
  const l = lo === null ? null : (jsonArray(lo) as number[]);
  for (const [i, k] of keys.entries()) (into as Record<K, number>)[k] = (h?.[i] ?? 0) - (l?.[i] ?? 0);
  return into;
}

/** Running totals per department of a daily table keyed (department_id, day). */
function perDepartment<R extends { departmentId: number }>(name: string, table: string, counters: readonly string[]): RunningTotals<R> {
  return { name, table, key: ['department_id', 'integer'], keyOf: (r) => r.departmentId, counters, carried: [] };
}

/** A department's running totals of its department days (cumulative_department_stats). */
const DEPARTMENT_TOTALS = perDepartment<DepartmentDayDelta>('department-totals', 'cumulative_department_stats', RATING_COLUMNS);
const DEPARTMENT_TOTALS_START = runningTotalsStart(DEPARTMENT_TOTALS);
const DEPARTMENT_TOTALS_ADD = runningTotalsAdd(DEPARTMENT_TOTALS);

/** One case change's delta of its department's case row of its rating day. */
type CaseDayDelta = CaseFlags & { departmentId: number; day: string };

/** A department's running totals of its case days (cumulative_department_case_stats). */
const CASE_TOTALS = perDepartment<CaseDayDelta>('case-totals', 'cumulative_department_case_stats', CASE_COLUMNS);
const CASE_TOTALS_START = runningTotalsStart(CASE_TOTALS);
const CASE_TOTALS_ADD = runningTotalsAdd(CASE_TOTALS);

/** A rating rollup row's counters, in RATING_COLUMNS order. */
const sumsOf = (r: RatingSums): number[] => RATING_SUMS.map((k) => r[k]);

/** A case rollup row's counters, in CASE_COLUMNS order. */
const caseSumsOf = (r: CaseFlags): number[] => CASE_FLAG_KEYS.map((k) => r[k]);

/**
 * Running totals per organisation unit (cumulative_org_unit_stats, cumulative_org_unit_case_stats) of
 * a batch's department days: the same two steps (startSql, addSql) on the department rows summed per
 * unit of their department and day, as the unit's daily rows sum them (orgUnitDays). The batch knows
 * departments, not units, so the sums per unit and day, the running sums over a unit's days of the
 * batch and each day's next day are made in SQL (a window over each unit's days). Step 2 is additive
 * per day (every row on or after a day gains that day's delta), so batches of more than 256 rows,
 * written in parts, come to the same.
 */
function perUnit<R extends { departmentId: number; day: string }>(
  name: string,
  table: string,
  counters: readonly string[],
  countersOf: (r: R) => number[],
): { start: BatchStatement<R>; add: BatchStatement<R> } {
  const t: TotalsTable = { table, key: 'org_unit_id', counters, carried: [] };
  const unitDays = `(SELECT d.org_unit_id AS k, batch.day AS day, ${counters.map((c) => `sum(batch.${c}) AS ${c}`).join(', ')}
      FROM batch JOIN departments d ON d.id = batch.department_id GROUP BY d.org_unit_id, batch.day)`;
  const deltas = `(SELECT k, day, lead(day) OVER w AS next_day, ${counters.map((c) => `sum(${c}) OVER w AS ${c}`).join(', ')}
      FROM ${unitDays} u WINDOW w AS (PARTITION BY k ORDER BY day))`;
  const columns: Column[] = [['department_id', 'integer'], ['day', 'text'], ...integers(counters)];
  const values = (r: R, out: unknown[]) => {
    out.push(r.departmentId, r.day, ...countersOf(r));
  };
  return {
    start: { name: `${name}-start`, columns, values, body: () => sql.raw(startSql(t, unitDays)) },
    add: { name: `${name}-add`, columns, values, body: () => sql.raw(addSql(t, deltas)) },
  };
}

/** A unit's running totals of its unit days (cumulative_org_unit_stats). */
const UNIT_TOTALS = perUnit<DepartmentDayDelta>('unit-totals', 'cumulative_org_unit_stats', RATING_COLUMNS, sumsOf);
/** A unit's running totals of its case days (cumulative_org_unit_case_stats). */
const UNIT_CASE_TOTALS = perUnit<CaseDayDelta>('unit-case-totals', 'cumulative_org_unit_case_stats', CASE_COLUMNS, caseSumsOf);

/**
 * The department-day rows, with the hour columns of the hours the batch has ratings in (most batches:
 * one), so a statement per set of hours.
 */
function departmentDays(hours: readonly number[]): BatchStatement<DepartmentDayDelta> {
  const names = [...RATING_COLUMNS, ...hours.map((h) => `h${h}`), ...hours.map((h) => `b${h}`)];
  return {
    name: `department-days:${hours.join(',')}`,
    columns: [['department_id', 'integer'], ['day', 'text'], ...integers(names)],
    body: () => sql`INSERT INTO daily_department_stats (department_id, day, ${sql.raw(names.join(', '))})
      SELECT department_id, day, ${sql.raw(names.join(', '))} FROM batch WHERE department_id IS NOT NULL
      ON CONFLICT (department_id, day) DO UPDATE SET ${addExcluded('daily_department_stats', names)}`,
    values(r, out) {
      out.push(r.departmentId, r.day);
      pushSums(r, out);
      for (const h of hours) out.push(r.hours[h]);
      for (const h of hours) out.push(r.bad[h]);
    },
  };
}

/**
 * The organisation-unit-day rows (daily_org_unit_stats): a batch's department days summed per unit of
 * their departments, in one statement after the department days' (its rows: the same batch). A
 * department's unit never changes, so each unit row stays the sum of its departments' rows.
 */
function orgUnitDays(hours: readonly number[]): BatchStatement<DepartmentDayDelta> {
  const st = departmentDays(hours);
  const names = [...RATING_COLUMNS, ...hours.map((h) => `h${h}`), ...hours.map((h) => `b${h}`)];
  return {
    ...st,
    name: `org-unit-days:${hours.join(',')}`,
    // Grouped, so each unit day comes once (PostgreSQL refuses an upsert that meets a row twice), and
    // ordered, so two transactions lock the unit rows in the same order.
    body: () => sql`INSERT INTO daily_org_unit_stats (org_unit_id, day, ${sql.raw(names.join(', '))})
      SELECT d.org_unit_id, batch.day, ${sql.raw(names.map((c) => `sum(batch.${c})`).join(', '))}
      FROM batch JOIN departments d ON d.id = batch.department_id WHERE batch.department_id IS NOT NULL
      GROUP BY d.org_unit_id, batch.day ORDER BY d.org_unit_id, batch.day
      ON CONFLICT (org_unit_id, day) DO UPDATE SET ${addExcluded('daily_org_unit_stats', names)}`,
  };
}

/** The hours of day with a rating in any of these department days. */
function hoursOf(rows: readonly DepartmentDayDelta[]): number[] {
  const hours: number[] = [];
  for (let h = 0; h < 24; h++) if (rows.some((r) => r.hours[h] !== 0 || r.bad[h] !== 0)) hours.push(h);
  return hours;
}

const TAGS: BatchStatement<TagDelta> = {
  name: 'tags',
  columns: [
    ['department_id', 'integer'],
    ['day', 'text'],
    ['tag', 'text'],
    ['count', 'integer'],
  ],
  body: () => sql`INSERT INTO daily_tag_stats (department_id, day, tag, count)
    SELECT department_id, day, tag, count FROM batch WHERE department_id IS NOT NULL
    ON CONFLICT (department_id, day, tag) DO UPDATE SET count = daily_tag_stats.count + excluded.count`,
  values(r, out) {
    out.push(r.departmentId, r.day, r.tag, r.count);
  },
};

/** The tag counts per organisation unit (daily_org_unit_tag_stats): a batch's tag rows summed per unit. */
const ORG_UNIT_TAGS: BatchStatement<TagDelta> = {
  ...TAGS,
  name: 'org-unit-tags',
  body: () => sql`INSERT INTO daily_org_unit_tag_stats (tag, org_unit_id, day, count)
    SELECT batch.tag, d.org_unit_id, batch.day, sum(batch.count)
    FROM batch JOIN departments d ON d.id = batch.department_id WHERE batch.department_id IS NOT NULL
    GROUP BY batch.tag, d.org_unit_id, batch.day ORDER BY batch.tag, d.org_unit_id, batch.day
    ON CONFLICT (tag, org_unit_id, day) DO UPDATE SET count = daily_org_unit_tag_stats.count + excluded.count`,
};

/** The 办件 rows; the 事项's name is the one last written. */
const MATTER_DAYS: BatchStatement<MatterDayDelta> = {
  name: 'matter-days',
  columns: [
    ['department_id', 'integer'],
    ['day', 'text'],
    ['code_id', 'text'],
    ['task_code', 'text'],
    ['staff_name', 'text'],
    ['task_name', 'text'],
    ...integers(MATTER_COUNTS),
  ],
  body: () => sql`INSERT INTO daily_matter_stats (department_id, day, code_id, task_code, staff_name, task_name, ${sql.raw(MATTER_COUNTS.join(', '))})
    SELECT department_id, day, code_id, task_code, staff_name, task_name, ${sql.raw(MATTER_COUNTS.join(', '))}
    FROM batch WHERE department_id IS NOT NULL
    ON CONFLICT (department_id, day, code_id, task_code, staff_name) DO UPDATE SET task_name = excluded.task_name,
      ${addExcluded('daily_matter_stats', MATTER_COUNTS)}`,
  values(r, out) {
    out.push(r.departmentId, r.day, r.codeId, r.taskCode, r.staffName, r.taskName);
    for (const k of MATTER_COUNTS) out.push(r[k]);
  },
};

/** How many 办件 each department has in each status. */
const MATTER_STATUSES: BatchStatement<MatterStatusDelta> = {
  name: 'matter-statuses',
  columns: [
    ['department_id', 'integer'],
    ['status', 'text'],
    ['delta', 'integer'],
  ],
  body: () => sql`INSERT INTO matter_status_counts (department_id, status, count)
    SELECT department_id, status, delta FROM batch WHERE department_id IS NOT NULL
    ON CONFLICT (department_id, status) DO UPDATE SET count = matter_status_counts.count + excluded.count`,
  values: (r, out) => out.push(r.departmentId, r.status, r.delta),
};

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
  const delta = { departmentId, day, ...ZERO_FLAGS };
  let changed = false;
  for (const k of CASE_FLAG_KEYS) {
    delta[k] = a[k] - b[k];
    if (delta[k] !== 0) changed = true;
  }
  if (!changed) return;
  await statement(db, CASE_DAY).run(delta);
  await statement(db, ORG_UNIT_CASE_DAY).run(delta);
  await writeRows(db, CASE_TOTALS_START, [delta]);
  await writeRows(db, CASE_TOTALS_ADD, runningDeltas(CASE_TOTALS, [delta], caseSumsOf));
  await writeRows(db, UNIT_CASE_TOTALS.start, [delta]);
  await writeRows(db, UNIT_CASE_TOTALS.add, [delta]);
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
  if (from !== null) await statement(db, CASE_STATUS).run([departmentId, kind, from, -1]);
  await statement(db, CASE_STATUS).run([departmentId, kind, to, 1]);
}
