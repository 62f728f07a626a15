import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { holidayTables, settings } from '../schema.js';

export type HolidayTableRow = typeof holidayTables.$inferSelect;

/** A stored setting: `orgUnitId` null for the platform row. */
export interface SettingRow {
  orgUnitId: number | null;
  key: string;
  value: unknown;
}

export async function readAllSettings(db: DbOrTx): Promise<SettingRow[]> {
  return db.select({ orgUnitId: settings.orgUnitId, key: settings.key, value: settings.value }).from(settings).orderBy(asc(settings.id));
}

/** Sets a key of an org unit, or of the platform (`orgUnitId` null). */
export async function upsertSetting(
  db: DbOrTx,
  orgUnitId: number | null,
  key: string,
  value: unknown,
  at: number,
  by: number | null,
): Promise<void> {
  const set = { value, updatedAt: at, updatedBy: by };
  const insert = db.insert(settings).values({ orgUnitId, key, ...set });
  await (orgUnitId === null
    ? insert.onConflictDoUpdate({ target: settings.key, targetWhere: sql`org_unit_id IS NULL`, set })
    : insert.onConflictDoUpdate({ target: [settings.orgUnitId, settings.key], set }));
}

/** Removes a key's own value at an org unit (or the platform's): the inherited value applies again. */
export async function deleteSetting(db: DbOrTx, orgUnitId: number | null, key: string): Promise<void> {
  await db
    .delete(settings)
    .where(and(orgUnitId === null ? isNull(settings.orgUnitId) : eq(settings.orgUnitId, orgUnitId), eq(settings.key, key)));
}

export async function listHolidayTables(db: DbOrTx): Promise<HolidayTableRow[]> {
  return db.select().from(holidayTables).orderBy(asc(holidayTables.year));
}

export async function upsertHolidayTable(db: DbOrTx, row: typeof holidayTables.$inferInsert): Promise<void> {
  await db
    .insert(holidayTables)
    .values(row)
    .onConflictDoUpdate({
      target: holidayTables.year,
      set: {
        holidays: row.holidays,
        workdays: row.workdays,
        source: row.source,
        loadedBy: row.loadedBy,
        loadedAt: row.loadedAt,
      },
    });
}
