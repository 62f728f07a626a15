// Periods of the statistics: China calendar days 'YYYY-MM-DD', inclusive at both ends. Rollups are
// keyed by the China day of the rating, so a period is just a range of day strings.

import type { Granularity } from '../../../shared/api/stats.js';
import { addDays, dayNumber, weekdayOf as sundayFirstWeekdayOf } from '../../../shared/china-time.js';
import { BadRequest } from '../../errors.js';

const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;

export interface Period {
  from: string;
  to: string;
}

/**
 * The period asked for: both ends valid days, from ≤ to, at most 366 days; by default the last 30
 * days up to today (China time). A missing end is filled from the other one.
 */
export function resolvePeriod(q: { from?: string; to?: string }, today: string): Period {
  if (q.from !== undefined && dayNumber(q.from) === null) throw new BadRequest(`起始日期 ${q.from} 不是有效日期`, 'InvalidRange');
  if (q.to !== undefined && dayNumber(q.to) === null) throw new BadRequest(`截止日期 ${q.to} 不是有效日期`, 'InvalidRange');
  const to = q.to ?? (q.from ? minDay(addDays(q.from, DEFAULT_RANGE_DAYS - 1), today, q.from) : today);
  const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const f = dayNumber(from);
  const t = dayNumber(to);
  if (f === null) throw new BadRequest(`起始日期 ${from} 不是有效日期`, 'InvalidRange');
  if (t === null) throw new BadRequest(`截止日期 ${to} 不是有效日期`, 'InvalidRange');
  if (f > t) throw new BadRequest('起始日期不能晚于截止日期', 'InvalidRange');
  if (t - f + 1 > MAX_RANGE_DAYS) throw new BadRequest(`统计区间最长 ${MAX_RANGE_DAYS} 天`, 'InvalidRange');
  return { from, to };
}

/** The earlier of a and b, but never before `floor` (a period asked from a future day stays valid). */
function minDay(a: string, b: string, floor: string): string {
  const m = a < b ? a : b;
  return m < floor ? floor : m;
}

/** 'YYYY-MM' → its first and last day. */
export function monthPeriod(month: string): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  if (!m || mo < 1 || mo > 12 || y < 2000 || y > 2100) throw new BadRequest(`${month} 不是有效月份（YYYY-MM）`, 'InvalidMonth');
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { from: `${m[1]}-${m[2]}-01`, to: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}` };
}

/** Weekday of a day, 0 = Monday … 6 = Sunday (Chinese weeks start on Monday). */
export function weekdayOf(day: string): number {
  return (sundayFirstWeekdayOf(day) + 6) % 7;
}

/** First day of the bucket holding `day`, clipped to the period's start. */
export function bucketStart(day: string, granularity: Granularity, periodFrom: string): string {
  let start = day;
  if (granularity === 'week') start = addDays(day, -weekdayOf(day));
  else if (granularity === 'month') start = `${day.slice(0, 7)}-01`;
  return start < periodFrom ? periodFrom : start;
}

/** Every bucket of a period, in order, each with its inclusive first and last day. */
export function buckets(p: Period, granularity: Granularity): Period[] {
  const out: Period[] = [];
  let cur = p.from;
  while (cur <= p.to) {
    let end: string;
    if (granularity === 'day') end = cur;
    else if (granularity === 'week') end = addDays(cur, 6 - weekdayOf(cur));
    else end = monthPeriod(cur.slice(0, 7)).to;
    if (end > p.to) end = p.to;
    out.push({ from: cur, to: end });
    cur = addDays(end, 1);
  }
  return out;
}
