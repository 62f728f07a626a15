// Shapes of the cases API as the staff pages use them: the server's view types, imported as types
// only (erased by the build, so no server code reaches the browser).
import type { CaseDetail, CaseListItem } from '../../../../server/modules/cases/case-views.js';
export type { AllowedMove, FieldSpec } from '../../../../server/modules/cases/workflow.js';
export type { CaseDetail, EventView as CaseEvent } from '../../../../server/modules/cases/case-views.js';
export type CaseItem = CaseListItem;

export interface CaseList {
  cases: CaseItem[];
  total: number;
}

/** Date and time in China, whatever the browser's zone. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
