// The scan funnel (issue 3): page opens and submissions per code, so a supervisor can find posters
// that are damaged, hidden or never used. Pure rules here; the figures come from daily_code_stats.
import type { CodeFunnelTotals } from '../../../db/queries/codes.js';
import type { FunnelSeriesT, FunnelViewT } from '../../../shared/api/codes.js';
import { addDays, dayNumber, daysBetween, eachDay, MS_PER_DAY } from '../../../shared/china-time.js';
import type { FunnelAlert } from '../../../shared/domain.js';
import { BadRequest } from '../../errors.js';

/** Window of the recent figures and of the "no opens" alert, in China calendar days (today included). */
export const FUNNEL_WINDOW_DAYS = 30;
/**
 * Opens in the window from which zero submissions is a signal rather than chance: a handful of
 * curious scans without a rating is normal, this many suggests a broken page or a poster that sends
 * people somewhere they cannot rate (wrong code, unreadable print, no signal at that window).
 */
export const OPENS_WITHOUT_SUBMISSIONS_MIN = 5;

/** Longest daily series one request may ask for: a year, leap day included. */
export const FUNNEL_SERIES_MAX_DAYS = 366;

/** First day of the recent window that ends today. */
export function funnelWindowStart(today: string): string {
  return addDays(today, -(FUNNEL_WINDOW_DAYS - 1));
}

/**
 * A code's funnel figures and alert. Disabled codes raise no alert (nobody should scan them), and a
 * code younger than the window has not had the chance to be scanned for 30 days.
 */
export function funnelView(totals: CodeFunnelTotals | undefined, code: { active: boolean; createdAt: number }, now: number): FunnelViewT {
  const t = totals ?? {
    opensRecent: 0,
    submissionsRecent: 0,
    opensTotal: 0,
    submissionsTotal: 0,
    lastOpenDay: null,
    lastSubmissionDay: null,
  };
  const opens30d = Number(t.opensRecent);
  const submissions30d = Number(t.submissionsRecent);
  let alert: FunnelAlert | null = null;
  if (code.active) {
    const oldEnough = now - code.createdAt >= FUNNEL_WINDOW_DAYS * MS_PER_DAY;
    // Ratings prove scans even when the landing page's beacon was lost (old browsers, no signal).
    if (oldEnough && opens30d === 0 && submissions30d === 0) alert = 'no_opens_30d';
    else if (opens30d >= OPENS_WITHOUT_SUBMISSIONS_MIN && submissions30d === 0) alert = 'opens_without_submissions';
  }
  return {
    opens30d,
    submissions30d,
    opensTotal: Number(t.opensTotal),
    submissionsTotal: Number(t.submissionsTotal),
    lastOpenDay: t.lastOpenDay ?? null,
    lastSubmissionDay: t.lastSubmissionDay ?? null,
    alert,
  };
}

/**
 * The days a daily-series request covers: both ends, or the window of the recent figures after `from`
 * or before `to` (before today when neither is given), at most FUNNEL_SERIES_MAX_DAYS long.
 */
export function funnelSeriesRange(range: { from?: string; to?: string }, today: string): { from: string; to: string } {
  for (const d of [range.from, range.to]) if (d !== undefined && dayNumber(d) === null) throw new BadRequest(`${d} 不是有效日期`);
  const to = range.to ?? (range.from ? addDays(range.from, FUNNEL_WINDOW_DAYS - 1) : today);
  const from = range.from ?? funnelWindowStart(to);
  const span = daysBetween(from, to);
  if (span < 0) throw new BadRequest('开始日期不能晚于结束日期');
  if (span >= FUNNEL_SERIES_MAX_DAYS) throw new BadRequest(`查询范围最多 ${FUNNEL_SERIES_MAX_DAYS} 天`);
  return { from, to };
}

/** Every day of the range with its figures: the rollup has rows only for days with an open or a rating. */
export function everyFunnelDay(
  range: { from: string; to: string },
  rows: ReadonlyArray<FunnelSeriesT['days'][number]>,
): FunnelSeriesT['days'] {
  const byDay = new Map(rows.map((d) => [d.day, d]));
  return eachDay(range.from, range.to).map((day) => {
    const d = byDay.get(day);
    return { day, opens: d?.opens ?? 0, submissions: d?.submissions ?? 0 };
  });
}
