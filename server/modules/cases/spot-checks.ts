// 好评抽查: each month, a configurable share of every department's real-name good ratings is drawn
// into spot-check cases with a seeded PRNG; the draw (who, when, seed, share, counts) is recorded.
import { lockKey } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/cases.js';
import * as sq from '../../../db/queries/spot-checks.js';
import type { CaseListItem, DrawInput, DrawResult, SpotCheckDraw } from '../../../shared/api/cases.js';
import type { Settings } from '../../../shared/api/settings.js';
import { chinaDay } from '../../../shared/china-time.js';
import { Forbidden } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import type { CasesDeps } from './cases.service.js';
import { drawCount, drawSample, seededRandom } from './prng.js';

function drawView(d: sq.SpotCheckDrawRow, drawnByName: string | null): SpotCheckDraw {
  return {
    id: d.id,
    month: d.month,
    seed: d.seed,
    share: d.share,
    eligible: d.eligibleCount,
    drawn: d.drawnCount,
    drawnAt: d.drawnAt,
    drawnBy: d.drawnBy,
    drawnByName,
    orgUnitId: d.orgUnitId,
  };
}

export function createSpotChecks(
  deps: Pick<CasesDeps, 'db' | 'clock' | 'random' | 'settings' | 'stats' | 'org'> & {
    statusToken: () => string;
    listItemById: (id: number) => Promise<CaseListItem>;
  },
) {
  const { db, clock, random, settings, stats, org } = deps;

  return {
    /**
     * Draws the month's spot checks in the supervisor's scope, among the ratings no earlier draw of the
     * month considered (all of which this draw records as considered). Per department the month's
     * target is ceil(share × all eligible so far: earlier draws' and the new), at least
     * `minPerDepartment` where any exist, less what earlier draws drew, within [0, new]: a second draw
     * without new ratings draws nothing, and the month's share stays at the setting. Each department's
     * PRNG is seeded from SHA-256(seed + department id), so a department's picks do not depend on who
     * else is in scope.
     */
    async draw(actor: Actor, input: DrawInput): Promise<DrawResult> {
      if (actor.role !== 'supervisor') throw new Forbidden('只有督查可以进行好评抽查');
      const seed = input.seed ?? Buffer.from(random.bytes(16)).toString('hex');
      // The draw records its scope's share; each department is drawn and given deadlines by the
      // settings of its own org unit (a county may set its own, docs/domain.md, Settings).
      const { spotCheck } = await settings.forUnit(actor.orgUnitId);
      const own = new Map<number, Settings>();
      for (const id of actor.departmentIds) own.set(id, await settings.forDepartment(id));
      const cal = settings.calendar();
      const now = clock.now();
      const today = chinaDay(now);
      const { month } = input;
      const [fromDay, toDay] = [`${month}-01`, `${month}-31`];
      const result = await db.transaction(async (tx) => {
        // Two draws at once (two supervisors, two instances) must not both pick the same rating.
        await lockKey(tx, 'spot-check-draw');
        const departmentIds = [...actor.departmentIds];
        // Only ratings no earlier draw of the month considered (in any scope) are new; the month's
        // target is taken over all of them, less what earlier draws already drew.
        const eligible = await sq.listEligibleForSpotCheck(tx, departmentIds, fromDay, toDay);
        const earlier = new Map((await sq.tallyConsidered(tx, departmentIds, fromDay, toDay)).map((e) => [e.departmentId, e]));
        const byDept = new Map<number, sq.EligibleRating[]>();
        for (const r of eligible) {
          const list = byDept.get(r.departmentId) ?? [];
          list.push(r);
          byDept.set(r.departmentId, list);
        }
        const picks: sq.EligibleRating[] = [];
        const perDepartment: Record<string, { eligible: number; new: number; drawn: number; drawnBefore: number; share: number }> = {};
        const monthTotal = { eligible: 0, drawn: 0 };
        for (const e of earlier.values()) {
          monthTotal.eligible += e.considered;
          monthTotal.drawn += e.drawn;
        }
        for (const [departmentId, list] of [...byDept].sort((a, b) => a[0] - b[0])) {
          const rule = (own.get(departmentId) ?? (await settings.forDepartment(departmentId))).spotCheck;
          const before = earlier.get(departmentId) ?? { considered: 0, drawn: 0 };
          const target = drawCount(before.considered + list.length, rule.share, rule.minPerDepartment);
          const k = Math.max(0, Math.min(list.length, target - before.drawn));
          const chosen = drawSample(list, k, seededRandom(`${seed}\u001f${departmentId}`));
          picks.push(...chosen.sort((a, b) => a.id - b.id));
          perDepartment[departmentId] = {
            eligible: before.considered + list.length,
            new: list.length,
            drawn: chosen.length,
            drawnBefore: before.drawn,
            share: rule.share,
          };
          monthTotal.eligible += list.length;
          monthTotal.drawn += chosen.length;
        }
        const draw = await sq.insertDraw(tx, {
          month,
          seed,
          share: spotCheck.share,
          orgUnitId: actor.orgUnitId,
          eligibleCount: eligible.length,
          drawnCount: picks.length,
          drawnBy: actor.id,
          drawnAt: now,
        });
        await sq.insertConsidered(
          tx,
          draw.id,
          eligible.map((r) => r.id),
        );
        const prefix = `SC${month.replace('-', '')}-`;
        let seq = await q.nextCaseSeq(tx, prefix, picks.length);
        const caseIds: number[] = [];
        for (const r of picks) {
          const { deadlines } = own.get(r.departmentId) ?? (await settings.forDepartment(r.departmentId));
          const row = await q.insertCase(tx, {
            caseNo: `${prefix}${String(seq++).padStart(4, '0')}`,
            kind: 'spot_check',
            status: 'open',
            ratingId: r.id,
            departmentId: r.departmentId,
            codeId: r.codeId,
            ratingDay: r.day,
            anonymous: false,
            contactDueDate: cal.addWorkingDays(today, deadlines.contactWorkingDays),
            dueDate: cal.addWorkingDays(today, deadlines.caseWorkingDays),
            statusToken: deps.statusToken(),
            drawId: draw.id,
            createdAt: now,
            updatedAt: now,
          });
          await q.insertCaseEvent(tx, {
            caseId: row.id,
            type: 'opened',
            toStatus: 'open',
            at: now,
            byUserId: actor.id,
            note: `${month} 好评抽查（抽取批次 #${draw.id}）`,
            data: { contactDueDate: row.contactDueDate, dueDate: row.dueDate },
            public: false,
          });
          await stats.recordCaseChange(tx, null, row);
          caseIds.push(row.id);
        }
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'spot_check.draw',
          targetType: 'spot_check_draw',
          targetId: String(draw.id),
          detail: {
            month,
            seed,
            share: spotCheck.share,
            minPerDepartment: spotCheck.minPerDepartment,
            eligible: eligible.length,
            drawn: picks.length,
            monthEligible: monthTotal.eligible,
            monthDrawn: monthTotal.drawn,
            perDepartment,
          },
        });
        return { draw, caseIds, monthTotal };
      });
      const cases: CaseListItem[] = [];
      for (const id of result.caseIds) cases.push(await deps.listItemById(id));
      return { draw: drawView(result.draw, actor.displayName), cases, monthTotal: result.monthTotal };
    },

    async listDraws(actor: Actor): Promise<SpotCheckDraw[]> {
      if (actor.role !== 'supervisor' && actor.role !== 'admin') throw new Forbidden('只有督查或管理员可以查看抽查记录');
      const draws = await sq.listDraws(db, await org.orgUnitIdsInScope(actor), 200);
      return draws.map((d) => drawView(d, d.drawnByName));
    },
  };
}
