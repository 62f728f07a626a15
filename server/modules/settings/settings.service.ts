import { Value } from 'typebox/value';
import type { Db } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/settings.js';
import {
  type HolidaysResponse,
  type HolidayTableView,
  SETTINGS_DEFAULTS,
  type Settings,
  type SettingsPatch,
  SettingsSchema,
} from '../../../shared/api/settings.js';
import { addDays, chinaDay } from '../../../shared/china-time.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { createWorkingCalendar, validateHolidayTable, type WorkingCalendar } from '../../lib/working-days.js';
import type { Actor } from '../auth/actor.js';

/** Settings are read on the hot path, so they are cached in memory and refreshed on every change. */
export function createSettingsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  let cached: Settings | null = null;
  let calendar: WorkingCalendar | null = null;

  function load(): Settings {
    const merged = structuredClone(SETTINGS_DEFAULTS) as Record<string, unknown>;
    for (const { key, value } of q.readAllSettings(db)) {
      if (key in merged) merged[key] = value;
    }
    // A stored value that no longer fits the schema (an old version) falls back to its default.
    for (const key of Object.keys(merged)) {
      const probe = { ...(SETTINGS_DEFAULTS as Record<string, unknown>), [key]: merged[key] };
      if (!Value.Check(SettingsSchema, probe)) merged[key] = (SETTINGS_DEFAULTS as Record<string, unknown>)[key];
    }
    return Object.freeze(merged) as Settings;
  }

  function holidayTables(): HolidayTableView[] {
    return q.listHolidayTables(db).map((t) => ({
      year: t.year,
      holidays: t.holidays,
      workdays: t.workdays,
      source: t.source ?? undefined,
      loadedAt: t.loadedAt,
    }));
  }

  function workingCalendar(): WorkingCalendar {
    calendar ??= createWorkingCalendar(holidayTables());
    return calendar;
  }

  /** Years touched by upcoming deadlines that have no official data: admins are warned. */
  function calendarWarnings(today: string): string[] {
    const cal = workingCalendar();
    // A case opened today has its whole deadline within ~45 calendar days, so those years matter.
    const years = new Set([Number(today.slice(0, 4)), Number(addDays(today, 45).slice(0, 4))]);
    const warnings: string[] = [];
    for (const y of years) {
      if (!cal.hasOfficialData(y)) {
        warnings.push(`${y} 年尚无官方节假日安排数据，期限暂按周一至周五计算。请在「设置 → 节假日」载入国务院办公厅公布的 ${y} 年安排。`);
      }
    }
    return warnings;
  }

  function requireAdmin(actor: Actor): void {
    if (actor.role !== 'admin') throw new Forbidden('只有管理员可以修改设置');
  }

  return {
    get(): Settings {
      cached ??= load();
      return cached;
    },

    update(actor: Actor, patch: SettingsPatch): Settings {
      requireAdmin(actor);
      const next = { ...(cached ?? load()), ...patch };
      if (!Value.Check(SettingsSchema, next)) {
        const first = [...Value.Errors(SettingsSchema, next)][0];
        throw new BadRequest(`设置不合法：${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim(), 'InvalidSettings');
      }
      const now = clock.now();
      db.transaction((tx) => {
        for (const [key, value] of Object.entries(patch)) {
          q.upsertSetting(tx, key, value, now, actor.id);
        }
        insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'settings.update',
          targetType: 'settings',
          targetId: Object.keys(patch).join(','),
          detail: patch as Record<string, unknown>,
        });
      });
      cached = load();
      return cached;
    },

    /** The working-day calendar: official tables loaded by admins first, then the built-in data. */
    calendar: workingCalendar,

    /** The loaded tables, and a warning for each year of upcoming deadlines without official data. */
    holidays(): HolidaysResponse {
      return { tables: holidayTables(), warnings: calendarWarnings(chinaDay(clock.now())) };
    },

    loadHolidayTable(actor: Actor, input: unknown): HolidayTableView {
      requireAdmin(actor);
      const result = validateHolidayTable(input);
      if (!result.ok) throw new BadRequest(`节假日表不合法：${result.errors.join('；')}`, 'InvalidHolidayTable');
      const t = result.table;
      const now = clock.now();
      db.transaction((tx) => {
        q.upsertHolidayTable(tx, {
          year: t.year,
          holidays: t.holidays,
          workdays: t.workdays,
          source: t.source ?? null,
          loadedBy: actor.id,
          loadedAt: now,
        });
        insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'holidays.load',
          targetType: 'holiday_table',
          targetId: String(t.year),
          detail: { holidays: t.holidays.length, workdays: t.workdays.length, source: t.source ?? null },
        });
      });
      calendar = null;
      return t;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
