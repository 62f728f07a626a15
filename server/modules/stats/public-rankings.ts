// 公开: the monthly department rankings published to everyone (no login). Department figures only —
// no personal data (no 经办人 either), no comments. Cached per month and unit for a minute: the page is public.
import * as q from '../../../db/queries/stats.js';
import type { PublicRankingsQuery, PublicRankingsResponse } from '../../../shared/api/stats.js';
import { NotFound } from '../../errors.js';
import { rankedDepartments, type StatsDeps, todayOf } from './context.js';
import { monthPeriod } from './period.js';
import { byRankThenSample } from './rankings.js';

const PUBLIC_CACHE_MS = 60_000;
const MAX_CACHED = 64;

export function createPublicRankings(deps: StatsDeps) {
  const { db, clock, settings } = deps;
  const cache = new Map<string, { at: number; value: PublicRankingsResponse }>();

  async function compute(month: string, orgUnitId: number | null): Promise<PublicRankingsResponse> {
    const p = monthPeriod(month);
    const units = await q.listAllOrgUnits(db);
    const unit = orgUnitId === null ? null : units.find((u) => u.id === orgUnitId);
    if (unit === undefined) throw new NotFound('组织单位不存在');
    // The minimum sample of the unit ranked (the platform's for the whole platform).
    const minSample = (await settings.forUnit(orgUnitId)).ranking.minSample;
    const departments = await q.listDepartmentsUnder(db, orgUnitId);
    const ranked = await rankedDepartments(db, departments, p, minSample, todayOf(deps));
    const active = new Set(departments.filter((d) => d.active === 1).map((d) => d.id));
    // 办不成事: counts only, one statement for every department of the month.
    const reports = new Map(
      (
        await q.countOtherWayCasesByDepartment(
          db,
          departments.map((d) => d.id),
          p,
        )
      ).map((r) => [r.departmentId, r]),
    );
    // A disabled department still appears for a month in which it was rated or reported on.
    const shown = ranked.filter((d) => active.has(d.id) || d.total > 0 || (reports.get(d.id)?.reports ?? 0) > 0).sort(byRankThenSample);
    return {
      month,
      ...p,
      minSample,
      orgUnit: unit ? { id: unit.id, name: unit.name } : null,
      orgUnits: units,
      departments: shown.map((d) => ({
        name: d.name,
        orgUnitName: d.orgUnitName,
        total: d.total,
        goodCount: d.goodCount,
        badCount: d.badCount,
        goodRate: d.goodRate,
        badRate: d.badRate,
        score: d.score,
        rank: d.rank,
        insufficient: d.insufficient,
        validBad: d.validBad,
        rectifiedCount: d.validRectified,
        rectifyRate: d.rectifyRate,
        closed: d.closed,
        closedOnTime: d.closedOnTime,
        overdueOpen: d.overdueOpen,
        onTimeRate: d.onTimeRate,
        finishedMatters: d.finishedMatters,
        ratedMatters: d.ratedMatters,
        ratingRate: d.ratingRate,
        activeGoodRate: d.activeGoodRate,
        cannotHandleReports: reports.get(d.id)?.reports ?? 0,
        cannotHandleClosed: reports.get(d.id)?.closed ?? 0,
        cannotHandleSolved: reports.get(d.id)?.solved ?? 0,
      })),
    };
  }

  return {
    /** The month's rankings (the current month when none is given), at most a minute old. */
    async publicRankings(query: PublicRankingsQuery): Promise<PublicRankingsResponse> {
      const month = query.month ?? todayOf(deps).slice(0, 7);
      monthPeriod(month);
      const key = `${month}|${query.orgUnitId ?? ''}`;
      const now = clock.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < PUBLIC_CACHE_MS && now >= hit.at) return hit.value;
      const value = await compute(month, query.orgUnitId ?? null);
      cache.delete(key);
      cache.set(key, { at: now, value });
      // Months are chosen by anyone: keep the cache bounded (oldest entry out first).
      while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
      return value;
    },
  };
}
