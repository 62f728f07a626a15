import { Value } from 'typebox/value';
import type { Db, DbOrTx } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import { bumpCacheVersion } from '../../../db/queries/coordination.js';
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

/**
 * Settings and the working-day calendar are read on the hot path, so they are cached in memory:
 * `load()` fills both caches once at start-up (it must be awaited before `get()` or `calendar()`),
 * every change here reloads them after its commit, and `refresh()` reloads them so that one server
 * instance sees the changes another one made.
 */
export function createSettingsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  let cached: Settings | null = null;
  let calendar: WorkingCalendar | null = null;
  // Reloads may overlap (a periodic refresh and a change): only the one that started last is kept,
  // so an answer read before a commit never replaces one read after it.
  let reloadsStarted = 0;
  let reloadKept = 0;

  async function readSettings(c: DbOrTx): Promise<Settings> {
    const merged = structuredClone(SETTINGS_DEFAULTS) as Record<string, unknown>;
    for (const { key, value } of await q.readAllSettings(c)) {
      if (key in merged) merged[key] = value;
    }
    // A stored value that no longer fits the schema (an old version) falls back to its default.
    for (const key of Object.keys(merged)) {
      const probe = { ...(SETTINGS_DEFAULTS as Record<string, unknown>), [key]: merged[key] };
      if (!Value.Check(SettingsSchema, probe)) merged[key] = (SETTINGS_DEFAULTS as Record<string, unknown>)[key];
    }
    return Object.freeze(merged) as Settings;
  }

  async function holidayTables(c: DbOrTx): Promise<HolidayTableView[]> {
    return (await q.listHolidayTables(c)).map((t) => ({
      year: t.year,
      holidays: t.holidays,
      workdays: t.workdays,
      source: t.source ?? undefined,
      loadedAt: t.loadedAt,
    }));
  }

  /** Reads both caches afresh (committed data, through `db`); answers the settings it read. */
  async function reload(): Promise<Settings> {
    const started = ++reloadsStarted;
    const nextSettings = await readSettings(db);
    const nextCalendar = createWorkingCalendar(await holidayTables(db));
    if (started > reloadKept) {
      reloadKept = started;
      cached = nextSettings;
      calendar = nextCalendar;
    }
    return nextSettings;
  }

  function workingCalendar(): WorkingCalendar {
    if (!calendar) throw new Error('settings.load() must be awaited before settings.calendar()');
    return calendar;
  }

  /** Years touched by upcoming deadlines that have no official data: admins are warned. */
  function calendarWarnings(cal: WorkingCalendar, today: string): string[] {
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
    /** Fills the caches of `get()` and `calendar()`: awaited once before the service is used. */
    async load(): Promise<void> {
      await reload();
    },

    /** Reloads both caches, so that changes made by another server instance are seen. */
    async refresh(): Promise<void> {
      await reload();
    },

    get(): Settings {
      if (!cached) throw new Error('settings.load() must be awaited before settings.get()');
      return cached;
    },

    async update(actor: Actor, patch: SettingsPatch): Promise<Settings> {
      requireAdmin(actor);
      const next = { ...(cached ?? (await readSettings(db))), ...patch };
      if (!Value.Check(SettingsSchema, next)) {
        const first = [...Value.Errors(SettingsSchema, next)][0];
        throw new BadRequest(`设置不合法：${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim(), 'InvalidSettings');
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        await bumpCacheVersion(tx, 'settings');
        for (const [key, value] of Object.entries(patch)) {
          await q.upsertSetting(tx, key, value, now, actor.id);
        }
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'settings.update',
          targetType: 'settings',
          targetId: Object.keys(patch).join(','),
          detail: patch as Record<string, unknown>,
        });
      });
      return reload();
    },

    /** The working-day calendar: official tables loaded by admins first, then the built-in data. */
    calendar: workingCalendar,

    /** The loaded tables, and a warning for each year of upcoming deadlines without official data. */
    async holidays(): Promise<HolidaysResponse> {
      // Read afresh (this admin page shows what is stored), the warnings from the same tables.
      const tables = await holidayTables(db);
      return { tables, warnings: calendarWarnings(createWorkingCalendar(tables), chinaDay(clock.now())) };
    },

    async loadHolidayTable(actor: Actor, input: unknown): Promise<HolidayTableView> {
      requireAdmin(actor);
      const result = validateHolidayTable(input);
      if (!result.ok) throw new BadRequest(`节假日表不合法：${result.errors.join('；')}`, 'InvalidHolidayTable');
      const t = result.table;
      const now = clock.now();
      await db.transaction(async (tx) => {
        await bumpCacheVersion(tx, 'settings');
        await q.upsertHolidayTable(tx, {
          year: t.year,
          holidays: t.holidays,
          workdays: t.workdays,
          source: t.source ?? null,
          loadedBy: actor.id,
          loadedAt: now,
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'holidays.load',
          targetType: 'holiday_table',
          targetId: String(t.year),
          detail: { holidays: t.holidays.length, workdays: t.workdays.length, source: t.source ?? null },
        });
      });
      await reload();
      return t;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
