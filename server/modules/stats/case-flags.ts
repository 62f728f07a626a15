import type { CaseFlags } from '../../../db/queries/rollups.js';
import type { CaseRow } from '../../../db/queries/cases.js';
import { toChinaDate } from '../calendar/working-days.js';

/**
 * What a bad_rating case counts for in the indicators (DOMAIN.md): 实名差评回访率, 差评整改率,
 * 整改满意率, 按期办结率. Spot checks count for none of them.
 */
export function caseFlags(c: Pick<CaseRow, 'kind' | 'status' | 'anonymous' | 'visitedAt' | 'classification' | 'rectifiedAt' | 'satisfaction' | 'closedAt' | 'dueDate'>): CaseFlags | null {
  if (c.kind !== 'bad_rating') return null;
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
    closedOnTime: closed && c.closedAt != null && toChinaDate(c.closedAt) <= c.dueDate ? 1 : 0,
    open: closed ? 0 : 1,
  };
}
