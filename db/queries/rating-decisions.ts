// Recorded decisions on ratings (exclusion after an approved appeal) and the erasure of phone numbers.
// A rating is a fact: these are the only writes to it besides its insertion (docs/domain.md).
import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { ratingDecisions, ratings, users } from '../schema.js';

export type RatingDecisionRow = typeof ratingDecisions.$inferSelect;

export function insertRatingDecision(db: DbOrTx, values: typeof ratingDecisions.$inferInsert): RatingDecisionRow {
  return db.insert(ratingDecisions).values(values).returning().get();
}

export function markRatingExcluded(db: DbOrTx, ratingId: number): void {
  db.update(ratings).set({ excluded: true }).where(eq(ratings.id, ratingId)).run();
}

export function listDecisionsOfRating(db: DbOrTx, ratingId: number): (RatingDecisionRow & { decidedByName: string | null })[] {
  return db
    .select({
      id: ratingDecisions.id,
      ratingId: ratingDecisions.ratingId,
      kind: ratingDecisions.kind,
      reason: ratingDecisions.reason,
      caseId: ratingDecisions.caseId,
      decidedBy: ratingDecisions.decidedBy,
      decidedAt: ratingDecisions.decidedAt,
      decidedByName: users.displayName,
    })
    .from(ratingDecisions)
    .leftJoin(users, eq(users.id, ratingDecisions.decidedBy))
    .where(eq(ratingDecisions.ratingId, ratingId))
    .orderBy(asc(ratingDecisions.decidedAt), asc(ratingDecisions.id))
    .all();
}

/**
 * Ratings whose phone number has outlived its purpose: every case of the rating closed at or before
 * `cutoff` (none still open), or — with no case at all — the rating itself older than `cutoff`.
 */
export function listPhonesToErase(db: DbOrTx, cutoff: number, limit: number): number[] {
  return db
    .all<{ id: number }>(sql`
      SELECT r.id FROM ratings r
      WHERE r.phone_enc IS NOT NULL AND r.created_at <= ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.rating_id = r.id AND (c.status != 'closed' OR c.closed_at > ${cutoff}))
      ORDER BY r.id
      LIMIT ${limit}`)
    .map((r) => r.id);
}

/** Erases a rating's phone number; `realName` stays true for the 实名 statistics. */
export function erasePhone(db: DbOrTx, ratingId: number, at: number): void {
  db.update(ratings).set({ phoneEnc: null, phoneErasedAt: at }).where(eq(ratings.id, ratingId)).run();
}
