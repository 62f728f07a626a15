// Working-day calendar (工作日) on the official Chinese calendar: weekends, public holidays and
// adjusted working days (调休). Deadlines of 差评必查 (contact within 1 working day, close within 15)
// are counted here, on the rating-submission route, so everything is precomputed per year.
//
// Dates are plain `YYYY-MM-DD` strings in China time. Internally a date is its day number (days
// since 1970-01-01) computed with integer arithmetic — never the host's time zone.
//
// Data sources, by precedence for a year:
//   1. 'table'   — an official table loaded by an administrator (the State Council publishes next
//                  year's arrangement in late autumn, after the installed package was released);
//   2. 'package' — the holiday data shipped with `chinese-days`;
//   3. 'none'    — plain weekdays (Mon–Fri working). Callers should warn: deadlines may be early.
//
// We read chinese-days' published JSON (documented in its README) rather than calling its
// `isWorkday`: that function derives the weekday and the lookup key from the host's local time
// zone, so on a server west of UTC it calls Monday 2026-09-28 a day off.
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { civilFromDays, dayString, daysFromCivil, parseDay, weekdayOfDayNumber } from '../../shared/china-time.js';

/** An official holiday arrangement for one year (国务院办公厅关于某年部分节假日安排的通知). */
export type HolidayTable = {
  year: number;
  /** Days off even when they fall on a weekday (YYYY-MM-DD). Weekend entries are allowed and harmless. */
  holidays: string[];
  /** 调休上班日: Saturdays/Sundays that are working days (YYYY-MM-DD). */
  workdays: string[];
  /** Where the table came from, e.g. the gov.cn notice URL or 国办发明电 number. */
  source?: string;
};

export type CalendarSource = 'table' | 'package' | 'none';

export type WorkingCalendar = {
  isWorkingDay(date: string): boolean;
  /** The n-th working day strictly after `date` (n ≥ 0; n = 0 returns `date` itself). */
  addWorkingDays(date: string, n: number): string;
  /** Working days in (from, to]; negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number;
  /** True when a loaded table or the chinese-days package covers `year`. */
  hasOfficialData(year: number): boolean;
  source(year: number): CalendarSource;
};

export type HolidayTableValidation = { ok: true; table: HolidayTable } | { ok: false; errors: string[] };

const MIN_TABLE_YEAR = 2000;
const MAX_TABLE_YEAR = 2100;
const MAX_TABLE_ENTRIES = 366;
const WEEKDAY_CN = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

const yearOfDayNumber = (z: number): number => civilFromDays(z).y;

function dayOf(date: string): number {
  if (typeof date !== 'string') throw new TypeError('日期必须是 YYYY-MM-DD 格式的字符串');
  const parsed = parseDay(date);
  if (parsed === 'format') throw new RangeError(`${date} 不是 YYYY-MM-DD 格式的日期`);
  if (parsed === 'invalid') throw new RangeError(`${date} 不是有效日期`);
  return parsed.day;
}

// ---------------------------------------------------------------------------------------------
// chinese-days data, read once at module load.

type YearOverrides = { holidays: Set<number>; workdays: Set<number> };

function readPackageData(raw: unknown): Map<number, YearOverrides> {
  const byYear = new Map<number, YearOverrides>();
  const fail = (why: string): never => {
    // Loud on purpose: silently falling back to plain weekdays would move every deadline.
    throw new Error(`chinese-days 的节假日数据格式与预期不符（${why}），请检查该依赖的版本`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('不是对象');
  const { holidays, workdays } = raw as { holidays?: unknown; workdays?: unknown };
  const add = (map: unknown, kind: keyof YearOverrides): void => {
    if (typeof map !== 'object' || map === null) {
      fail(`缺少 ${kind}`);
      return;
    }
    for (const key of Object.keys(map)) {
      const parsed = parseDay(key);
      if (typeof parsed === 'string') {
        fail(`无效日期 ${key}`);
        return;
      }
      let year = byYear.get(parsed.y);
      if (!year) {
        year = { holidays: new Set(), workdays: new Set() };
        byYear.set(parsed.y, year);
      }
      year[kind].add(parsed.day);
    }
  };
  add(holidays, 'holidays');
  add(workdays, 'workdays');
  // Every official year has 元旦 at least; a year holding only stray workdays is not "covered".
  for (const [y, o] of byYear) if (o.holidays.size === 0) byYear.delete(y);
  if (byYear.size === 0) return fail('没有任何年份的数据');
  return byYear;
}

const packageYears: ReadonlyMap<number, YearOverrides> = readPackageData(chineseDaysData);

/** Years for which the installed chinese-days carries official data (probed from its JSON at load). */
export const PACKAGE_COVERED_YEARS: readonly number[] = Object.freeze([...packageYears.keys()].sort((a, b) => a - b));

// ---------------------------------------------------------------------------------------------
// Validation of administrator-loaded tables.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks an official holiday table typed in (or uploaded) by an administrator; messages are in Chinese. */
export function validateHolidayTable(input: unknown): HolidayTableValidation {
  const errors: string[] = [];
  if (!isPlainObject(input)) return { ok: false, errors: ['节假日表必须是一个对象（包含 year、holidays、workdays）'] };

  const { year, holidays, workdays, source } = input;
  const yearOk = typeof year === 'number' && Number.isInteger(year) && year >= MIN_TABLE_YEAR && year <= MAX_TABLE_YEAR;
  if (!yearOk) errors.push(`年份（year）必须是 ${MIN_TABLE_YEAR} 至 ${MAX_TABLE_YEAR} 之间的整数`);
  if (source !== undefined && typeof source !== 'string') errors.push('来源（source）必须是文字');

  const lists = [
    { field: 'holidays', label: '放假日期（holidays）', value: holidays },
    { field: 'workdays', label: '调休上班日期（workdays）', value: workdays },
  ] as const;
  const parsedLists: Record<'holidays' | 'workdays', Map<string, number>> = { holidays: new Map(), workdays: new Map() };

  for (const { field, label, value } of lists) {
    if (!Array.isArray(value)) {
      errors.push(`${label}必须是日期列表（数组）`);
      continue;
    }
    if (value.length > MAX_TABLE_ENTRIES) {
      errors.push(`${label}最多 ${MAX_TABLE_ENTRIES} 个日期，实际 ${value.length} 个`);
      continue;
    }
    value.forEach((entry: unknown, i) => {
      if (typeof entry !== 'string') {
        errors.push(`${label}第 ${i + 1} 项不是文字日期（应为 YYYY-MM-DD）`);
        return;
      }
      const parsed = parseDay(entry);
      if (parsed === 'format') {
        errors.push(`${label}第 ${i + 1} 项“${entry}”不是 YYYY-MM-DD 格式的日期`);
        return;
      }
      if (parsed === 'invalid') {
        errors.push(`${entry} 不是有效日期`);
        return;
      }
      if (yearOk && parsed.y !== year) {
        errors.push(`${entry} 不在 ${year} 年内`);
        return;
      }
      if (parsedLists[field].has(entry)) {
        errors.push(`${entry} 在${label}中重复出现`);
        return;
      }
      if (field === 'workdays') {
        const wd = weekdayOfDayNumber(parsed.day);
        if (wd !== 0 && wd !== 6) {
          errors.push(`${entry} 是${WEEKDAY_CN[wd]}，调休上班日必须是周六或周日`);
          return;
        }
      }
      parsedLists[field].set(entry, parsed.day);
    });
  }

  if (Array.isArray(holidays) && holidays.length === 0) {
    // Every official arrangement has at least 元旦; an empty list would mark the year "official"
    // while counting only weekends — almost certainly an incomplete upload.
    errors.push('放假日期（holidays）不能为空');
  }
  for (const date of parsedLists.holidays.keys()) {
    if (parsedLists.workdays.has(date)) errors.push(`${date} 不能同时是放假日和调休上班日`);
  }

  if (errors.length > 0) return { ok: false, errors };
  const table: HolidayTable = {
    year: year as number,
    holidays: [...parsedLists.holidays.keys()].sort(),
    workdays: [...parsedLists.workdays.keys()].sort(),
  };
  if (typeof source === 'string' && source.trim() !== '') table.source = source.trim();
  return { ok: true, table };
}

// ---------------------------------------------------------------------------------------------
// The calendar.

type YearInfo = {
  /** Day number of 1 January. */
  start: number;
  /** 1 = working day, index = day of year (0-based). */
  work: Uint8Array;
  /** prefix[i] = working days among the first i days of the year; prefix[length] = total. */
  prefix: Uint16Array;
};

/**
 * A calendar over the loaded official tables (taking precedence for their year), then chinese-days,
 * then plain weekdays. Immutable: to load a new table, create a new calendar.
 */
export function createWorkingCalendar(tables: readonly HolidayTable[]): WorkingCalendar {
  const tableYears = new Map<number, YearOverrides>();
  for (const input of tables) {
    const result = validateHolidayTable(input);
    if (!result.ok) throw new Error(`节假日表无效：${result.errors.join('；')}`);
    const { table } = result;
    if (tableYears.has(table.year)) throw new Error(`${table.year} 年的节假日表重复提供`);
    tableYears.set(table.year, {
      holidays: new Set(table.holidays.map(dayOf)),
      workdays: new Set(table.workdays.map(dayOf)),
    });
  }

  const years = new Map<number, YearInfo>();

  function yearInfo(y: number): YearInfo {
    let info = years.get(y);
    if (info) return info;
    const start = daysFromCivil(y, 1, 1);
    const length = daysFromCivil(y + 1, 1, 1) - start;
    const overrides = tableYears.get(y) ?? packageYears.get(y);
    const work = new Uint8Array(length);
    const prefix = new Uint16Array(length + 1);
    for (let i = 0; i < length; i++) {
      const day = start + i;
      const wd = weekdayOfDayNumber(day);
      let working = wd !== 0 && wd !== 6;
      if (overrides) {
        if (overrides.workdays.has(day)) working = true;
        else if (overrides.holidays.has(day)) working = false;
      }
      work[i] = working ? 1 : 0;
      prefix[i + 1] = prefix[i] + work[i];
    }
    info = { start, work, prefix };
    years.set(y, info);
    return info;
  }

  /** Working days among the day numbers a..b inclusive (0 when b < a). */
  function countInclusive(a: number, b: number): number {
    let total = 0;
    let day = a;
    while (day <= b) {
      const info = yearInfo(yearOfDayNumber(day));
      const from = day - info.start;
      const to = Math.min(b - info.start, info.work.length - 1);
      total += info.prefix[to + 1] - info.prefix[from];
      day = info.start + info.work.length;
    }
    return total;
  }

  function source(year: number): CalendarSource {
    if (tableYears.has(year)) return 'table';
    if (packageYears.has(year)) return 'package';
    return 'none';
  }

  return {
    isWorkingDay(date) {
      const day = dayOf(date);
      const info = yearInfo(yearOfDayNumber(day));
      return info.work[day - info.start] === 1;
    },

    addWorkingDays(date, n) {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`工作日数必须是非负整数，收到 ${n}`);
      const start = dayOf(date);
      if (n === 0) return date;
      let info = yearInfo(yearOfDayNumber(start));
      let i = start - info.start;
      let remaining = n;
      for (;;) {
        i++;
        if (i === info.work.length) {
          info = yearInfo(yearOfDayNumber(info.start + i));
          i = 0;
        }
        if (info.work[i] === 1 && --remaining === 0) return dayString(info.start + i);
      }
    },

    workingDaysBetween(from, to) {
      const a = dayOf(from);
      const b = dayOf(to);
      if (b >= a) return countInclusive(a + 1, b);
      const back = countInclusive(b + 1, a);
      return back === 0 ? 0 : -back; // never -0: callers compare with Object.is / serialise it
    },

    hasOfficialData(year) {
      return source(year) !== 'none';
    },

    source,
  };
}
