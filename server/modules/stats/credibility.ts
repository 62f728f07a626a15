// 评价可信度 (docs/domain.md): staff must not steer ratings. Per window (评议码), its stored ratings of a
// period against its department's baseline (the same figures over all the department's windows), and
// three named signals a 督查 reads as leads for a spot-check or a visit — never a verdict, and nothing
// is held because of them.

import * as q from '../../../db/queries/credibility.js';
import {
  CREDIBILITY_SIGNALS,
  type CredibilityQuery,
  type CredibilityResponse,
  type CredibilitySignal,
  type CredibilityWindow,
} from '../../../shared/api/credibility.js';
import type { DepartmentView } from '../../../shared/api/org.js';
import type { Settings } from '../../../shared/api/settings.js';
import { addDays } from '../../../shared/china-time.js';
import type { Actor } from '../auth/actor.js';
import { periodOf, type StatsDeps, scopedDepartments } from './context.js';
import type { Period } from './period.js';

type Thresholds = Settings['credibility'];
type Figures = Pick<
  q.WindowSums,
  'ratings' | 'citizenRatings' | 'flagged' | 'bound' | 'detailed' | 'bareFive' | 'priorRatings' | 'priorBad'
>;

/** Tolerance of the comparisons of shares against thresholds given as decimals (1.5×, 30 points). */
const EPSILON = 1e-9;

const share = (n: number, of: number): number | null => (of === 0 ? null : n / of);

function shareFields(f: Figures) {
  return {
    ratings: f.ratings,
    citizenRatings: f.citizenRatings,
    flagged: f.flagged,
    bound: f.bound,
    detailed: f.detailed,
    bareFive: f.bareFive,
    flaggedShare: share(f.flagged, f.ratings),
    boundShare: share(f.bound, f.ratings),
    detailShare: share(f.detailed, f.ratings),
    bareFiveShare: share(f.bareFive, f.citizenRatings),
  };
}

function emptyFigures(): Figures {
  return { ratings: 0, citizenRatings: 0, flagged: 0, bound: 0, detailed: 0, bareFive: 0, priorRatings: 0, priorBad: 0 };
}

function addFigures(to: Figures, f: Figures): void {
  to.ratings += f.ratings;
  to.citizenRatings += f.citizenRatings;
  to.flagged += f.flagged;
  to.bound += f.bound;
  to.detailed += f.detailed;
  to.bareFive += f.bareFive;
  to.priorRatings += f.priorRatings;
  to.priorBad += f.priorBad;
}

/** The days signal 3 compares: the last `vanishRecentDays` of the period and the `vanishPriorDays` before them. */
function vanishRanges(to: string, t: Thresholds) {
  const recentFrom = addDays(to, -(t.vanishRecentDays - 1));
  const priorTo = addDays(recentFrom, -1);
  return { recentFrom, recentTo: to, priorFrom: addDays(priorTo, -(t.vanishPriorDays - 1)), priorTo };
}

/**
 * 1. Bare 5★ far above the department: enough citizen ratings, and a share of 5★ without reason or
 *    comment at least `bareFivePointsAbove` points above the baseline and `bareFiveTimesBaseline` times it.
 */
function bareFiveSignal(w: Figures, base: Figures, t: Thresholds): boolean {
  if (w.citizenRatings < t.bareFiveMinRatings || base.citizenRatings === 0) return false;
  const mine = w.bareFive / w.citizenRatings;
  const theirs = base.bareFive / base.citizenRatings;
  return mine >= theirs + t.bareFivePointsAbove / 100 - EPSILON && mine >= theirs * t.bareFiveTimesBaseline - EPSILON;
}

/**
 * 3. 差评 vanish: none in the last days over enough citizen ratings, after enough 差评 before them at a
 *    share at least the department's (a window that was not better than the others, suddenly spotless).
 *    Counted ratings, as every 差评率: a 差评 a citizen was talked into replacing by a 追评 is gone too.
 */
function vanishingBadSignal(w: q.WindowSums, base: Figures, t: Thresholds): boolean {
  if (w.recentRatings < t.vanishMinRecent || w.recentBad !== 0 || w.priorBad < t.vanishMinPriorBad) return false;
  // priorBad / priorRatings >= base.priorBad / base.priorRatings, in integers.
  return w.priorBad * base.priorRatings >= base.priorBad * w.priorRatings;
}

/** The windows of one department with their signals, judged by `t` (its county's thresholds). */
async function departmentWindows(
  deps: StatsDeps,
  department: { id: number; name: string },
  p: Period,
  t: Thresholds,
): Promise<CredibilityWindow[]> {
  const ranges = vanishRanges(p.to, t);
  const rows = await q.sumWindows(deps.db, department.id, { ...p, recentFrom: ranges.recentFrom, priorFrom: ranges.priorFrom });
  const quick = new Map<string, { devices: number; ratings: number }>();
  for (const d of await q.quickDevices(deps.db, department.id, p, t.quickSeconds * 1000, t.quickMinMatters)) {
    const found = quick.get(d.codeId) ?? { devices: 0, ratings: 0 };
    found.devices += 1;
    found.ratings += d.ratings;
    quick.set(d.codeId, found);
  }
  // The baseline: the same figures over all the department's windows (a window without a rating in
  // the period included: it has nothing to judge itself, but it was part of the department).
  const base = emptyFigures();
  for (const r of rows) addFigures(base, r);
  const windows: CredibilityWindow[] = [];
  for (const r of rows) {
    if (r.ratings === 0) continue;
    const fast = quick.get(r.codeId) ?? { devices: 0, ratings: 0 };
    const fired: Record<CredibilitySignal, boolean> = {
      bareFive: bareFiveSignal(r, base, t),
      quickRatings: fast.devices > 0,
      vanishingBad: vanishingBadSignal(r, base, t),
    };
    windows.push({
      codeId: r.codeId,
      departmentId: department.id,
      departmentName: department.name,
      location: r.location,
      staffName: r.staffName,
      ...shareFields(r),
      baseline: shareFields(base),
      quick: fast,
      vanish: {
        ...ranges,
        recentRatings: r.recentRatings,
        recentBad: r.recentBad,
        priorRatings: r.priorRatings,
        priorBad: r.priorBad,
        priorBadShare: share(r.priorBad, r.priorRatings),
        baselinePriorBadShare: share(base.priorBad, base.priorRatings),
      },
      signals: CREDIBILITY_SIGNALS.filter((s) => fired[s]),
      thresholds: t,
    });
  }
  return windows;
}

/** Departments read at once on PostgreSQL: under the pool's 10 connections, leaving some to other requests. */
const PG_DEPARTMENTS_AT_ONCE = 4;

export function createCredibility(deps: StatsDeps) {
  return {
    /** GET /api/stats/credibility: the windows of the scope (or a department) with their signals, most first. */
    async credibility(actor: Actor, query: CredibilityQuery): Promise<CredibilityResponse> {
      const p = periodOf(deps, query);
      const windows: CredibilityWindow[] = [];
      // Each department by its own county's thresholds.
      const ofDepartment = async (department: DepartmentView) =>
        departmentWindows(deps, department, p, (await deps.settings.forDepartment(department.id)).credibility);
      const departments = await scopedDepartments(deps, actor, query.departmentId);
      if (deps.db.driver === 'pg') {
        // PostgreSQL runs a statement off the event loop: a few departments at once, on as many of the
        // pool's connections (a province's 400, one after another, waited for 800 round trips).
        for (let at = 0; at < departments.length; at += PG_DEPARTMENTS_AT_ONCE) {
          const part = departments.slice(at, at + PG_DEPARTMENTS_AT_ONCE);
          for (const found of await Promise.all(part.map(ofDepartment))) windows.push(...found);
        }
      } else {
        // One department at a time, the event loop let go between them: these statements read ratings,
        // not rollups (a county's month at 1 M ratings a year is ~60 ms of SQLite), and on SQLite a
        // statement holds the loop while it runs, so the ratings arriving meanwhile wait for one
        // department's read at most, not for the whole county's.
        for (const department of departments) {
          windows.push(...(await ofDepartment(department)));
          await new Promise((resolve) => setImmediate(resolve));
        }
      }

      windows.sort(
        (a, b) => b.signals.length - a.signals.length || b.ratings - a.ratings || (a.codeId < b.codeId ? -1 : a.codeId > b.codeId ? 1 : 0),
      );
      const offset = query.offset ?? 0;
      return {
        ...p,
        total: windows.length,
        withSignals: windows.filter((w) => w.signals.length > 0).length,
        windows: query.limit === undefined ? windows : windows.slice(offset, offset + query.limit),
      };
    },
  };
}
