// The scan funnel (issue 3): page opens and submissions per code, so a supervisor can find posters
// that are damaged, hidden or never used. Pure rules here; the figures come from daily_code_stats.
import type { CodeFunnelTotals } from '../../../db/queries/codes.js';
import { addDays, MS_PER_DAY } from '../../../shared/china-time.js';
import type { FunnelAlert } from '../../../shared/domain.js';

export type { FunnelAlert };

/** Window of the recent figures and of the "no opens" alert, in China calendar days (today included). */
export const FUNNEL_WINDOW_DAYS = 30;
/**
 * Opens in the window from which zero submissions is a signal rather than chance: a handful of
 * curious scans without a rating is normal, this many suggests a broken page or a poster that sends
 * people somewhere they cannot rate (wrong code, unreadable print, no signal at that window).
 */
export const OPENS_WITHOUT_SUBMISSIONS_MIN = 5;

export interface FunnelView {
  opens30d: number;
  submissions30d: number;
  opensTotal: number;
  submissionsTotal: number;
  lastOpenDay: string | null;
  lastSubmissionDay: string | null;
  alert: FunnelAlert | null;
}

/** First day of the recent window that ends today. */
export function funnelWindowStart(today: string): string {
  return addDays(today, -(FUNNEL_WINDOW_DAYS - 1));
}

/**
 * A code's funnel figures and alert. Disabled codes raise no alert (nobody should scan them), and a
 * code younger than the window has not had the chance to be scanned for 30 days.
 */
export function funnelView(
  totals: CodeFunnelTotals | undefined,
  code: { active: boolean; createdAt: number },
  now: number,
): FunnelView {
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
