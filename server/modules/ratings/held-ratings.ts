// Held ratings (docs/domain.md, Rating: held ratings): the supervisors' review queue, grouped by
// burst, and their recorded decisions. A released rating counts from then on, in every figure and
// exactly once; an excluded one never does. A facet of the ratings module (its queries: db/queries/holds.ts).
import type { Db } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as hq from '../../../db/queries/holds.js';
import type {
  HeldRating,
  HeldRatingsQuery,
  HeldRatingsResponse,
  HoldGroupsQuery,
  HoldGroupsResponse,
  RatingDecisionBody,
} from '../../../shared/api/ratings.js';
import { CHINA_OFFSET_MS, chinaDay, dayNumber, MS_PER_DAY } from '../../../shared/china-time.js';
import { HOLD_RULE_LABELS, type HoldRule, holdRuleLabels } from '../../../shared/domain.js';
import { BadRequest, Forbidden } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import type { CasesService } from '../cases/cases.service.js';
import type { ReportOutbox } from '../reporting/outbox.js';
import { ratingFactsOf, type StatsService } from '../stats/stats.service.js';

/** Ratings decided per statement: a bulk decision of 100 k ratings is a few hundred statements. */
const CHUNK = 1000;

/**
 * A time bound given as a China day (YYYY-MM-DD: from its 00:00, or to the end of it) or as an ISO
 * 8601 time. Answers ms, or throws 400 naming the field.
 */
function timeBound(value: string | undefined, field: 'from' | 'to'): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = dayNumber(value);
    if (day === null) throw new BadRequest(`${field}：日期不存在（${value}）`, 'InvalidRange');
    return (field === 'from' ? day : day + 1) * MS_PER_DAY - CHINA_OFFSET_MS;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new BadRequest(`${field}：请用 YYYY-MM-DD 日期或 ISO 8601 时间（${value}）`, 'InvalidRange');
  return ms;
}

export function createHeldRatings(deps: {
  db: Db;
  clock: Clock;
  stats: Pick<StatsService, 'rollupBatch' | 'releaseRating' | 'recordHeld' | 'writeRollups'>;
  /** 差评必查 for a released 差评 that a flood's grouped case stood in for. */
  cases: Pick<CasesService, 'openForBadRating' | 'followUpOfRating'>;
  /** Upward reporting: a released rating's record is sent, an excluded one's dropped. */
  report: Pick<ReportOutbox, 'holdsDecided'>;
}) {
  const { db, clock, stats, cases, report } = deps;

  /** The departments a request looks at: the one it names (outside the actor's scope: 403), or the scope. */
  function scopeOf(actor: Actor, departmentId: number | undefined): number[] {
    if (departmentId === undefined) return [...actor.departmentIds];
    if (!actor.departmentIds.has(departmentId)) throw new Forbidden('该部门不在您的管理范围内', 'OutOfScope');
    return [departmentId];
  }

  /** The held-rating filter of a request, inside the actor's scope (a department outside it: 403). */
  function filterOf(actor: Actor, f: Omit<HeldRatingsQuery, 'limit' | 'offset'>): hq.HeldFilter {
    const departmentIds = scopeOf(actor, f.departmentId);
    const from = timeBound(f.from, 'from');
    const to = timeBound(f.to, 'to');
    if (from !== undefined && to !== undefined && from >= to) throw new BadRequest('开始时间须早于结束时间', 'InvalidRange');
    return {
      departmentIds,
      codeId: f.codeId,
      groupId: f.groupId,
      network: f.network,
      device: f.device,
      from,
      to,
    };
  }

  function heldView(r: hq.HeldRow): HeldRating {
    return {
      id: r.id,
      codeId: r.codeId,
      location: r.location,
      departmentId: r.departmentId,
      departmentName: r.departmentName,
      score: r.score,
      tags: JSON.parse(r.tags) as string[],
      comment: r.comment,
      realName: r.realName === 1,
      createdAt: r.createdAt,
      flagReason: r.flagReason,
      flagLabels: holdRuleLabels(r.flagReason),
      groupId: r.groupId,
      network: r.netHash,
      device: r.clientHash,
    };
  }

  return {
    /** The held ratings in the actor's scope that match, newest first, with how many match. */
    async list(actor: Actor, query: HeldRatingsQuery): Promise<HeldRatingsResponse> {
      const { rows, total } = await hq.listHeld(db, filterOf(actor, query), { limit: query.limit ?? 50, offset: query.offset ?? 0 });
      return { ratings: rows.map(heldView), total };
    },

    /** The bursts with ratings still held in the actor's scope, latest first: one decision handles one. */
    async groups(actor: Actor, query: HoldGroupsQuery): Promise<HoldGroupsResponse> {
      const { rows, total, held } = await hq.listGroups(db, scopeOf(actor, query.departmentId), {
        limit: query.limit ?? 50,
        offset: query.offset ?? 0,
      });
      return {
        groups: rows.map((g) => ({
          id: g.id,
          rule: g.rule,
          ruleLabel: HOLD_RULE_LABELS[g.rule as HoldRule] ?? g.rule,
          subjectKind: g.subjectKind,
          subject: g.subjectHash,
          departmentId: g.departmentId,
          departmentName: g.departmentName,
          firstAt: g.firstAt,
          lastAt: g.lastAt,
          ratingCount: g.ratingCount,
          heldCount: g.heldCount,
          caseId: g.caseId,
          caseNo: g.caseNo,
        })),
        total,
        held,
      };
    },

    /**
     * A supervisor's decision on held ratings of their scope — by id, by burst or by filter (network,
     * device, code, department, time span): released ones count from now on (their figures added in the
     * same transaction), excluded ones never. Each rating gets a recorded decision; the request one
     * audit entry. Ratings no longer held (decided before) or outside the scope are left alone.
     */
    async decide(actor: Actor, body: RatingDecisionBody): Promise<{ affected: number }> {
      const reason = body.reason.trim();
      if (!reason) throw new BadRequest('请填写裁决理由', 'ReasonRequired');
      if (!body.ids?.length && !body.groupIds?.length && !body.filter)
        throw new BadRequest('请指定要裁决的评价：ids、groupIds 或 filter 至少一项', 'NothingToDecide');
      const scope = [...actor.departmentIds];
      const wanted = new Set<number>(body.ids ?? []);
      for (const groupId of body.groupIds ?? []) for (const id of await hq.heldIds(db, { departmentIds: scope, groupId })) wanted.add(id);
      if (body.filter) for (const id of await hq.heldIds(db, filterOf(actor, body.filter))) wanted.add(id);
      const ids = [...wanted].sort((a, b) => a - b);
      const now = clock.now();
      return db.transaction(async (tx) => {
        let affected = 0;
        for (let at = 0; at < ids.length; at += CHUNK) {
          const decided = await hq.decideHeld(tx, ids.slice(at, at + CHUNK), scope, body.decision);
          if (decided.length === 0) continue;
          const batch = stats.rollupBatch();
          const groups = new Map<number, number>();
          for (const r of decided) {
            const facts = ratingFactsOf(r);
            stats.recordHeld(batch, facts, -1, 0);
            if (body.decision === 'release') stats.releaseRating(batch, facts);
            if (r.groupId !== null) groups.set(r.groupId, (groups.get(r.groupId) ?? 0) + 1);
          }
          await stats.writeRollups(tx, batch);
          // A released 差评 counts: it is followed up on its own (差评必查), where a flood's grouped case
          // stood in for it while it was held. Its deadlines count from today.
          if (body.decision === 'release')
            for (const r of decided)
              if (r.score <= 2 && !(await cases.followUpOfRating(tx, r.id)))
                await cases.openForBadRating(tx, {
                  id: r.id,
                  codeId: r.codeId,
                  departmentId: r.departmentId,
                  createdAt: now,
                  day: r.day,
                  anonymous: r.realName !== 1,
                  deadlinesFrom: chinaDay(now),
                });
          await hq.takeFromGroups(tx, groups);
          await report.holdsDecided(
            tx,
            decided.map((r) => r.id),
            now,
          );
          await hq.insertDecisions(
            tx,
            decided.map((r) => r.id),
            { kind: body.decision, reason, decidedBy: actor.id, decidedAt: now },
          );
          affected += decided.length;
        }
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: body.decision === 'release' ? 'ratings.release' : 'ratings.exclude',
          targetType: 'ratings',
          targetId: ids.length === 1 ? String(ids[0]) : `${ids.length}`,
          detail: { reason, affected, ids: body.ids?.slice(0, 100) ?? null, groupIds: body.groupIds ?? null, filter: body.filter ?? null },
        });
        return { affected };
      });
    },
  };
}

export type HeldRatings = ReturnType<typeof createHeldRatings>;
