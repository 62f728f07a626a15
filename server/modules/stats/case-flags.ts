import type { CaseFlags, CaseForRollup } from '../../../db/queries/rollups.js';
import { chinaDay } from '../../../shared/china-time.js';

/**
 * What a bad_rating case counts for in the indicators (docs/domain.md): 实名差评回访率, 差评整改率,
 * 整改满意率, 按期办结率. Spot checks count for none of them.
 *
 * A case closed as 误评/恶意差评 is an approved appeal: its rating was excluded from the statistics
 * by that recorded decision ("counted" = not excluded), so the case leaves every case indicator too.
 * (A rejected appeal turns the classification back to valid, so only an approval ends this way.)
 * That keeps `cases` equal to the period's counted 差评.
 */
export function caseFlags(c: Omit<CaseForRollup, 'departmentId' | 'ratingDay'>): CaseFlags | null {
  if (c.kind !== 'bad_rating') return null;
  if (c.status === 'closed' && (c.classification === 'mistaken' || c.classification === 'malicious')) return null;
  const realName = c.anonymous ? 0 : 1;
  const valid = c.classification === 'valid' ? 1 : 0;
  const answered = c.satisfaction != null ? 1 : 0;
  const closed = c.status === 'closed' ? 1 : 0;
  return {
    cases: 1,
    realName,
    realNameVisited: realName && c.visitedAt != null ? 1 : 0,
    valid,
    validRectified: valid && c.rectifiedAt != null ? 1 : 0,
    answered,
    answeredSatisfied: c.satisfaction === 'satisfied' || c.satisfaction === 'basic' ? 1 : 0,
    closed,
    closedOnTime: closed && c.closedAt != null && chinaDay(c.closedAt) <= c.dueDate ? 1 : 0,
    open: closed ? 0 : 1,
  };
}
