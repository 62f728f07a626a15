// Recorded decisions on ratings (exclusion after an approved appeal) and the erasure of phone numbers.
// A rating is a fact: these are the only writes to it besides its insertion (docs/domain.md).
import { asc, eq, sql } from 'drizzle-orm';
import { type DbOrTx, only, rows } from '../client.js';
import { ratingDecisions, ratings, users } from '../schema.js';

export type RatingDecisionRow = typeof ratingDecisions.$inferSelect;

export async function insertRatingDecision(db: DbOrTx, values: typeof ratingDecisions.$inferInsert): Promise<RatingDecisionRow> {
  return only(db.insert(ratingDecisions).values(values).returning());
}

export async function markRatingExcluded(db: DbOrTx, ratingId: number): Promise<void> {
  await db.update(ratings).set({ excluded: true }).where(eq(ratings.id, ratingId));
}

export async function listDecisionsOfRating(
  db: DbOrTx,
  ratingId: number,
): Promise<(RatingDecisionRow & { decidedByName: string | null })[]> {
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
    .orderBy(asc(ratingDecisions.decidedAt), asc(ratingDecisions.id));
}

/**
 * Ratings whose phone number has outlived its purpose: every case of the rating closed at or before
 * `cutoff` (none still open), or — with no case at all — the rating itself older than `cutoff`.
 */
export async function listPhonesToErase(db: DbOrTx, cutoff: number, limit: number): Promise<number[]> {
  return (
    await rows<{ id: number }>(
      db,
      sql`
      SELECT r.id FROM ratings r
      WHERE r.phone_enc IS NOT NULL AND r.created_at <= ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.rating_id = r.id AND (c.status != 'closed' OR c.closed_at > ${cutoff}))
      ORDER BY r.id
      LIMIT ${limit}`,
    )
  ).map((r) => r.id);
}

/** Erases a rating's phone number; `realName` stays true for the 实名 statistics. */
export async function erasePhone(db: DbOrTx, ratingId: number, at: number): Promise<void> {
  await db.update(ratings).set({ phoneEnc: null, phoneErasedAt: at }).where(eq(ratings.id, ratingId));
}
