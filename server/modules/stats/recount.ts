// Proof that the rollups are right: recount every rollup from the raw ratings and cases and compare
// (verify), or replace the rollups by the recount in one transaction (rebuild).
import type { Db, DbOrTx } from '../../../db/client.js';
import * as q from '../../../db/queries/recount.js';
import { CASE_FLAG_KEYS, RATING_SUMS, type RatingSums } from '../../../db/queries/rollups.js';
import type { RollupMismatch, VerifyResponse } from '../../../shared/api/stats.js';
import { caseFlags } from './case-flags.js';
import { addCaseCounts, emptyCaseCounts } from './indicators.js';
import {
  codeTotals,
  cumulativeFrom,
  departmentDaysFrom,
  keyedTotals,
  rowAt,
  runningTotalsOf,
  type TotalsRow,
  withoutRepeatedTotals,
} from './recount-rows.js';

type RollupTable =
  | 'daily_code_stats'
  | 'daily_code_stored_stats'
  | 'daily_department_stats'
  | 'cumulative_code_stats'
  | 'daily_tag_stats'
  | 'daily_case_stats'
  | 'case_status_counts'
  | 'matter_status_counts'
  | 'daily_matter_stats'
  | q.OrgUnitRollup['table']
  | q.RunningTotalsTable['table'];

/** A compared figure: a count, or a day ('YYYY-MM-DD', null for none) of the running totals. */
type Value = number | string | null;

const MAX_LISTED = 100;

interface TableSpec<R> {
  table: RollupTable;
  key: (r: R) => Record<string, string | number>;
  values: (r: R) => Record<string, Value>;
}

/** The score, submission and 办件 counters every rating rollup row carries. */
function ratingCounters(r: Omit<RatingSums, 'opens'>) {
  return {
    s1: r.s1,
    s2: r.s2,
    s3: r.s3,
    s4: r.s4,
    s5: r.s5,
    realName: r.realName,
    submissions: r.submissions,
    defaults: r.defaults,
    defaultGood: r.defaultGood,
    finishedMatters: r.finishedMatters,
    ratedMatters: r.ratedMatters,
  };
}

const CODE_DAY: TableSpec<q.CodeDayRow> = {
  table: 'daily_code_stats',
  key: (r) => ({ codeId: r.codeId, day: r.day }),
  values: (r) => ({ departmentId: r.departmentId, ...ratingCounters(r) }),
};
const STORED_DAY: TableSpec<q.StoredDayRow> = {
  table: 'daily_code_stored_stats',
  key: (r) => ({ codeId: r.codeId, day: r.day }),
  values: ({ codeId: _c, day: _d, ...values }) => values,
};
const DEPARTMENT_DAY: TableSpec<q.DepartmentDayRow> = {
  table: 'daily_department_stats',
  key: (r) => ({ departmentId: r.departmentId, day: r.day }),
  values: (r) => ({
    ...ratingCounters(r),
    opens: r.opens,
    ...Object.fromEntries(r.hours.map((n, h) => [`h${h}`, n])),
    ...Object.fromEntries(r.bad.map((n, h) => [`b${h}`, n])),
  }),
};
const CUMULATIVE: TableSpec<q.CumulativeRow> = {
  table: 'cumulative_code_stats',
  key: (r) => ({ codeId: r.codeId, day: r.day }),
  values: ({ codeId: _c, day: _d, ...values }) => values,
};
const TAGS: TableSpec<q.TagRow> = {
  table: 'daily_tag_stats',
  key: (r) => ({ departmentId: r.departmentId, day: r.day, tag: r.tag }),
  values: (r) => ({ count: r.count }),
};
const CASE_STATUSES: TableSpec<q.CaseStatusRow> = {
  table: 'case_status_counts',
  key: (r) => ({ departmentId: r.departmentId, kind: r.kind, status: r.status }),
  values: (r) => ({ count: r.count }),
};
const MATTER_STATUSES: TableSpec<q.MatterStatusRow> = {
  table: 'matter_status_counts',
  key: (r) => ({ departmentId: r.departmentId, status: r.status }),
  values: (r) => ({ count: r.count }),
};
const MATTER_DAYS: TableSpec<q.MatterDayRow> = {
  table: 'daily_matter_stats',
  key: (r) => ({ departmentId: r.departmentId, day: r.day, codeId: r.codeId, taskCode: r.taskCode, staffName: r.staffName }),
  values: (r) => ({ finished: r.finished, rated: r.rated, defaults: r.defaults, s1: r.s1, s2: r.s2, s3: r.s3, s4: r.s4, s5: r.s5 }),
};
const CASE_DAYS: TableSpec<q.CaseDayRow> = {
  table: 'daily_case_stats',
  key: (r) => ({ departmentId: r.departmentId, day: r.day }),
  values: (r) => Object.fromEntries(CASE_FLAG_KEYS.map((k) => [k, r[k]])),
};

/** A unit rollup's rows (readOrgUnitRollup): keyed by unit and its keys, the counters by column name. */
function orgUnitSpec(u: q.OrgUnitRollup): TableSpec<(string | number)[]> {
  return {
    table: u.table,
    key: (r) => Object.fromEntries([['orgUnitId', r[0]!], ...u.keys.map((k, i) => [k, r[i + 1]!])]),
    values: (r) => Object.fromEntries(u.counters.map((c, i) => [c, r[u.keys.length + 1 + i]!])),
  };
}

/** A running-totals table's rows (readRunningTotals): keyed by department (or unit) and day. */
function runningTotalsSpec(r: q.RunningTotalsTable): TableSpec<TotalsRow> {
  const key = r.key === 'department_id' ? 'departmentId' : 'orgUnitId';
  return {
    table: r.table,
    key: (row) => ({ [key]: row[0]!, day: row[1]! }),
    values: (row) => Object.fromEntries(r.counters.map((c, i) => [c, row[2 + i]!])),
  };
}

/**
 * Department rows summed per organisation unit of their department, in readOrgUnitRollup's shape:
 * the unit, the day, `more` keys, then `counters` in the unit table's column order.
 */
function unitRowsOf<R extends { departmentId: number; day: string }>(
  rows: readonly R[],
  unitOf: ReadonlyMap<number, number>,
  counters: (r: R) => number[],
  more: (r: R) => string[] = () => [],
): (string | number)[][] {
  const out = new Map<string, (string | number)[]>();
  for (const r of rows) {
    const key = [unitOf.get(r.departmentId)!, r.day, ...more(r)];
    const id = key.join('|');
    const values = counters(r);
    const row = out.get(id);
    if (!row) out.set(id, [...key, ...values]);
    else for (const [i, v] of values.entries()) row[key.length + i] = (row[key.length + i] as number) + v;
  }
  return [...out.values()];
}

/** A rollup row holding only zeros (left behind by an exclusion) equals no row at all. */
function isZero(values: Record<string, Value>, ignore: readonly string[] = []): boolean {
  return Object.entries(values).every(([k, v]) => ignore.includes(k) || v === 0);
}

function compare<R>(spec: TableSpec<R>, expected: readonly R[], actual: readonly R[], out: RollupMismatch[]): number {
  const ignore = ['departmentId'];
  const index = new Map<
    string,
    { key: Record<string, string | number>; e: Record<string, Value> | null; a: Record<string, Value> | null }
  >();
  for (const r of expected) {
    const key = spec.key(r);
    index.set(JSON.stringify(key), { key, e: spec.values(r), a: null });
  }
  for (const r of actual) {
    const key = spec.key(r);
    const id = JSON.stringify(key);
    const slot = index.get(id);
    if (slot) slot.a = spec.values(r);
    else index.set(id, { key, e: null, a: spec.values(r) });
  }
  let count = 0;
  for (const { key, e, a } of index.values()) {
    const eZero = !e || isZero(e, ignore);
    const aZero = !a || isZero(a, ignore);
    if (eZero && aZero) continue;
    const same = e && a && Object.keys(e).every((k) => e[k] === a[k]);
    if (same) continue;
    count++;
    if (out.length < MAX_LISTED) out.push({ table: spec.table, key, expected: e, actual: a });
  }
  return count;
}

/** Case rollups recounted with the same rules as the write side (case-flags.ts). */
async function recountCaseDays(db: DbOrTx): Promise<q.CaseDayRow[]> {
  const byKey = new Map<string, q.CaseDayRow>();
  for (const c of await q.listCasesForRollup(db)) {
    const flags = caseFlags(c);
    if (!flags) continue;
    const row = rowAt(byKey, c.departmentId, c.ratingDay, () => ({ departmentId: c.departmentId, day: c.ratingDay, ...emptyCaseCounts() }));
    addCaseCounts(row, flags);
  }
  return [...byKey.values()];
}

/** Recounts every rollup from raw rows and lists where the stored rollups differ. Writes nothing. */
export async function verifyRollups(db: Db): Promise<VerifyResponse> {
  // One snapshot (it writes nothing): every read below, the recount and the stored rollups, goes
  // through `tx` and so describes the same instant (SQLite: writers wait for it; PostgreSQL:
  // REPEATABLE READ, so ratings committed meanwhile by other instances are in neither side).
  return db.transaction(
    async (tx) => {
      const mismatches: RollupMismatch[] = [];
      const codeDays = await q.readCodeDays(tx);
      const departmentDays = await q.readDepartmentDays(tx);
      const cumulative = await q.readCumulative(tx);
      const tags = await q.readTags(tx);
      const caseDays = await q.readCaseDays(tx);
      const caseStatuses = await q.readCaseStatuses(tx);
      const matterDays = await q.readMatterDays(tx);
      const matterStatuses = await q.readMatterStatuses(tx);
      const storedDays = await q.readStoredDays(tx);
      const expected = await recountRows(tx);
      let count = 0;
      count += compare(CODE_DAY, expected.codeDays, codeDays, mismatches);
      count += compare(DEPARTMENT_DAY, expected.departmentDays, departmentDays, mismatches);
      count += compare(
        CUMULATIVE,
        withoutRepeatedTotals(expected.cumulative, codeTotals.keyOf, codeTotals.valuesOf),
        withoutRepeatedTotals(cumulative, codeTotals.keyOf, codeTotals.valuesOf),
        mismatches,
      );
      const expectedTags = await q.recountTags(tx);
      count += compare(TAGS, expectedTags, tags, mismatches);
      count += compare(CASE_DAYS, expected.caseDays, caseDays, mismatches);
      count += compare(CASE_STATUSES, await q.recountCaseStatuses(tx), caseStatuses, mismatches);
      count += compare(MATTER_DAYS, await q.recountMatterDays(tx), matterDays, mismatches);
      count += compare(MATTER_STATUSES, await q.recountMatterStatuses(tx), matterStatuses, mismatches);
      count += compare(STORED_DAY, await q.recountStoredDays(tx), storedDays, mismatches);
      // Each unit rollup against the recount of its department rollup, summed per unit.
      const unitOf = await q.readDepartmentUnits(tx);
      const expectedUnits = {
        daily_org_unit_stats: unitRowsOf(expected.departmentDays, unitOf, (r) => [...RATING_SUMS.map((k) => r[k]), ...r.hours, ...r.bad]),
        daily_org_unit_tag_stats: unitRowsOf(
          expectedTags,
          unitOf,
          (r) => [r.count],
          (r) => [r.tag],
        ),
        daily_org_unit_case_stats: unitRowsOf(expected.caseDays, unitOf, (r) => CASE_FLAG_KEYS.map((k) => r[k])),
      };
      const derivedRows: Record<string, number> = {};
      for (const u of q.ORG_UNIT_ROLLUPS) {
        const stored = await q.readOrgUnitRollup(tx, u);
        count += compare(orgUnitSpec(u), expectedUnits[u.table], stored, mismatches);
        derivedRows[u.table] = stored.length;
      }
      // Each running-totals table against the running sums of the recount's department rows (per
      // department, or summed per unit as above).
      const expectedTotals = {
        cumulative_department_stats: expected.departmentDays.map((r) => [r.departmentId, r.day, ...RATING_SUMS.map((k) => r[k])]),
        cumulative_department_case_stats: expected.caseDays.map((r) => [r.departmentId, r.day, ...CASE_FLAG_KEYS.map((k) => r[k])]),
        cumulative_org_unit_stats: expectedUnits.daily_org_unit_stats.map((r) => r.slice(0, 2 + RATING_SUMS.length)),
        cumulative_org_unit_case_stats: expectedUnits.daily_org_unit_case_stats,
      };
      for (const r of q.RUNNING_TOTALS) {
        const stored = await q.readRunningTotals(tx, r);
        const { keyOf, valuesOf } = keyedTotals(r.counters.length);
        count += compare(
          runningTotalsSpec(r),
          withoutRepeatedTotals(runningTotalsOf(expectedTotals[r.table]), keyOf, valuesOf),
          withoutRepeatedTotals(stored, keyOf, valuesOf),
          mismatches,
        );
        derivedRows[r.table] = stored.length;
      }
      return {
        ok: count === 0,
        mismatchCount: count,
        mismatches,
        checked: {
          daily_code_stats: codeDays.length,
          daily_department_stats: departmentDays.length,
          cumulative_code_stats: cumulative.length,
          daily_tag_stats: tags.length,
          daily_case_stats: caseDays.length,
          case_status_counts: caseStatuses.length,
          matter_status_counts: matterStatuses.length,
          daily_matter_stats: matterDays.length,
          daily_code_stored_stats: storedDays.length,
          ...derivedRows,
        },
      };
    },
    { snapshot: true },
  );
}

/**
 * The rollups a recount computes outside SQL: code days from raw ratings, department days from raw
 * ratings by hour, running totals from those code days, case days from the cases; the stored code-day
 * opens (no raw rows) go into the department days and running totals as they are.
 */
async function recountRows(tx: DbOrTx): Promise<{ codeDays: q.CodeDayRow[] } & q.RecountedRows> {
  const codeDays = await q.recountCodeDays(tx);
  const opens = await q.readOpens(tx);
  return {
    codeDays,
    departmentDays: departmentDaysFrom(await q.recountDepartmentHours(tx), opens, codeDays),
    cumulative: cumulativeFrom(codeDays, opens),
    caseDays: await recountCaseDays(tx),
  };
}

/** Replaces every rollup by a recount from raw rows, in one transaction; returns the verify after. */
export async function rebuildRollups(db: Db): Promise<VerifyResponse> {
  // The recount reads through `tx`: it sees the same instant the replacement writes over.
  await db.transaction(async (tx) => {
    await q.replaceRollups(tx, await recountRows(tx));
  });
  return verifyRollups(db);
}
