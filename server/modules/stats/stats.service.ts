import type { Readable } from 'node:stream';
import type { Tx } from '../../../db/client.js';
import type { MatterFacts, RatingFacts, RollupBatch } from '../../../db/queries/rollups.js';
import * as rollups from '../../../db/queries/rollups.js';
import * as statsQueries from '../../../db/queries/stats.js';
import type { CsvQuery, RangeQuery, VerifyResponse } from '../../../shared/api/stats.js';
import { addDays, chinaHour } from '../../../shared/china-time.js';
import type { Actor } from '../auth/actor.js';
import { caseFlags } from './case-flags.js';
import { periodOf, type StatsDeps, scopedDepartments } from './context.js';
import { createCredibility } from './credibility.js';
import { createStatsDetails } from './details.js';
import { departmentsCsv, type ExportDepartmentRow, ratingsCsv, xlsxExport } from './exports.js';
import { createMatterViews } from './matter-views.js';
import { otherWaysByDepartment } from './other-ways.js';
import { createPublicRankings } from './public-rankings.js';
import { rebuildRollups, verifyRollups } from './recount.js';
import { createStatsReports } from './reports.js';

export type { MatterFacts, RatingFacts, RollupBatch };

export interface ExportFile {
  /** Chinese file name (Content-Disposition filename*) and its ASCII fallback. */
  filename: string;
  asciiFilename: string;
  stream: Readable;
}

/**
 * Where a finished 办件's figures are counted: its window, department, 办结 day, 事项 and 经办人 (the
 * rollups' MatterFacts), from any row that has them.
 */
export function matterFactsOf(
  m: Pick<MatterFacts, 'codeId' | 'departmentId' | 'taskCode' | 'taskName'> & { finishedDay: string | null; staffName: string | null },
): MatterFacts {
  if (m.finishedDay === null) throw new Error('a 办件 is counted only once finished');
  return {
    codeId: m.codeId,
    departmentId: m.departmentId,
    finishedDay: m.finishedDay,
    taskCode: m.taskCode,
    taskName: m.taskName,
    staffName: m.staffName ?? '',
  };
}

/** A stored rating as raw SQL reads it: tags as JSON text, 0/1 flags, its channel when it may be a default rating. */
export interface StoredRatingRow {
  codeId: string;
  departmentId: number;
  day: string;
  createdAt: number;
  score: number;
  tags: string;
  realName: number;
  channel?: string;
}

/** What a stored rating moves in the rollups (taken back, held, released), with the 办件 it rates if any. */
export function ratingFactsOf(r: StoredRatingRow, matter: MatterFacts | null = null): RatingFacts {
  return {
    codeId: r.codeId,
    departmentId: r.departmentId,
    day: r.day,
    hour: chinaHour(r.createdAt),
    score: r.score,
    tags: JSON.parse(r.tags) as string[],
    realName: r.realName === 1,
    isDefault: r.channel === 'default',
    matter,
  };
}

/**
 * Indicators and rollups. The write side runs inside the callers' transactions (an open recorded
 * without one gets its own); the read side (reports, details, exports, public rankings) reads the
 * rollups through one indicators module.
 */
export function createStatsService(deps: StatsDeps) {
  const { db, crypto } = deps;
  const reports = createStatsReports(deps);
  const details = createStatsDetails(deps);
  const publicRankings = createPublicRankings(deps);
  const matterViews = createMatterViews(deps);
  const credibility = createCredibility(deps);

  /** Department rows of the exports, with a 合计 row for the whole scope; the other ways in of the same period at the end. */
  async function exportRows(actor: Actor, query: RangeQuery): Promise<ExportDepartmentRow[]> {
    const { departments } = await reports.departments(actor, query);
    const total = await reports.summary(actor, query);
    const other = await otherWaysByDepartment(
      db,
      departments.map((d) => d.id),
      periodOf(deps, query),
    );
    return [
      ...departments.map((d) => ({ ...d, ...other.byDepartment.get(d.id)! })),
      { ...total, ...other.total, name: '合计', orgUnitName: '', rank: null, insufficient: false },
    ];
  }

  async function ratingSource(actor: Actor, query: RangeQuery) {
    return { db, crypto, departmentIds: (await scopedDepartments(deps, actor)).map((d) => d.id), period: periodOf(deps, query) };
  }

  return {
    /** An empty batch of rating rollups: filled by recordRating, written by writeRollups. */
    rollupBatch(): RollupBatch {
      return new rollups.RollupBatch();
    },

    /**
     * A new rating, stored for good within the transaction the batch is written in: the scan funnel's
     * submission and the counted statistics, added to the batch in memory (no SQL).
     */
    recordRating(batch: RollupBatch, facts: RatingFacts): void {
      batch.addRating(facts, 1, 1);
    },

    /** A held rating released by a supervisor's decision: counted from now on (already a submission). */
    releaseRating(batch: RollupBatch, facts: RatingFacts): void {
      batch.addRating(facts, 1, 0);
    },

    /** A rating replaced by its 办件's 追评 leaves the counted statistics (it stays a submission). */
    takeBackRating(batch: RollupBatch, facts: RatingFacts): void {
      batch.addRating(facts, -1);
    },

    /**
     * A rating held for review (sign 1; `submissions` 1 for a new one, 0 for one taken back into hold)
     * or no longer held (sign -1, a decision): counted in no figure, only in the held count.
     */
    recordHeld(batch: RollupBatch, facts: RatingFacts, sign: 1 | -1, submissions: 0 | 1): void {
      batch.addHeld(facts, sign, submissions);
    },

    /** A stored rating flagged after it was stored (a burst's rule took it into hold): 评价可信度's flagged count. */
    recordFlagged(batch: RollupBatch, facts: RatingFacts): void {
      batch.addFlagged(facts);
    },

    /** A finished 办件's first citizen rating: it counts as rated (评价率). */
    recordMatterRated(batch: RollupBatch, facts: MatterFacts): void {
      batch.addMatterRated(facts);
    },

    /** Writes a batch's rating rollups in the caller's transaction: a few statements per batch. */
    async writeRollups(tx: Tx, batch: RollupBatch): Promise<void> {
      await rollups.writeRollups(tx, batch);
    },

    /**
     * A department's mean counted ratings per day over the `days` days before `day` (held ratings are
     * not counted, so a burst never raises the baseline it is judged against).
     */
    async recentDailyMean(departmentId: number, day: string, days: number): Promise<number> {
      const to = addDays(day, -1);
      const total = await statsQueries.countedRatingsOfDepartment(db, departmentId, addDays(day, -days), to);
      return total / days;
    },

    /** A rating excluded by a recorded decision (approved appeal) leaves the counted statistics. */
    async excludeRating(tx: Tx, facts: RatingFacts): Promise<void> {
      const batch = new rollups.RollupBatch();
      batch.addRating(facts, -1);
      await rollups.writeRollups(tx, batch);
    },

    /**
     * A landing-page open, inside the caller's transaction; given the database itself (no transaction
     * of the caller), in a transaction of its own: every write happens in one.
     */
    async recordOpen(tx: Tx | StatsDeps['db'], codeId: string, departmentId: number, day: string): Promise<void> {
      const batch = new rollups.RollupBatch();
      batch.addOpen(codeId, departmentId, day);
      if (tx === db) await db.transaction((own) => rollups.writeRollups(own, batch));
      else await rollups.writeRollups(tx, batch);
    },

    /** Any change of a case (opening included, before = null) moves its indicator flags and status count. */
    async recordCaseChange(tx: Tx, before: rollups.CaseForRollup | null, after: rollups.CaseForRollup): Promise<void> {
      await rollups.applyCaseStatusChange(tx, after.departmentId, after.kind, before?.status ?? null, after.status);
      await rollups.applyCaseFlagsDelta(tx, after.departmentId, after.ratingDay, before ? caseFlags(before) : null, caseFlags(after));
    },

    ...reports,
    ...details,
    ...matterViews,
    ...publicRankings,
    ...credibility,

    async exportXlsx(actor: Actor, query: RangeQuery): Promise<ExportFile> {
      const p = periodOf(deps, query);
      const rows = await exportRows(actor, query);
      const source = await ratingSource(actor, query);
      return {
        filename: `好差评统计_${p.from}至${p.to}.xlsx`,
        asciiFilename: `ratings-stats_${p.from}_${p.to}.xlsx`,
        stream: xlsxExport(rows, source),
      };
    },

    /** CSV twin of the workbook: the department indicators, or with sheet=ratings the rating detail. */
    async exportCsv(actor: Actor, query: CsvQuery): Promise<ExportFile> {
      const p = periodOf(deps, query);
      if (query.sheet === 'ratings') {
        const source = await ratingSource(actor, query);
        return {
          filename: `评价明细_${p.from}至${p.to}.csv`,
          asciiFilename: `ratings_${p.from}_${p.to}.csv`,
          stream: ratingsCsv(source),
        };
      }
      const rows = await exportRows(actor, query);
      return {
        filename: `部门指标_${p.from}至${p.to}.csv`,
        asciiFilename: `department-stats_${p.from}_${p.to}.csv`,
        stream: departmentsCsv(rows),
      };
    },

    /** Recounts every rollup from raw ratings and cases and lists the differences. */
    verifyRollups(): Promise<VerifyResponse> {
      return verifyRollups(db);
    },

    /** Replaces the rollups by a recount in one transaction; returns the verification after it. */
    rebuildRollups(): Promise<VerifyResponse> {
      return rebuildRollups(db);
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
