// Department rankings, scope summaries, trends and case indicators: the figures of the dashboards.
import * as q from '../../../db/queries/stats.js';
import type {
  CasesResponse,
  DepartmentsResponse,
  DeptRangeQuery,
  OrgUnitStats,
  RangeQuery,
  SummaryResponse,
  TrendQuery,
  TrendResponse,
} from '../../../shared/api/stats.js';
import type { Actor } from '../auth/actor.js';
import { waitingStatuses } from '../cases/workflow.js';
import type { DepartmentView } from '../org/org.service.js';
import {
  type DepartmentSums,
  periodOf,
  type RankingMember,
  rankedDepartments,
  rollupScope,
  type StatsDeps,
  scopedDepartments,
  sumAll,
  sumsByDepartment,
  sumsByUnit,
  todayOf,
} from './context.js';
import { addCaseCounts, addFigureCounts, caseIndicators, emptyCaseCounts, emptyFigureCounts, indicators } from './indicators.js';
import { bucketStart, buckets } from './period.js';
import { byRankThenSample } from './rankings.js';

/** The 差评 steps that wait on the supervisor (the workflow table decides; the rest are the departments'). */
const SUPERVISOR_STEPS = waitingStatuses('supervisor')
  .filter((s) => s.kind === 'bad_rating')
  .map((s) => s.status);

export function createStatsReports(deps: StatsDeps) {
  const { db, settings, org } = deps;

  /**
   * Departments a rank is computed among. Supervisors and admins rank their whole scope; a head's
   * departments are ranked among their county's departments (the same ranks the public page shows),
   * while only the head's own departments are returned.
   */
  async function rankingGroup(actor: Actor, scope: DepartmentView[]): Promise<RankingMember[]> {
    if (actor.role !== 'dept_head') return scope;
    const seen = new Map<number, RankingMember>();
    for (const unitId of new Set(scope.map((d) => d.orgUnitId))) {
      for (const d of await q.listDepartmentsUnder(db, unitId)) seen.set(d.id, d);
    }
    for (const d of scope) seen.set(d.id, d);
    return [...seen.values()];
  }

  return {
    /** GET /api/stats/departments (docs/api.md): every department in scope, with indicators and rank. */
    async departments(actor: Actor, query: RangeQuery): Promise<DepartmentsResponse> {
      const p = periodOf(deps, query);
      const scope = await scopedDepartments(deps, actor);
      const group = await rankingGroup(actor, scope);
      // The minimum sample of the unit ranked: the scope's root, or the unit of a head's peers.
      const { minSample } = (
        actor.orgUnitId !== null ? await settings.forUnit(actor.orgUnitId) : await settings.forDepartmentGroup(group.map((d) => d.id))
      ).ranking;
      const ranked = await rankedDepartments(
        db,
        group,
        p,
        minSample,
        todayOf(deps),
        await rollupScope(deps, actor, undefined, async () => group),
      );
      const inScope = new Set(scope.map((d) => d.id));
      return {
        ...p,
        minSample,
        rankedAmong: ranked.filter((d) => d.rank !== null).length,
        departments: ranked.filter((d) => inScope.has(d.id)).sort(byRankThenSample),
      };
    },

    /** The caller's whole scope (or one department), and each organisation unit in it. */
    async summary(actor: Actor, query: DeptRangeQuery): Promise<SummaryResponse> {
      const p = periodOf(deps, query);
      const depts = await scopedDepartments(deps, actor, query.departmentId);
      const scope = await rollupScope(deps, actor, query.departmentId, async () => depts);
      // Per unit of a whole-unit scope, else per department; each with the unit it counts in.
      const byUnit = scope.level === 'unit';
      const sums = byUnit
        ? await sumsByUnit(db, scope.ids, depts, p, todayOf(deps))
        : await sumsByDepartment(db, scope.ids, p, todayOf(deps));
      const unitOfDepartment = new Map(depts.map((d) => [d.id, d.orgUnitId]));
      const unitOf = (id: number) => (byUnit ? id : unitOfDepartment.get(id)!);
      const total = sumAll(sums.values());
      const orgUnits: OrgUnitStats[] = [];
      if (query.departmentId === undefined) {
        const units = await org.listOrgUnits(actor);
        const parent = new Map(units.map((u) => [u.id, u.parentId]));
        // A unit sums the departments anywhere below it (市 = its counties' departments): each sum and
        // each department is added to its own unit and every unit above it, in one pass.
        const perUnit = new Map(units.map((u) => [u.id, { sums: [] as DepartmentSums[], departments: 0 }]));
        const upFrom = (unit: number, add: (into: { sums: DepartmentSums[]; departments: number }) => void) => {
          for (let u: number | null | undefined = unit; u != null; u = parent.get(u)) {
            const into = perUnit.get(u);
            if (into) add(into);
          }
        };
        for (const [id, sum] of sums) upFrom(unitOf(id), (into) => into.sums.push(sum));
        for (const d of depts) upFrom(d.orgUnitId, (into) => into.departments++);
        for (const u of units) {
          const mine = perUnit.get(u.id)!;
          const s = sumAll(mine.sums);
          orgUnits.push(
            Object.assign(indicators(s.ratings, s.cases, s.overdueOpen), {
              id: u.id,
              name: u.name,
              kind: u.kind,
              departments: mine.departments,
            }),
          );
        }
      }
      return Object.assign(indicators(total.ratings, total.cases, total.overdueOpen), {
        from: p.from,
        to: p.to,
        departments: depts.length,
        orgUnits,
      });
    },

    /** Indicators per day, week (Monday first) or month of the period. */
    async trend(actor: Actor, query: TrendQuery): Promise<TrendResponse> {
      const p = periodOf(deps, query);
      const granularity = query.granularity ?? 'day';
      const ids = (await scopedDepartments(deps, actor, query.departmentId)).map((d) => d.id);
      const scope = await rollupScope(deps, actor, query.departmentId, async () => ids.map((id) => ({ id })));
      const periods = buckets(p, granularity);
      const points = periods.map((b) => ({ ...b, r: emptyFigureCounts(), c: emptyCaseCounts(), overdueOpen: 0 }));
      const at = new Map(points.map((b) => [b.from, b]));
      // By day, the daily rows; by week or month, the running totals at the buckets' ends (one row a
      // department or unit per bucket, however many days it has). Rows of a bucket carry its first day.
      const byDay = granularity === 'day';
      // At once: on PostgreSQL, on three connections of the pool (sumsPer).
      const [ratings, cases, overdue] = await Promise.all([
        byDay ? q.sumRatingsByDay(db, scope, p) : q.sumRatingsPerBucket(db, scope, periods),
        byDay ? q.sumCasesByDay(db, scope, p) : q.sumCasesPerBucket(db, scope, periods),
        q.countOverdueOpenByDay(db, scope, p, todayOf(deps)),
      ]);
      for (const row of ratings) addFigureCounts(at.get(bucketStart(row.day, granularity, p.from))!.r, row);
      for (const row of cases) addCaseCounts(at.get(bucketStart(row.day, granularity, p.from))!.c, row);
      for (const row of overdue) {
        at.get(bucketStart(row.day, granularity, p.from))!.overdueOpen += Number(row.n);
      }
      // Object.assign, not spreads: see indicators() (a year by day is 366 points).
      return {
        ...p,
        granularity,
        points: points.map((b) => Object.assign(indicators(b.r, b.c, b.overdueOpen), { from: b.from, to: b.to })),
      };
    },

    /** Case indicators of the period's 差评, per department, with today's unclosed and overdue cases. */
    async cases(actor: Actor, query: DeptRangeQuery): Promise<CasesResponse> {
      const p = periodOf(deps, query);
      const depts = await scopedDepartments(deps, actor, query.departmentId);
      const ids = depts.map((d) => d.id);
      const today = todayOf(deps);
      // The case indicators only: no rating sums.
      const scope = await rollupScope(deps, actor, query.departmentId, async () => depts);
      const [sums, unclosed] = await Promise.all([
        sumsByDepartment(db, ids, p, today, { scope, ratings: false }),
        q.countUnclosedCases(db, scope, today, SUPERVISOR_STEPS),
      ]);
      const open = new Map(unclosed.map((r) => [r.departmentId, r]));
      const departments = depts.map((d) => {
        const o = open.get(d.id);
        const s = sums.get(d.id)!;
        return Object.assign(caseIndicators(s.cases, s.overdueOpen), {
          id: d.id,
          name: d.name,
          unclosed: o?.unclosed ?? 0,
          overdue: o?.overdue ?? 0,
          waitingOnSupervisor: o?.waitingOnSupervisor ?? 0,
          overdueWaitingOnSupervisor: o?.overdueWaitingOnSupervisor ?? 0,
        });
      });
      const total = sumAll(sums.values());
      const sum = (k: 'unclosed' | 'overdue' | 'waitingOnSupervisor' | 'overdueWaitingOnSupervisor') =>
        departments.reduce((n, d) => n + d[k], 0);
      return Object.assign(caseIndicators(total.cases, total.overdueOpen), {
        from: p.from,
        to: p.to,
        unclosed: sum('unclosed'),
        overdue: sum('overdue'),
        waitingOnSupervisor: sum('waitingOnSupervisor'),
        overdueWaitingOnSupervisor: sum('overdueWaitingOnSupervisor'),
        departments,
      });
    },
  };
}
