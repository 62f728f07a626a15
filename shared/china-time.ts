// China time, in one place. Every day, hour and month of the domain (deadlines, rollup keys, the
// heat map's hour, report periods) is the wall clock of Asia/Shanghai: UTC+8 all year, no DST since
// 1991. Never the host's time zone: servers run in UTC and phones anywhere.
//
// Dates are plain 'YYYY-MM-DD' strings; internally a date is its day number (days since 1970-01-01)
// computed with integer arithmetic (H. Hinnant's days_from_civil / civil_from_days).

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai's offset from UTC. */
export const CHINA_OFFSET_MS = 8 * MS_PER_HOUR;

/** Day number (days since 1970-01-01) of a civil date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date of a day number. */
export function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719_468;
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 'YYYY-MM-DD' of a day number. */
export function dayString(z: number): string {
  const { y, m, d } = civilFromDays(z);
  if (y < 1 || y > 9999) throw new RangeError(`日期超出可表示范围（第 ${z} 天）`);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export type ParsedDay = { y: number; m: number; d: number; day: number };

/**
 * Strict 'YYYY-MM-DD' parser without regexes or Date (it runs on every deadline computation):
 * 'format' when the text is not of that shape, 'invalid' when it names no day (2026-02-30).
 */
export function parseDay(s: string): ParsedDay | 'format' | 'invalid' {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return 'format';
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return 'format';
    if (i < 4) y = y * 10 + c;
    else if (i < 7) m = m * 10 + c;
    else d = d * 10 + c;
  }
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return 'invalid';
  return { y, m, d, day: daysFromCivil(y, m, d) };
}

/** Day number of a valid 'YYYY-MM-DD', or null (2026-02-30 is not a day). */
export function dayNumber(s: string): number | null {
  const p = parseDay(s);
  return typeof p === 'string' ? null : p.day;
}

function requireDayNumber(s: string): number {
  const n = dayNumber(s);
  if (n === null) throw new RangeError(`日期 ${s} 不是有效日期`);
  return n;
}

/** 'YYYY-MM-DD' plus `n` calendar days (n may be negative). Throws RangeError on an invalid day. */
export function addDays(day: string, n: number): string {
  return dayString(requireDayNumber(day) + n);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return requireDayNumber(to) - requireDayNumber(from);
}

/** Every day from `from` to `to`, both included (none when `to` is earlier). */
export function eachDay(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, daysBetween(from, to) + 1) }, (_, i) => addDays(from, i));
}

/** 0 = Sunday … 6 = Saturday, of a day number (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(z: number): number {
  return (((z + 4) % 7) + 7) % 7;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return weekdayOfDayNumber(requireDayNumber(day));
}

/** The China day number of a timestamp. */
export function chinaDayNumber(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / MS_PER_DAY);
}

/** 'YYYY-MM-DD' in China of a timestamp in ms. */
export function chinaDay(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`无效的时间戳：${ms}`);
  return dayString(chinaDayNumber(ms));
}

/** 'YYYY-MM' in China of a timestamp in ms. */
export function chinaMonth(ms: number): string {
  return chinaDay(ms).slice(0, 7);
}

/**
 * The hour 0–23 in China of a timestamp in ms. The rollups' hour columns are written from this and
 * recounted in SQL from `chinaHourSql`: both use the same constants, so they agree.
 */
export function chinaHour(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / MS_PER_HOUR) % 24;
}

/** The SQL twin of `chinaHour` for an integer ms column (integer division in SQLite and PostgreSQL). */
export function chinaHourSql(msColumn: string): string {
  return `((${msColumn} + ${CHINA_OFFSET_MS}) / ${MS_PER_HOUR}) % 24`;
}

/** 'YYYY-MM-DD HH:mm:ss' in China of a timestamp in ms (exports, timelines). */
export function chinaDateTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** 'YYYY-MM-DD HH:mm' in China of a timestamp in ms. */
export function chinaMinute(ms: number): string {
  return chinaDateTime(ms).slice(0, 16);
}

/** 'YYYY-MM-DD' → '11月27日', a day as the citizen reads it (the page, the receipt's promise). */
export function monthDay(day: string): string {
  return `${+day.slice(5, 7)}月${+day.slice(8)}日`;
}

/** 'YYYY-MM' plus `n` months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}`;
}
