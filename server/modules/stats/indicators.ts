// The indicators of docs/domain.md ("Indicators"), computed in ONE place from rollup sums. The dashboard,
// the rankings, the exports and the public page all call these functions.
import { CASE_FLAG_KEYS, type CaseFlags, MATTER_COUNTS, type MatterDayCounts, type RatingSums } from '../../../db/queries/rollups.js';
import type { CaseIndicators, Indicators, MatterFigures, RatingIndicators, ScoreKey } from '../../../shared/api/stats.js';

/** Counted (not excluded) ratings by score, and how many of them left a phone number (实名). */
export type RatingCounts = Pick<RatingSums, 's1' | 's2' | 's3' | 's4' | 's5' | 'realName'>;

/**
 * The 办件 counters beside them: counted default ratings (and the good ones), by rating day; finished
 * 办件 and those a citizen rated, by the day the 办件 finished.
 */
export type MatterCounts = Pick<RatingSums, 'defaults' | 'defaultGood' | 'finishedMatters' | 'ratedMatters'>;

/** Ratings held for review: counted in no figure, and every view of figures says how many. */
type HeldCounts = Pick<RatingSums, 'held'>;

/** What every rating figure of a department, unit, day or code is computed from. */
export type FigureCounts = RatingCounts & MatterCounts & HeldCounts;

export type CaseCounts = CaseFlags;

/** n / d, or null when there is nothing to divide by (never NaN). */
export function ratio(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

export function emptyFigureCounts(): FigureCounts {
  return { s1: 0, s2: 0, s3: 0, s4: 0, s5: 0, realName: 0, defaults: 0, defaultGood: 0, finishedMatters: 0, ratedMatters: 0, held: 0 };
}

export function emptyCaseCounts(): CaseCounts {
  return {
    cases: 0,
    realName: 0,
    realNameVisited: 0,
    valid: 0,
    validRectified: 0,
    answered: 0,
    answeredSatisfied: 0,
    closed: 0,
    closedOnTime: 0,
    open: 0,
  };
}

/** Adds `b` into `a` (organisation units and buckets are sums of departments and days). */
export function addRatingCounts(a: RatingCounts, b: RatingCounts): RatingCounts {
  a.s1 += b.s1;
  a.s2 += b.s2;
  a.s3 += b.s3;
  a.s4 += b.s4;
  a.s5 += b.s5;
  a.realName += b.realName;
  return a;
}

export function addFigureCounts(a: FigureCounts, b: FigureCounts): FigureCounts {
  addRatingCounts(a, b);
  a.defaults += b.defaults;
  a.defaultGood += b.defaultGood;
  a.finishedMatters += b.finishedMatters;
  a.ratedMatters += b.ratedMatters;
  a.held += b.held;
  return a;
}

export function addCaseCounts(a: CaseCounts, b: CaseCounts): CaseCounts {
  for (const k of CASE_FLAG_KEYS) a[k] += b[k];
  return a;
}

/** The single figures of counted ratings: what a row shows besides its levels, and what a list sorts by. */
export type RatingFigures = Omit<RatingIndicators, 'byScore' | 'shares'>;

export function ratingFigures(c: FigureCounts): RatingFigures {
  const total = c.s1 + c.s2 + c.s3 + c.s4 + c.s5;
  const goodCount = c.s3 + c.s4 + c.s5;
  const badCount = c.s1 + c.s2;
  const sum = c.s1 + 2 * c.s2 + 3 * c.s3 + 4 * c.s4 + 5 * c.s5;
  return {
    total,
    goodCount,
    badCount,
    realNameCount: c.realName,
    goodRate: ratio(goodCount, total),
    badRate: ratio(badCount, total),
    // Computed as sum × 20 / total (not mean × 20) so integer averages stay exact in floating point.
    score: total > 0 ? (sum * 20) / total : null,
    finishedMatters: c.finishedMatters,
    ratedMatters: c.ratedMatters,
    ratingRate: ratio(c.ratedMatters, c.finishedMatters),
    defaults: c.defaults,
    // Citizen ratings only: the system's default ratings are counted in 好评率 but never here.
    activeGoodRate: ratio(goodCount - c.defaultGood, total - c.defaults),
    held: c.held,
  };
}

export function ratingIndicators(c: FigureCounts): RatingIndicators {
  const f = ratingFigures(c);
  const byScore: Record<ScoreKey, number> = { '1': c.s1, '2': c.s2, '3': c.s3, '4': c.s4, '5': c.s5 };
  // A literal rather than Object.fromEntries: this runs for every code of a county on each request.
  const shares: Record<ScoreKey, number | null> = {
    '1': ratio(c.s1, f.total),
    '2': ratio(c.s2, f.total),
    '3': ratio(c.s3, f.total),
    '4': ratio(c.s4, f.total),
    '5': ratio(c.s5, f.total),
  };
  return {
    total: f.total,
    byScore,
    shares,
    goodCount: f.goodCount,
    badCount: f.badCount,
    realNameCount: f.realNameCount,
    goodRate: f.goodRate,
    badRate: f.badRate,
    score: f.score,
    finishedMatters: f.finishedMatters,
    ratedMatters: f.ratedMatters,
    ratingRate: f.ratingRate,
    defaults: f.defaults,
    activeGoodRate: f.activeGoodRate,
    held: f.held,
  };
}

/** A 经办人's or 事项's sums of daily_matter_stats: 办件 finished, rated, defaulted, and their ratings by level. */
export type MatterSums = MatterDayCounts;

export function addMatterSums(a: MatterSums, b: MatterSums): MatterSums {
  for (const k of MATTER_COUNTS) a[k] += b[k];
  return a;
}

/** The figures of the per-经办人 and per-事项 views (their ratings are citizens' only: defaults apart). */
export function matterFigures(m: MatterSums): MatterFigures {
  const citizenRatings = m.s1 + m.s2 + m.s3 + m.s4 + m.s5;
  const goodCount = m.s3 + m.s4 + m.s5;
  return {
    finishedMatters: m.finished,
    ratedMatters: m.rated,
    ratingRate: ratio(m.rated, m.finished),
    citizenRatings,
    byScore: { '1': m.s1, '2': m.s2, '3': m.s3, '4': m.s4, '5': m.s5 },
    goodCount,
    badCount: m.s1 + m.s2,
    activeGoodRate: ratio(goodCount, citizenRatings),
    defaults: m.defaults,
  };
}

/**
 * `overdueOpen`: the period's 差评 cases still open and past their deadline today (not a rollup: it
 * changes with the date). 按期办结率 counts them as late (docs/domain.md, Indicators): a county that
 * closes few cases on time and leaves the rest overdue does not get 100 %.
 */
export function caseIndicators(c: CaseCounts, overdueOpen: number): CaseIndicators {
  return {
    cases: c.cases,
    openCases: c.open,
    realNameBad: c.realName,
    realNameBadVisited: c.realNameVisited,
    visitRate: ratio(c.realNameVisited, c.realName),
    validBad: c.valid,
    validRectified: c.validRectified,
    rectifyRate: ratio(c.validRectified, c.valid),
    answered: c.answered,
    answeredSatisfied: c.answeredSatisfied,
    satisfactionRate: ratio(c.answeredSatisfied, c.answered),
    closed: c.closed,
    closedOnTime: c.closedOnTime,
    overdueOpen,
    onTimeRate: ratio(c.closedOnTime, c.closed + overdueOpen),
  };
}

/**
 * Both sets in one object literal. Spreading one object into another made V8 build each department's
 * and code's indicators property by property (about 10 KB of garbage each): the dashboards of a county
 * then collected garbage every few requests.
 */
export function indicators(r: FigureCounts, c: CaseCounts, overdueOpen: number): Indicators {
  const ri = ratingIndicators(r);
  const ci = caseIndicators(c, overdueOpen);
  return {
    total: ri.total,
    byScore: ri.byScore,
    shares: ri.shares,
    goodCount: ri.goodCount,
    badCount: ri.badCount,
    realNameCount: ri.realNameCount,
    goodRate: ri.goodRate,
    badRate: ri.badRate,
    score: ri.score,
    finishedMatters: ri.finishedMatters,
    ratedMatters: ri.ratedMatters,
    ratingRate: ri.ratingRate,
    defaults: ri.defaults,
    activeGoodRate: ri.activeGoodRate,
    held: ri.held,
    cases: ci.cases,
    openCases: ci.openCases,
    realNameBad: ci.realNameBad,
    realNameBadVisited: ci.realNameBadVisited,
    visitRate: ci.visitRate,
    validBad: ci.validBad,
    validRectified: ci.validRectified,
    rectifyRate: ci.rectifyRate,
    answered: ci.answered,
    answeredSatisfied: ci.answeredSatisfied,
    satisfactionRate: ci.satisfactionRate,
    closed: ci.closed,
    closedOnTime: ci.closedOnTime,
    overdueOpen: ci.overdueOpen,
    onTimeRate: ci.onTimeRate,
  };
}
