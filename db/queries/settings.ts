import { asc } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { holidayTables, settings } from '../schema.js';

export type HolidayTableRow = typeof holidayTables.$inferSelect;

export async function readAllSettings(db: DbOrTx): Promise<Array<{ key: string; value: unknown }>> {
  return db.select({ key: settings.key, value: settings.value }).from(settings);
}

export async function upsertSetting(db: DbOrTx, key: string, value: unknown, at: number, by: number | null): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedAt: at, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at, updatedBy: by } });
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
