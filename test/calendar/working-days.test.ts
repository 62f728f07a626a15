import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isWorkday as packageIsWorkday } from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HolidayTable } from '../../server/lib/working-days.js';
import { createWorkingCalendar, PACKAGE_COVERED_YEARS, validateHolidayTable } from '../../server/lib/working-days.js';
import { chinaDay } from '../../shared/china-time.js';

// A plausible but FICTIONAL 2027 table (the real one is published by the State Council in late 2026).
// 2027-10-01 is a Friday; 2027-09-26 is a Sunday and 2027-10-09 a Saturday (调休上班).
const fictional2027: HolidayTable = {
  year: 2027,
  holidays: ['2027-01-01', '2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'],
  workdays: ['2027-09-26', '2027-10-09'],
  source: '测试用虚构数据',
};

const calendar = createWorkingCalendar([]);
const modulePath = fileURLToPath(new URL('../../server/lib/working-days.ts', import.meta.url));
const chinaTimePath = fileURLToPath(new URL('../../shared/china-time.ts', import.meta.url));

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

describe('差评必查 deadlines on the official calendar (chinese-days data)', () => {
  it('15 working days after 2026-09-28 is 2026-10-23 (国庆 10-01..07 off, 10-10 Saturday worked)', () => {
    expect(calendar.addWorkingDays('2026-09-28', 15)).toBe('2026-10-23');
    expect(calendar.workingDaysBetween('2026-09-28', '2026-10-23')).toBe(15);
    expect(calendar.workingDaysBetween('2026-09-28', '2026-10-22')).toBe(14);
  });

  it('contact deadline of a rating given on the eve of 国庆 is the first day back', () => {
    // 2026-09-30 (Wed); 10-01..10-07 are off; 10-08 (Thu) is the next working day.
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
  });

  it('counts around Spring Festival 2026', () => {
    // Official 2026 arrangement: 春节 2026-02-15 (Sun) .. 02-23 (Mon) off; 02-14 (Sat) and 02-28 (Sat)
    // are working days. From Thursday 2026-02-12:
    //   02-13 Fri = 1, 02-14 Sat (调休) = 2, 02-15..02-23 off, 02-24 Tue = 3, 02-25 = 4, 02-26 = 5,
    //   02-27 Fri = 6, 02-28 Sat (调休) = 7, 03-02..03-06 = 8..12, 03-09 = 13, 03-10 = 14, 03-11 = 15.
    expect(calendar.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    expect(calendar.addWorkingDays('2026-02-12', 15)).toBe('2026-03-11');
    // A rating given on the 调休 Saturday itself: the day does not count; the next working day is 02-24.
    expect(calendar.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23']) {
      expect(calendar.isWorkingDay(d), d).toBe(false);
    }
  });

  it('a 调休 weekend day counts as a working day; an ordinary weekend does not', () => {
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday, 春节 调休
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 国庆 调休
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday, 国庆 调休
    expect(calendar.isWorkingDay('2026-10-17')).toBe(false); // ordinary Saturday
    expect(calendar.isWorkingDay('2026-10-05')).toBe(false); // Monday in the 国庆 holiday
    expect(calendar.isWorkingDay('2026-09-29')).toBe(true); // ordinary Tuesday
    // 10-09 (Fri) → 10-10 (Sat, 调休) is the very next working day.
    expect(calendar.addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
  });

  it('the rating day itself never counts, whatever it is; n = 0 returns the date', () => {
    expect(calendar.addWorkingDays('2026-09-29', 1)).toBe('2026-09-30'); // from a working day
    expect(calendar.addWorkingDays('2026-10-03', 1)).toBe('2026-10-08'); // from a holiday
    expect(calendar.addWorkingDays('2026-10-03', 0)).toBe('2026-10-03');
    expect(calendar.workingDaysBetween('2026-09-29', '2026-09-29')).toBe(0);
  });

  // chinese-days builds its in-memory tables with local-time Date arithmetic, so west of UTC its
  // isWorkday is off by a day (it calls Sunday 2026-01-04 a day off and Saturday 01-03 a working
  // day in America/Los_Angeles). Its published JSON, which the module reads, is not affected.
  const hostWestOfUtc = new Date(2026, 0, 1).getTimezoneOffset() > 0;
  it.skipIf(hostWestOfUtc)('agrees with chinese-days isWorkday on every day 2004–2026', () => {
    // A local-noon Date keeps the package's own day lookup on the intended date.
    const start = Date.UTC(2004, 0, 1);
    const end = Date.UTC(2026, 11, 31);
    const mismatches: string[] = [];
    for (let ms = start; ms <= end; ms += 86_400_000) {
      const d = new Date(ms);
      const localNoon = new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 12);
      const date = isoDay(ms);
      if (calendar.isWorkingDay(date) !== packageIsWorkday(localNoon)) mismatches.push(date);
    }
    expect(mismatches).toEqual([]);
  });

  it('gives the same answers whatever the host time zone is', () => {
    const script = [
      `const m = { ...(await import(${JSON.stringify(modulePath)})), ...(await import(${JSON.stringify(chinaTimePath)})) };`,
      'const c = m.createWorkingCalendar([]);',
      "console.log(JSON.stringify([c.addWorkingDays('2026-09-28', 15), c.isWorkingDay('2026-01-03'),",
      "  c.isWorkingDay('2026-01-04'), m.chinaDay(Date.parse('2026-09-30T16:30:00Z'))]));",
    ].join('\n');
    for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(JSON.parse(out), tz).toEqual(['2026-10-23', false, true, '2026-10-01']);
    }
  });

  it('rejects malformed dates and counts', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow('2026-02-30 不是有效日期');
    expect(() => calendar.addWorkingDays('2026/09/28', 1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-09-28', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-09-28', 1.5)).toThrow(RangeError);
    expect(() => calendar.workingDaysBetween('2026-09-28', '')).toThrow(RangeError);
  });
});

describe('official data coverage and loaded tables', () => {
  it('reports package coverage probed from its data, including 2026 but not 2027', () => {
    expect(PACKAGE_COVERED_YEARS).toContain(2004);
    expect(PACKAGE_COVERED_YEARS).toContain(2026);
    expect(PACKAGE_COVERED_YEARS).not.toContain(2027);
    expect(calendar.hasOfficialData(2026)).toBe(true);
    expect(calendar.source(2026)).toBe('package');
    expect(calendar.hasOfficialData(2027)).toBe(false);
    expect(calendar.source(2027)).toBe('none');
    expect(calendar.hasOfficialData(1999)).toBe(false);
  });

  it('hasOfficialData(2027) becomes true once a 2027 table is loaded', () => {
    const loaded = createWorkingCalendar([fictional2027]);
    expect(loaded.hasOfficialData(2027)).toBe(true);
    expect(loaded.source(2027)).toBe('table');
    expect(loaded.source(2026)).toBe('package');
  });

  it('a loaded 2027 table changes deadlines versus plain weekdays', () => {
    const loaded = createWorkingCalendar([fictional2027]);
    // Plain weekdays from Thu 2027-09-30: 10-01 Fri = 1, 10-04 Mon = 2, 10-05 = 3.
    expect(calendar.addWorkingDays('2027-09-30', 3)).toBe('2027-10-05');
    // With the table: 10-01..07 off, 10-08 Fri = 1, 10-09 Sat (调休) = 2, 10-11 Mon = 3.
    expect(loaded.addWorkingDays('2027-09-30', 3)).toBe('2027-10-11');
    expect(loaded.isWorkingDay('2027-09-26')).toBe(true);
    expect(calendar.isWorkingDay('2027-09-26')).toBe(false);
    // Crossing the year end into 2027: 2027-01-01 (Fri) is a holiday only with the table.
    expect(calendar.addWorkingDays('2026-12-30', 3)).toBe('2027-01-04');
    expect(loaded.addWorkingDays('2026-12-30', 3)).toBe('2027-01-05');
    expect(loaded.workingDaysBetween('2026-12-30', '2027-01-05')).toBe(3);
  });

  it('a loaded table takes precedence over the package for its year', () => {
    // Pretend a correction for 2026 moved nothing but 国庆: 10-08 becomes a holiday too.
    const correction: HolidayTable = {
      year: 2026,
      holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08'],
      workdays: [],
    };
    const loaded = createWorkingCalendar([correction]);
    expect(loaded.source(2026)).toBe('table');
    expect(loaded.isWorkingDay('2026-10-08')).toBe(false);
    // The package's 调休 Saturday is not in the table, so it is an ordinary Saturday now.
    expect(loaded.isWorkingDay('2026-10-10')).toBe(false);
    // And the package's 春节 is gone: 2026-02-16 is a plain Monday.
    expect(loaded.isWorkingDay('2026-02-16')).toBe(true);
  });

  it('refuses invalid or duplicate tables at construction', () => {
    expect(() => createWorkingCalendar([{ ...fictional2027, holidays: ['2027-02-30'] }])).toThrow('2027-02-30 不是有效日期');
    expect(() => createWorkingCalendar([fictional2027, fictional2027])).toThrow('2027 年的节假日表重复提供');
  });
});

describe('validateHolidayTable', () => {
  const errorsOf = (input: unknown): string[] => {
    const result = validateHolidayTable(input);
    expect(result.ok).toBe(false);
    return result.ok ? [] : result.errors;
  };

  it('accepts a well-formed table and returns a clean, sorted copy', () => {
    const result = validateHolidayTable({
      year: 2027,
      holidays: ['2027-10-02', '2027-10-01', '2027-10-03'], // 10-02, 10-03 are a weekend: harmless
      workdays: ['2027-10-09'],
      source: '  国办发明电〔2026〕X号  ',
      extra: 'ignored',
    });
    expect(result).toEqual({
      ok: true,
      table: {
        year: 2027,
        holidays: ['2027-10-01', '2027-10-02', '2027-10-03'],
        workdays: ['2027-10-09'],
        source: '国办发明电〔2026〕X号',
      },
    });
  });

  it('rejects impossible dates', () => {
    expect(errorsOf({ year: 2027, holidays: ['2027-02-30'], workdays: [] })).toContain('2027-02-30 不是有效日期');
    expect(errorsOf({ year: 2027, holidays: ['2027-13-01'], workdays: [] })).toContain('2027-13-01 不是有效日期');
    expect(errorsOf({ year: 2027, holidays: ['2027-1-1'], workdays: [] })[0]).toMatch(/不是 YYYY-MM-DD 格式/);
    expect(errorsOf({ year: 2027, holidays: [20270101], workdays: [] })[0]).toMatch(/不是文字日期/);
  });

  it('rejects dates outside the table year', () => {
    expect(errorsOf({ year: 2027, holidays: ['2026-12-31', '2027-01-01'], workdays: [] })).toEqual(['2026-12-31 不在 2027 年内']);
  });

  it('rejects a date that is both a holiday and a 调休 workday', () => {
    expect(errorsOf({ year: 2027, holidays: ['2027-10-09'], workdays: ['2027-10-09'] })).toEqual([
      '2027-10-09 不能同时是放假日和调休上班日',
    ]);
  });

  it('rejects 调休 workdays that are not Saturdays or Sundays', () => {
    expect(errorsOf({ year: 2027, holidays: ['2027-10-01'], workdays: ['2027-10-11'] })).toEqual([
      '2027-10-11 是星期一，调休上班日必须是周六或周日',
    ]);
  });

  it('rejects non-arrays, non-objects, bad years, oversize and duplicate lists', () => {
    expect(errorsOf(null)[0]).toMatch(/必须是一个对象/);
    expect(errorsOf([])[0]).toMatch(/必须是一个对象/);
    expect(errorsOf({ year: 2027, holidays: '2027-10-01', workdays: [] })).toContain('放假日期（holidays）必须是日期列表（数组）');
    expect(errorsOf({ year: 2027, holidays: ['2027-10-01'] })).toContain('调休上班日期（workdays）必须是日期列表（数组）');
    expect(errorsOf({ year: 1999, holidays: ['1999-10-01'], workdays: [] })[0]).toMatch(/2000 至 2100 之间的整数/);
    expect(errorsOf({ year: '2027', holidays: ['2027-10-01'], workdays: [] })[0]).toMatch(/2000 至 2100 之间的整数/);
    expect(errorsOf({ year: 2027.5, holidays: ['2027-10-01'], workdays: [] })[0]).toMatch(/2000 至 2100 之间的整数/);
    expect(errorsOf({ year: 2027, holidays: [], workdays: [] })).toContain('放假日期（holidays）不能为空');
    const tooMany = Array.from({ length: 367 }, () => '2027-10-01');
    expect(errorsOf({ year: 2027, holidays: tooMany, workdays: [] })[0]).toMatch(/最多 366 个日期/);
    expect(errorsOf({ year: 2027, holidays: ['2027-10-01', '2027-10-01'], workdays: [] })).toEqual([
      '2027-10-01 在放假日期（holidays）中重复出现',
    ]);
    expect(errorsOf({ year: 2027, holidays: ['2027-10-01'], workdays: [], source: 42 })).toEqual(['来源（source）必须是文字']);
  });

  it('reports every problem at once so an administrator can fix the table in one pass', () => {
    const errors = errorsOf({ year: 2027, holidays: ['2027-02-30', '2028-01-01'], workdays: ['2027-10-11'] });
    expect(errors).toHaveLength(3);
  });
});

describe('chinaDay', () => {
  it('uses UTC+8 regardless of the host time zone', () => {
    expect(chinaDay(Date.parse('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
    expect(chinaDay(Date.parse('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
    expect(chinaDay(Date.parse('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(chinaDay(Date.parse('2024-02-28T16:00:00Z'))).toBe('2024-02-29');
    expect(chinaDay(Date.parse('1969-12-31T15:00:00Z'))).toBe('1969-12-31');
    expect(chinaDay(Date.parse('1969-12-31T16:00:00Z'))).toBe('1970-01-01');
  });

  it('rejects non-finite timestamps', () => {
    expect(() => chinaDay(Number.NaN)).toThrow(RangeError);
  });
});

describe('consistency properties', () => {
  const loaded = createWorkingCalendar([fictional2027]);
  const dateArb = fc
    .integer({ min: Date.UTC(2003, 0, 1) / 86_400_000, max: Date.UTC(2028, 11, 31) / 86_400_000 })
    .map((day) => isoDay(day * 86_400_000));

  it('workingDaysBetween(d, addWorkingDays(d, n)) === n', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 400 }), fc.boolean(), (d, n, useTable) => {
        const cal = useTable ? loaded : calendar;
        const due = cal.addWorkingDays(d, n);
        expect(cal.workingDaysBetween(d, due)).toBe(n);
        expect(cal.workingDaysBetween(due, d)).toBe(n === 0 ? 0 : -n); // +0, never -0
        if (n > 0) {
          // The deadline is itself a working day, and the day before it is still short of n.
          expect(cal.isWorkingDay(due)).toBe(true);
          const before = isoDay(Date.parse(`${due}T00:00:00Z`) - 86_400_000);
          expect(cal.workingDaysBetween(d, before)).toBe(n - 1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('workingDaysBetween is additive', () => {
    fc.assert(
      fc.property(dateArb, dateArb, dateArb, (a, b, c) => {
        expect(calendar.workingDaysBetween(a, b) + calendar.workingDaysBetween(b, c)).toBe(calendar.workingDaysBetween(a, c));
      }),
      { numRuns: 500 },
    );
  });
});
