// Formatting and period helpers of the statistics pages (China calendar days, like the server).
import { addDays, chinaDay, daysBetween } from '../../../../shared/china-time.js';
import { BASE } from '../../router.js';

export type Rate = number | null;

export function pct(r: Rate, digits = 1): string {
  return r === null || r === undefined ? '—' : `${(r * 100).toFixed(digits)}%`;
}

export function score(s: number | null): string {
  return s === null || s === undefined ? '—' : s.toFixed(1);
}

export function int(n: number): string {
  return n.toLocaleString('zh-CN');
}

/** Today in China (UTC+8), 'YYYY-MM-DD'. */
export function chinaToday(now = Date.now()): string {
  return chinaDay(now);
}

export type Range = {
  from: string;
  to: string;
};

export function presets(today = chinaToday()): { label: string; range: Range }[] {
  const month = today.slice(0, 7);
  const firstOfMonth = `${month}-01`;
  const lastMonthEnd = addDays(firstOfMonth, -1);
  return [
    { label: '近7天', range: { from: addDays(today, -6), to: today } },
    { label: '近30天', range: { from: addDays(today, -29), to: today } },
    { label: '本月', range: { from: firstOfMonth, to: today } },
    { label: '上月', range: { from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd } },
  ];
}

/** The period of a page: from the URL, else the last 30 days. */
export function rangeFrom(query: URLSearchParams): Range {
  const today = chinaToday();
  const ok = (s: string | null) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null);
  return { from: ok(query.get('from')) ?? addDays(today, -29), to: ok(query.get('to')) ?? today };
}

export function qs(params: { [k: string]: string | number | boolean | undefined | null }): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') out.set(k, String(v));
  return out.toString();
}

/** Link to the ratings behind a figure (the /ratings page). */
export function ratingsLink(
  range: Range,
  filter: { departmentId?: number; codeId?: string; score?: number; kind?: 'good' | 'bad'; realName?: boolean } = {},
): string {
  return `${BASE}/ratings?${qs({ ...range, ...filter })}`;
}

/** A department's 办件 by 经办人 or by 事项 (the 办件评价 page). */
export function mattersLink(range: Range, departmentId: number, view: 'staff' | 'tasks' = 'staff'): string {
  return `${BASE}/matter-figures?${qs({ ...range, departmentId, view })}`;
}

/** What the figures mean, in a sentence each (docs/domain.md §6): tooltips and the legend under the tiles. */
export const FIGURE_HINTS = {
  goodRate: '好评率：（非常满意 + 满意 + 基本满意）/ 评价数，含系统默认评价',
  activeGoodRate: '主动评价好评率：群众主动评价中的好评占比，不含系统默认评价',
  ratingRate: '评价率：区间内办结的办件中，群众评价过的占比（按办结日期计）；未评价率 = 1 − 评价率',
} as const;

/** Number of days of a period, inclusive. */
export function spanDays(r: Range): number {
  return daysBetween(r.from, r.to) + 1;
}
