// What the read side of the statistics shares: its dependencies, the actor's scope, and the per
// department sums every report starts from.
import type { Db } from '../../../db/client.js';
import * as q from '../../../db/queries/stats.js';
import type { DepartmentStats, RangeQuery, RatingView } from '../../../shared/api/stats.js';
import { chinaDateTime, chinaDay } from '../../../shared/china-time.js';
import { maskPhone, type RatingChannel, SCORE_LABELS, type Score } from '../../../shared/domain.js';
import type { Clock } from '../../lib/clock.js';
import type { DataCrypto } from '../../lib/crypto.js';
import { redactPhones } from '../../lib/redact.js';
import type { Actor } from '../auth/actor.js';
import type { DepartmentView, OrgService } from '../org/org.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import {
  addCaseCounts,
  addFigureCounts,
  type CaseCounts,
  emptyCaseCounts,
  emptyFigureCounts,
  type FigureCounts,
  indicators,
} from './indicators.js';
import { type Period, resolvePeriod } from './period.js';
import { rankFairly } from './rankings.js';

/** Narrow ports: the settings are only read, the organisation only answers the actor's scope, phones are only masked. */
export interface StatsDeps {
  db: Db;
  clock: Clock;
  settings: Pick<SettingsService, 'forUnit' | 'forDepartment' | 'forDepartments' | 'forDepartmentGroup'>;
  org: Pick<OrgService, 'listDepartments' | 'getDepartment' | 'listOrgUnits' | 'orgUnitIdsInScope'>;
  crypto: Pick<DataCrypto, 'decryptPhone'>;
}

export function todayOf(deps: Pick<StatsDeps, 'clock'>): string {
  return chinaDay(deps.clock.now());
}

export function periodOf(deps: Pick<StatsDeps, 'clock'>, query: RangeQuery): Period {
  return resolvePeriod(query, todayOf(deps));
}

/**
 * The actor's departments, or the one asked for. A department outside the scope is "not found"
 * (docs/architecture.md §9: never reveal that it exists elsewhere).
 */
export async function scopedDepartments(deps: Pick<StatsDeps, 'org'>, actor: Actor, departmentId?: number): Promise<DepartmentView[]> {
  if (departmentId === undefined) return await deps.org.listDepartments(actor);
  return [await deps.org.getDepartment(actor, departmentId)];
}

/**
 * Whose rollup rows the figures of a scope sum (q.RollupScope). An administrator's or supervisor's
 * scope is every department of their unit's subtree (OrgService.departmentIdsInScope): without a
 * department asked for, it is summed from those units' rows. A head's departments, or one department,
 * from the departments' rows.
 */
export async function rollupScope(
  deps: Pick<StatsDeps, 'org'>,
  actor: Actor,
  departmentId: number | undefined,
  departments: () => Promise<readonly { id: number }[]>,
): Promise<q.RollupScope> {
  if (departmentId === undefined && actor.role !== 'dept_head' && actor.orgUnitId !== null) {
    return { level: 'unit', ids: await deps.org.orgUnitIdsInScope(actor) };
  }
  return { level: 'department', ids: (await departments()).map((d) => d.id) };
}

export interface DepartmentSums {
  ratings: FigureCounts;
  cases: CaseCounts;
  /** The period's 差评 cases open and past their deadline as of `today` (counted from the cases, not a rollup). */
  overdueOpen: number;
}

/**
 * Counted-rating and case sums per department over a period, zeros for departments without data; the
 * overdue open cases as of `today`, counted as `scope` says (a whole-unit scope has a cheaper count).
 * `ratings: false` leaves the rating sums at zero, for views of the cases alone.
 */
export function sumsByDepartment(
  db: Db,
  ids: readonly number[],
  p: Period,
  today: string,
  { scope = { level: 'department', ids }, ratings = true }: { scope?: q.RollupScope; ratings?: boolean } = {},
): Promise<Map<number, DepartmentSums>> {
  return sumsPer(db, { level: 'department', ids }, scope, (departmentId) => departmentId, p, today, ratings);
}

/**
 * The same sums per organisation unit of a whole-unit scope (each unit's own departments, from the unit
 * rollups); the overdue open cases, counted per department, added to their department's unit.
 */
export function sumsByUnit(
  db: Db,
  unitIds: readonly number[],
  departments: readonly Pick<DepartmentView, 'id' | 'orgUnitId'>[],
  p: Period,
  today: string,
): Promise<Map<number, DepartmentSums>> {
  const unitOf = new Map(departments.map((d) => [d.id, d.orgUnitId]));
  const units: q.RollupScope = { level: 'unit', ids: unitIds };
  return sumsPer(db, units, units, (departmentId) => unitOf.get(departmentId), p, today, true);
}

/**
 * The sums of the rollup rows of `rows` (per department or per unit), zeros for those without data;
 * each overdue open case of `overdue`, counted per department, added where `keyOf` puts its department.
 * A whole-unit count could name a department made since the actor's scope was read: `keyOf` finds no
 * place for it, and it is too new to have an overdue case anyway.
 */
async function sumsPer(
  db: Db,
  rows: q.RollupScope,
  overdue: q.RollupScope,
  keyOf: (departmentId: number) => number | undefined,
  p: Period,
  today: string,
  ratings: boolean,
): Promise<Map<number, DepartmentSums>> {
  const out = new Map<number, DepartmentSums>(
    rows.ids.map((id) => [id, { ratings: emptyFigureCounts(), cases: emptyCaseCounts(), overdueOpen: 0 }]),
  );
  // Three reads at once: on PostgreSQL each on its own connection of the pool, so their times overlap
  // (on SQLite they run one after the other as before).
  const [ratingSums, caseSums, overdueCounts] = await Promise.all([
    ratings ? q.sumRatingsPer(db, rows, p) : [],
    q.sumCasesPer(db, rows, p),
    q.countOverdueOpenByDepartment(db, overdue, p, today),
  ]);
  for (const r of ratingSums) addFigureCounts(out.get(r.id)!.ratings, r);
  for (const c of caseSums) addCaseCounts(out.get(c.id)!.cases, c);
  for (const o of overdueCounts) {
    const key = keyOf(o.departmentId);
    const sums = key === undefined ? undefined : out.get(key);
    if (sums) sums.overdueOpen += Number(o.n);
  }
  return out;
}

export function sumAll(sums: Iterable<DepartmentSums>): DepartmentSums {
  const total = { ratings: emptyFigureCounts(), cases: emptyCaseCounts(), overdueOpen: 0 };
  for (const s of sums) {
    addFigureCounts(total.ratings, s.ratings);
    addCaseCounts(total.cases, s.cases);
    total.overdueOpen += s.overdueOpen;
  }
  return total;
}

/** A department of a ranking group, as its row in a ranking names it. */
export type RankingMember = Pick<DepartmentStats, 'id' | 'name' | 'orgUnitId' | 'orgUnitName'>;

/**
 * Indicators and fair ranks of a set of departments (the ranking group), in the input order; `scope`
 * when the group is whole units (rollupScope).
 */
export async function rankedDepartments(
  db: Db,
  departments: readonly RankingMember[],
  p: Period,
  minSample: number,
  today: string,
  scope?: q.RollupScope,
): Promise<DepartmentStats[]> {
  const sums = await sumsByDepartment(
    db,
    departments.map((d) => d.id),
    p,
    today,
    { scope },
  );
  // Object.assign onto the indicators rather than object spreads: spreading ~25 properties into a
  // new literal costs V8 microseconds and kilobytes of garbage per department (see indicators()).
  const rows = departments.map((d) => {
    const s = sums.get(d.id)!;
    return Object.assign(indicators(s.ratings, s.cases, s.overdueOpen), {
      id: d.id,
      name: d.name,
      orgUnitId: d.orgUnitId,
      orgUnitName: d.orgUnitName,
    });
  });
  const ranks = rankFairly(rows, minSample);
  return rows.map((r, i) => Object.assign(r, ranks[i]!));
}

// ---- Ratings as staff and exports see them: masked, never a full phone number ----

export function toRatingView(crypto: StatsDeps['crypto'], r: q.RatingDetailRow): RatingView {
  let phone: string | null = null;
  if (r.phoneEnc) {
    try {
      phone = maskPhone(crypto.decryptPhone(r.phoneEnc));
    } catch {
      // An undecryptable number (key rotated) is still never shown.
      phone = '****';
    }
  }
  let tags: string[] = [];
  try {
    const parsed: unknown = JSON.parse(r.tags);
    if (Array.isArray(parsed)) tags = parsed.filter((t): t is string => typeof t === 'string');
  } catch {
    tags = [];
  }
  return {
    id: r.id,
    createdAt: r.createdAt,
    time: chinaDateTime(r.createdAt),
    day: r.day,
    departmentId: r.departmentId,
    departmentName: r.departmentName,
    codeId: r.codeId,
    location: r.location,
    score: r.score,
    wording: SCORE_LABELS[r.score as Score] ?? String(r.score),
    tags,
    // Masked again on the way out: comments stored before they were masked at input (docs/domain.md).
    comment: r.comment ? redactPhones(r.comment) : null,
    phone,
    realName: r.realName === 1,
    flagged: r.flagged === 1,
    excluded: r.excluded === 1,
    held: r.held === 1,
    channel: r.channel as RatingChannel,
    assessNumber: r.assessNumber,
    superseded: r.superseded === 1,
  };
}
