// A stored rating is a fact: after its insertion the only writes to it are recorded decisions (an
// exclusion after an approved appeal) and the scheduled erasure of its phone number (docs/domain.md). This
// facet of the ratings module owns those records. It is built before the cases module, which reads and
// excludes ratings through it; the submission service, which opens cases, is built after cases.
import type { Db, Tx } from '../../../db/client.js';
import * as hq from '../../../db/queries/holds.js';
import * as mq from '../../../db/queries/matter-ratings.js';
import * as dq from '../../../db/queries/rating-decisions.js';
import * as q from '../../../db/queries/ratings.js';
import { chinaHour } from '../../../shared/china-time.js';
import { matterFactsOf, type StatsService } from '../stats/stats.service.js';

export type RatingRecord = q.RatingRow;

export interface ExclusionDecision {
  reason: string;
  caseId: number;
  decidedBy: number;
  decidedAt: number;
}

export function createRatingRecords(deps: { db: Db; stats: Pick<StatsService, 'excludeRating'> }) {
  const { db, stats } = deps;

  return {
    async get(id: number): Promise<RatingRecord | undefined> {
      return q.getRating(db, id);
    },

    /** Every decision recorded on a rating, oldest first, with the name of who decided. */
    async decisionsOf(ratingId: number) {
      return dq.listDecisionsOfRating(db, ratingId);
    },

    /**
     * Records the decision excluding a rating and, unless an earlier decision already did, takes it out
     * of the counted statistics (never deleted), inside the caller's transaction.
     */
    async exclude(tx: Tx, ratingId: number, decision: ExclusionDecision): Promise<{ alreadyExcluded: boolean }> {
      const r = await q.getRating(tx, ratingId);
      if (!r) throw new Error(`rating ${ratingId} of case ${decision.caseId} is missing`);
      await dq.insertRatingDecision(tx, { ratingId, kind: 'exclude', ...decision });
      if (!r.excluded) {
        await dq.markRatingExcluded(tx, ratingId);
      }
      // A rating its 追评 replaced counts nowhere already.
      if (!r.excluded && !r.superseded) {
        const matter = r.matterId === null ? undefined : await mq.findMatterById(tx, r.matterId);
        await stats.excludeRating(tx, {
          codeId: r.codeId,
          departmentId: r.departmentId,
          day: r.day,
          hour: chinaHour(r.createdAt),
          score: r.score,
          tags: r.tags,
          realName: r.realName,
          isDefault: r.channel === 'default',
          matter: matter ? matterFactsOf(matter) : null,
        });
      }
      return { alreadyExcluded: r.excluded };
    },

    /** The burst of 差评 a case stands for (its flood's grouped case), if it is one. */
    async floodOfCase(caseId: number): Promise<{ groupId: number; ratingCount: number; heldCount: number } | undefined> {
      return hq.groupOfCase(db, caseId);
    },

    /** Ratings whose phone number has outlived its purpose (see listPhonesToErase), by id. */
    async phonesToErase(tx: Tx, cutoff: number, limit: number): Promise<number[]> {
      return dq.listPhonesToErase(tx, cutoff, limit);
    },

    async erasePhone(tx: Tx, ratingId: number, at: number): Promise<void> {
      await dq.erasePhone(tx, ratingId, at);
    },
  };
}

export type RatingRecords = ReturnType<typeof createRatingRecords>;
