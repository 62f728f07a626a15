import type { Db, Tx } from '../../../db/client.js';
import type { CaseRow } from '../../../db/queries/cases.js';
import * as rollups from '../../../db/queries/rollups.js';
import type { Clock } from '../../lib/clock.js';
import { caseFlags } from './case-flags.js';

/** Indicators and rollups. The write side runs inside the callers' transactions. */
export function createStatsService(deps: { db: Db; clock: Clock }) {
  void deps;
  return {
    /** A stored rating: the scan funnel's submission and, unless excluded, the counted statistics. */
    recordRating(tx: Tx, facts: rollups.RatingFacts, counted = true): void {
      rollups.addSubmission(tx, facts.codeId, facts.departmentId, facts.day);
      if (counted) rollups.applyCountedRating(tx, facts, 1);
    },

    /** A rating excluded by a recorded decision (approved appeal) leaves the counted statistics. */
    excludeRating(tx: Tx, facts: rollups.RatingFacts): void {
      rollups.applyCountedRating(tx, facts, -1);
    },

    recordOpen(tx: Tx | Db, codeId: string, departmentId: number, day: string): void {
      rollups.addOpen(tx, codeId, departmentId, day);
    },

    /** Any change of a case (opening included, before = null) moves its indicator flags. */
    recordCaseChange(tx: Tx, before: CaseRow | null, after: CaseRow): void {
      rollups.applyCaseFlagsDelta(
        tx,
        after.departmentId,
        after.ratingDay,
        before ? caseFlags(before) : null,
        caseFlags(after),
      );
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
