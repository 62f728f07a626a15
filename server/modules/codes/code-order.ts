// The orders of the staff codes list (docs/api.md, GET /api/codes). The codes' own columns are ordered
// by SQL, which then pages them; a location or a funnel figure is ordered here, over the whole list in
// print order, so a stable sort leaves codes that tie in print order (department, then window).
import type { CodeColumnSort, CodeWithDepartment } from '../../../db/queries/codes.js';
import type { FunnelViewT } from '../../../shared/api/codes.js';
import { CODE_TEXT_SORTS, type CodeSort, compareLocations, FUNNEL_ALERTS } from '../../../shared/domain.js';

type Order = 'asc' | 'desc';

/** A code of the list with its funnel figures when the order or a filter needed them. */
export interface ListedCode {
  row: CodeWithDepartment;
  figures: FunnelViewT | null;
}

export function isColumnSort(sort: CodeSort): sort is CodeColumnSort {
  return sort === 'department' || sort === 'code' || sort === 'createdAt';
}

/** Orders that read the funnel figures of every code in scope. */
export function needsFigures(sort: CodeSort): boolean {
  return !isColumnSort(sort) && sort !== 'location';
}

/** Text ascends, figures and days descend (the most scanned, the latest first). */
export function defaultOrder(sort: CodeSort): Order {
  return CODE_TEXT_SORTS.includes(sort) ? 'asc' : 'desc';
}

/** Alerts in the order of FUNNEL_ALERTS come first when descending; no alert is the least. */
const alertRank = (figures: FunnelViewT): number =>
  figures.alert === null ? 0 : FUNNEL_ALERTS.length - FUNNEL_ALERTS.indexOf(figures.alert);

type Value = number | string | null;
const FIGURE: Record<Exclude<CodeSort, CodeColumnSort | 'location'>, (f: FunnelViewT) => Value> = {
  opens30d: (f) => f.opens30d,
  submissions30d: (f) => f.submissions30d,
  opensTotal: (f) => f.opensTotal,
  submissionsTotal: (f) => f.submissionsTotal,
  lastOpenDay: (f) => f.lastOpenDay,
  lastSubmissionDay: (f) => f.lastSubmissionDay,
  alert: alertRank,
};

/** Null (never opened, never rated) is less than any day. */
function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** The comparison of two listed codes by a location or a funnel figure (figures must be present). */
export function listedOrder(sort: Exclude<CodeSort, CodeColumnSort>, order: Order): (a: ListedCode, b: ListedCode) => number {
  const sign = order === 'asc' ? 1 : -1;
  if (sort === 'location') return (a, b) => sign * compareLocations(a.row.location, b.row.location);
  const value = FIGURE[sort];
  return (a, b) => sign * compareValues(value(a.figures!), value(b.figures!));
}
