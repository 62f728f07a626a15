// The outbox side of upward reporting (docs/domain.md 10.6): what the rating, case and hold paths call
// inside their own transactions. A record enters the outbox in the transaction that stores what it
// reports, so a crash at any moment loses none and reports none that was not stored. With reporting off
// (no REPORT_URL) nothing is enqueued: the file export covers a county that uploads by hand.
import type { Tx } from '../../../db/client.js';
import * as q from '../../../db/queries/reporting.js';
import { chinaDay } from '../../../shared/china-time.js';

/** Why a held rating's record waits (it is sent once released, never once excluded). */
export const WAITING_FOR_REVIEW = '评价待审核（疑似刷评，暂扣），放行后上报';

export interface StoredRatingForReport {
  ratingId: number;
  day: string;
  /** Held for review when stored. */
  held: boolean;
  at: number;
}

export function createReportOutbox(deps: { enabled: boolean }) {
  const { enabled } = deps;
  return {
    enabled,

    /** The ratings of one transaction (a group-commit batch, a page of default ratings). */
    async enqueueRatings(tx: Tx, ratings: readonly StoredRatingForReport[]): Promise<void> {
      if (!enabled || !ratings.length) return;
      await q.enqueueRecords(
        tx,
        ratings.map((r) => ({
          kind: 'rating' as const,
          ratingId: r.ratingId,
          caseId: null,
          day: r.day,
          waiting: r.held ? WAITING_FOR_REVIEW : null,
          at: r.at,
        })),
      );
    },

    /** A 差评 case closed: its outcome record (整改结果). */
    async enqueueCaseResult(tx: Tx, c: { caseId: number; ratingId: number; closedAt: number }): Promise<void> {
      if (!enabled) return;
      await q.enqueueRecords(tx, [
        { kind: 'case_result', ratingId: c.ratingId, caseId: c.caseId, day: chinaDay(c.closedAt), waiting: null, at: c.closedAt },
      ]);
    },

    /** Held ratings were released or excluded: their waiting records are looked at again (sent, or dropped). */
    async holdsDecided(tx: Tx, ratingIds: readonly number[], now: number): Promise<void> {
      await q.repend(tx, ratingIds, now);
    },

    /** A code a record needs was filled in (credit code, area code, detail codes, 事项编码): the waiting ones are looked at again. */
    async codesChanged(tx: Tx, now: number): Promise<void> {
      await q.rependAll(tx, now);
    },
  };
}

export type ReportOutbox = ReturnType<typeof createReportOutbox>;
