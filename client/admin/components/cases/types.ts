// Shapes of the cases API as the staff pages use them: the response schemas' types from shared/api,
// imported as types only (erased by the build).
import { chinaMinute } from '../../../../shared/china-time.js';

export type {
  AllowedMove,
  CaseDetail,
  CaseEvent,
  CaseList,
  CaseListItem as CaseItem,
} from '../../../../shared/api/cases.js';

/**
 * Date and time in China, whatever the browser's zone: 'YYYY-MM-DD HH:mm', the staff app's one way of
 * writing a moment (a day alone is 'YYYY-MM-DD', as the API gives it). The browser's locale wrote
 * 2026/11/26 beside the API's 2026-11-26 on one page.
 */
export function formatTime(ms: number): string {
  return chinaMinute(ms);
}
