import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { ratings } from '../schema.js';

export type RatingRow = typeof ratings.$inferSelect;
export type NewRating = typeof ratings.$inferInsert;

export function insertRating(db: DbOrTx, values: NewRating): RatingRow {
  return db.insert(ratings).values(values).returning().get();
}

export function getRating(db: DbOrTx, id: number): RatingRow | undefined {
  return db.select().from(ratings).where(eq(ratings.id, id)).get();
}
