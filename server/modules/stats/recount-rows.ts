// The department-day and running-total rollups as a recount computes them: from raw ratings grouped by
// department, day and hour, and from recounted code days plus the stored opens (which have no raw rows).
import type { CodeDayRow, CumulativeRow, DepartmentDayRow, DepartmentHourRow, OpensRow } from '../../../db/queries/recount.js';
import { RATING_SUMS, zeroSums } from '../../../db/queries/rollups.js';
import { addRatingCounts } from './indicators.js';

/** The row of (a, b) in `rows`, made by `make` the first time it is asked for. */
export function rowAt<R>(rows: Map<string, R>, a: string | number, b: string, make: () => R): R {
  const id = `${a}|${b}`;
  let row = rows.get(id);
  if (!row) {
    row = make();
    rows.set(id, row);
  }
  return row;
}

function emptyDepartmentDay(departmentId: number, day: string): DepartmentDayRow {
  return {
    departmentId,
    day,
    ...zeroSums(),
    hours: new Array<number>(24).fill(0),
    bad: new Array<number>(24).fill(0),
  };
}

/** daily_department_stats as it must be: ratings by (department, day, hour), opens and 办件 by code and day. */
export function departmentDaysFrom(
  hours: readonly DepartmentHourRow[],
  opens: readonly OpensRow[],
  codeDays: readonly CodeDayRow[],
): DepartmentDayRow[] {
  const rows = new Map<string, DepartmentDayRow>();
  const rowOf = (departmentId: number, day: string) => rowAt(rows, departmentId, day, () => emptyDepartmentDay(departmentId, day));
  for (const h of hours) {
    const row = rowOf(h.departmentId, h.day);
    addRatingCounts(row, h);
    row.submissions += h.submissions;
    row.defaults += h.defaults;
    row.defaultGood += h.defaultGood;
    row.held += h.held;
    row.hours[h.hour]! += h.counted;
    row.bad[h.hour]! += h.bad;
  }
  for (const o of opens) rowOf(o.departmentId, o.day).opens += o.opens;
  // The 办件 counters have no hour: their code days (keyed by the day the 办件 finished) sum them.
  for (const c of codeDays) {
    if (c.finishedMatters === 0 && c.ratedMatters === 0) continue;
    const row = rowOf(c.departmentId, c.day);
    row.finishedMatters += c.finishedMatters;
    row.ratedMatters += c.ratedMatters;
  }
  return [...rows.values()];
}

/** cumulative_code_stats as it must be: running totals over the code days, in (code, day) order. */
export function cumulativeFrom(codeDays: readonly CodeDayRow[], opens: readonly OpensRow[]): CumulativeRow[] {
  const days = new Map<string, CumulativeRow>();
  const emptyDay = (codeId: string, day: string): CumulativeRow => ({
    codeId,
    day,
    ...zeroSums(),
    lastSubmissionDay: null,
    lastOpenDay: null,
  });
  const dayOf = (codeId: string, day: string) => rowAt(days, codeId, day, () => emptyDay(codeId, day));
  // A code day has every counter but the opens (they have no raw rows: the stored ones are used).
  for (const c of codeDays) {
    const row = dayOf(c.codeId, c.day);
    for (const k of RATING_SUMS) if (k !== 'opens') row[k] = c[k];
  }
  for (const o of opens) dayOf(o.codeId, o.day).opens = o.opens;
  const ordered = [...days.values()].sort((a, b) =>
    a.codeId < b.codeId ? -1 : a.codeId > b.codeId ? 1 : a.day < b.day ? -1 : a.day > b.day ? 1 : 0,
  );
  let prev: CumulativeRow | null = null;
  for (const row of ordered) {
    const before = prev?.codeId === row.codeId ? prev : null;
    const own = { submissions: row.submissions, opens: row.opens };
    for (const k of RATING_SUMS) row[k] += before?.[k] ?? 0;
    row.lastSubmissionDay = own.submissions > 0 ? row.day : (before?.lastSubmissionDay ?? null);
    row.lastOpenDay = own.opens > 0 ? row.day : (before?.lastOpenDay ?? null);
    prev = row;
  }
  return ordered;
}

/**
 * Running totals without the rows that repeat the row before them (a day that added nothing): such a
 * row and its absence answer every period the same, so neither counts as a difference. `valuesOf(null)`
 * gives the totals before a key's first row.
 */
export function withoutRepeatedTotals<R>(rows: readonly R[], keyOf: (r: R) => unknown, valuesOf: (r: R | null) => readonly unknown[]): R[] {
  const out: R[] = [];
  let prev: R | null = null;
  for (const row of rows) {
    const before = valuesOf(prev !== null && keyOf(prev) === keyOf(row) ? prev : null);
    if (!valuesOf(row).every((v, i) => v === before[i])) out.push(row);
    prev = row;
  }
  return out;
}

/** The running totals of a code (cumulative_code_stats), as withoutRepeatedTotals compares them. */
export const codeTotals = {
  keyOf: (r: CumulativeRow) => r.codeId,
  valuesOf: (r: CumulativeRow | null) =>
    r === null ? [...RATING_SUMS.map(() => 0), null, null] : [...RATING_SUMS.map((k) => r[k]), r.lastSubmissionDay, r.lastOpenDay],
};

/** A running-totals row of a department or unit: its id, day, then its counters. */
export type TotalsRow = (string | number)[];

/** Rows [key, day, ...counters] made running totals: each the sum of its key's rows up to its day. */
export function runningTotalsOf(rows: readonly TotalsRow[]): TotalsRow[] {
  const ordered = rows
    .map((r) => [...r])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
  for (const [i, row] of ordered.entries()) {
    const before = i > 0 && ordered[i - 1]![0] === row[0] ? ordered[i - 1]! : null;
    if (before) for (let c = 2; c < row.length; c++) row[c] = (row[c] as number) + (before[c] as number);
  }
  return ordered;
}

/** Department or unit running totals (runningTotalsOf, readRunningTotals), as withoutRepeatedTotals compares them. */
export function keyedTotals(counters: number) {
  return {
    keyOf: (r: TotalsRow) => r[0],
    valuesOf: (r: TotalsRow | null) => (r === null ? new Array<number>(counters).fill(0) : r.slice(2)),
  };
}
