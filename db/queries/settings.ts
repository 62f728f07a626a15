import { asc } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { holidayTables, settings } from '../schema.js';

export type HolidayTableRow = typeof holidayTables.$inferSelect;

export function readAllSettings(db: DbOrTx): Array<{ key: string; value: unknown }> {
  return db.select({ key: settings.key, value: settings.value }).from(settings).all();
}

export function upsertSetting(db: DbOrTx, key: string, value: unknown, at: number, by: number | null): void {
  db.insert(settings)
    .values({ key, value, updatedAt: at, updatedBy: by })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at, updatedBy: by } })
    .run();
}

export function listHolidayTables(db: DbOrTx): HolidayTableRow[] {
  return db.select().from(holidayTables).orderBy(asc(holidayTables.year)).all();
}

export function upsertHolidayTable(db: DbOrTx, row: typeof holidayTables.$inferInsert): void {
  db.insert(holidayTables)
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
    })
    .run();
}
