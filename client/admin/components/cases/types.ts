// Shapes of the cases API as the staff pages use them: the response schemas' types from shared/api,
// imported as types only (erased by the build).
export type {
  AllowedMove,
  CaseDetail,
  CaseEvent,
  CaseList,
  CaseListItem as CaseItem,
} from '../../../../shared/api/cases.js';

/** Date and time in China, whatever the browser's zone. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
