// The codes module: staff listing and administration of codes here; the cached public lookup
// (code-lookup.ts), the scan funnel's rules (funnel.ts) and print material (print.ts) are composed in.

import type { Db, DbOrTx } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/codes.js';
import { bumpCacheVersion } from '../../../db/queries/coordination.js';
import { generateCodeId, normalizeCodeId } from '../../../qr-codes/index.js';
import type { CodeListQueryT, CodeListT, FunnelSeriesT, PublicCodeInfoT, StaffCodeViewT } from '../../../shared/api/codes.js';
import { chinaDay } from '../../../shared/china-time.js';
import { LOCATION_MAX, STAFF_NAME_MAX } from '../../../shared/domain.js';
import { BadRequest, Conflict, Gone, NotFound } from '../../errors.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import type { OrgService } from '../org/org.service.js';
import type { StatsService } from '../stats/stats.service.js';
import { codeNotFound, createCodeLookup, publicCodeInfo } from './code-lookup.js';
import { defaultOrder, isColumnSort, type ListedCode, listedOrder, needsFigures } from './code-order.js';
import { createQrImages } from './codes.images.js';
import { everyFunnelDay, funnelSeriesRange, funnelView, funnelWindowStart } from './funnel.js';
import type { PngRenderer } from './png-renderer.js';
import { createCodePrint } from './print.js';

export interface CodePatch {
  active?: boolean;
  location?: string;
  staffName?: string | null;
  /** Present only to be refused: a code's department never changes (docs/domain.md, Codes). */
  departmentId?: unknown;
}

export interface BulkCreateInput {
  count: number;
  locationPattern: string;
  startAt?: number;
  staffName?: string | null;
}

export function createCodesService(deps: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  org: Pick<OrgService, 'getDepartment' | 'listOrgUnits' | 'departmentIdsUnder'>;
  stats: Pick<StatsService, 'recordOpen'>;
  publicBaseUrl: string;
  pngRenderer: PngRenderer;
}) {
  const { db, clock, random, org, stats } = deps;
  const images = createQrImages({ publicBaseUrl: deps.publicBaseUrl, pngRenderer: deps.pngRenderer });
  const lookup = createCodeLookup({ db, clock });

  /** A code in the actor's scope, or NotFound (never revealing that it exists elsewhere). */
  async function requireScoped(actor: Actor, raw: string, conn: DbOrTx = db): Promise<q.CodeWithDepartment> {
    const code = normalizeCodeId(raw);
    const row = code ? await q.getCodeWithDepartment(conn, code) : undefined;
    if (!row || !actor.departmentIds.has(row.departmentId)) throw codeNotFound();
    return row;
  }

  /**
   * Staff views of the rows, with their funnel figures: `totals` when the caller has them already,
   * else one grouped query for every code listed, never one per code.
   */
  async function views(rows: q.CodeWithDepartment[], totals?: Map<string, q.CodeFunnelTotals>): Promise<StaffCodeViewT[]> {
    if (rows.length === 0) return [];
    const now = clock.now();
    const funnel = totals ?? (await funnelTotalsOf({ codeIds: rows.map((r) => r.id) }));
    return rows.map((r) => ({
      ...publicCodeInfo(r),
      createdAt: r.createdAt,
      disabledAt: r.disabledAt ?? null,
      url: images.url(r.id),
      funnel: funnelView(funnel.get(r.id), r, now),
    }));
  }

  async function funnelTotalsOf(of: Parameters<typeof q.funnelTotals>[1]): Promise<Map<string, q.CodeFunnelTotals>> {
    const since = funnelWindowStart(chinaDay(clock.now()));
    return new Map((await q.funnelTotals(db, of, since)).map((t) => [t.codeId, t]));
  }

  function scopedDepartmentIds(actor: Actor, departmentId?: number): number[] {
    if (departmentId === undefined) return [...actor.departmentIds];
    if (!actor.departmentIds.has(departmentId)) throw new NotFound('部门不存在');
    return [departmentId];
  }

  function trimmedLocation(value: string): string {
    const location = value.trim();
    if (!location) throw new BadRequest('位置不能为空');
    if (location.length > LOCATION_MAX) throw new BadRequest(`位置最多 ${LOCATION_MAX} 个字符`);
    return location;
  }

  function trimmedStaffName(value: string | null | undefined): string | null {
    const name = value?.trim() ?? '';
    if (name.length > STAFF_NAME_MAX) throw new BadRequest(`服务人员姓名最多 ${STAFF_NAME_MAX} 个字符`);
    return name === '' ? null : name;
  }

  return {
    getPublicInfo: lookup.getPublicInfo,
    requirePublicInfo: lookup.requirePublicInfo,
    forgetCachedCodes: lookup.forgetAll,
    ...createCodePrint({ db, org, lookup, images }),

    /**
     * A code of the actor's scope as a staff path that writes under it needs it (ratings typed in):
     * its public info, when it was made and disabled. Outside the scope, or unknown: 404.
     */
    async scopedCode(actor: Actor, raw: string): Promise<PublicCodeInfoT & { createdAt: number; disabledAt: number | null }> {
      const row = await requireScoped(actor, raw);
      return { ...publicCodeInfo(row), createdAt: row.createdAt, disabledAt: row.disabledAt ?? null };
    },

    /** Id of the oldest active code (the demo link printed at start), or null. */
    async firstActiveCode(): Promise<string | null> {
      return (await q.firstActiveCodeId(db)) ?? null;
    },

    /** A landing-page open (scan funnel). Disabled codes are not counted: nobody can rate them. */
    async recordOpen(raw: string): Promise<void> {
      const info = await lookup.requirePublicInfo(raw);
      if (!info.active) throw new Gone('该评议码已停用', 'CodeDisabled');
      const day = chinaDay(clock.now());
      await db.transaction(async (tx) => {
        await stats.recordOpen(tx, info.code, info.departmentId, day);
      });
    },

    /**
     * The codes in scope matching the filters, in the order asked (default: print order), with their
     * scan funnel: all of them, or with `limit` one page; `total` counts every match either way.
     */
    async list(actor: Actor, query: CodeListQueryT = {}): Promise<CodeListT> {
      const departmentIds = scopedDepartmentIds(actor, query.departmentId);
      const filter = { active: query.active };
      const sort = query.sort ?? 'department';
      const order = query.order ?? defaultOrder(sort);
      const page = query.limit === undefined ? null : { limit: query.limit, offset: query.offset ?? 0 };

      if (isColumnSort(sort) && query.alerted === undefined) {
        // SQL orders and pages the codes; a page reads only its own funnel figures.
        const rows = await q.pageCodesWithDepartment(db, departmentIds, filter, {
          sort,
          order,
          limit: page?.limit ?? -1,
          offset: page?.offset ?? 0,
        });
        if (!page) return { codes: await views(rows, await funnelTotalsOf({ departmentIds })), total: rows.length };
        return { codes: await views(rows), total: await q.countCodes(db, departmentIds, filter) };
      }

      // By location, or by a figure or filtered by alert: every code in scope is ordered here, and
      // every funnel figure is read first when the order or the filter needs them.
      const funnel = needsFigures(sort) || query.alerted !== undefined ? await funnelTotalsOf({ departmentIds }) : undefined;
      const now = clock.now();
      const rows = isColumnSort(sort)
        ? await q.pageCodesWithDepartment(db, departmentIds, filter, { sort, order, limit: -1, offset: 0 })
        : await q.listCodesWithDepartment(db, departmentIds, filter);
      let listed: ListedCode[] = rows.map((row) => ({ row, figures: funnel ? funnelView(funnel.get(row.id), row, now) : null }));
      if (query.alerted !== undefined) listed = listed.filter((c) => (c.figures!.alert !== null) === query.alerted);
      if (!isColumnSort(sort)) listed.sort(listedOrder(sort, order));
      const shown = page ? listed.slice(page.offset, page.offset + page.limit) : listed;
      return {
        codes: await views(
          shown.map((c) => c.row),
          funnel,
        ),
        total: listed.length,
      };
    },

    /** Daily opens and submissions of one code, every day of [from, to] (default: the last 30 days). */
    async funnelSeries(actor: Actor, raw: string, range: { from?: string; to?: string }): Promise<FunnelSeriesT> {
      const row = await requireScoped(actor, raw);
      const { from, to } = funnelSeriesRange(range, chinaDay(clock.now()));
      return { code: row.id, from, to, days: everyFunnelDay({ from, to }, await q.funnelDays(db, row.id, from, to)) };
    },

    /** Admin change of a code: enable/disable, relabel. Every change is audited with before/after. */
    async update(actor: Actor, raw: string, patch: CodePatch): Promise<StaffCodeViewT> {
      if (patch.departmentId !== undefined) {
        throw new BadRequest('评议码的所属部门不能更改：请停用此码，再在新部门下新建评议码', 'DepartmentImmutable');
      }
      // The row is read in the transaction that changes it: the before/after compared and audited are
      // those of the row written, even when another change of the code commits meanwhile.
      const { id, changed } = await db.transaction(async (tx) => {
        await bumpCacheVersion(tx, 'codes');
        const row = await requireScoped(actor, raw, tx);
        const next: { active?: boolean; location?: string; staffName?: string | null } = {};
        if (patch.location !== undefined) next.location = trimmedLocation(patch.location);
        if (patch.staffName !== undefined) next.staffName = trimmedStaffName(patch.staffName);
        if (patch.active !== undefined) next.active = patch.active;
        if (Object.keys(next).length === 0) throw new BadRequest('没有要修改的内容');

        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        for (const key of Object.keys(next) as Array<keyof typeof next>) {
          const current = key === 'staffName' ? (row.staffName ?? null) : row[key];
          if (current !== next[key]) {
            before[key] = current;
            after[key] = next[key];
          }
        }
        if (Object.keys(after).length === 0) return { id: row.id, changed: false };
        const now = clock.now();
        const disabledAt = after.active === undefined ? undefined : after.active ? null : now;
        await q.updateCode(tx, row.id, {
          ...(after as typeof next),
          ...(disabledAt !== undefined ? { disabledAt } : {}),
          updatedAt: now,
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: after.active === false ? 'code.disable' : after.active === true ? 'code.enable' : 'code.update',
          targetType: 'code',
          targetId: row.id,
          detail: { before, after },
        });
        return { id: row.id, changed: true };
      });
      if (changed) lookup.forget(id);
      return (await views([(await q.getCodeWithDepartment(db, id))!]))[0]!;
    },

    /**
     * Bulk creation of window codes: `{n}` in the pattern becomes startAt, startAt+1, … Ids are random
     * and checked against every code ever made, disabled ones included, so an id is never handed out twice.
     */
    async createBulk(actor: Actor, departmentId: number, input: BulkCreateInput): Promise<StaffCodeViewT[]> {
      const department = await org.getDepartment(actor, departmentId);
      if (!department.active) throw new Conflict('部门已停用，不能新建评议码');
      const pattern = input.locationPattern.trim();
      if (input.count > 1 && !pattern.includes('{n}')) {
        throw new BadRequest('批量新建时位置模板须包含 {n}（窗口号），否则各码位置相同');
      }
      const startAt = input.startAt ?? 1;
      const locations = Array.from({ length: input.count }, (_, i) => trimmedLocation(pattern.replaceAll('{n}', String(startAt + i))));
      const staffName = trimmedStaffName(input.staffName);
      const now = clock.now();
      const created = await db.transaction(async (tx) => {
        const ids = await freshIds(tx, input.count);
        const rows = await q.insertCodes(
          tx,
          ids.map((id, i) => ({
            id,
            departmentId,
            location: locations[i]!,
            staffName,
            serviceItems: null,
            active: true,
            disabledAt: null,
            createdAt: now,
            updatedAt: now,
          })),
        );
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'code.create',
          targetType: 'department',
          targetId: String(departmentId),
          detail: { count: rows.length, codes: ids, locationPattern: pattern, startAt, staffName },
        });
        return rows;
      });
      const byId = new Set(created.map((r) => r.id));
      const rows = (await q.listCodesWithDepartment(db, [departmentId])).filter((r) => byId.has(r.id));
      return views(rows);
    },
  };

  /** `count` ids unused by any code, ever; collisions (rare: 31^6 ids) are drawn again. */
  async function freshIds(tx: Parameters<typeof q.existingCodeIds>[0], count: number): Promise<string[]> {
    const chosen = new Set<string>();
    // A source that keeps repeating itself is broken; fail loudly instead of spinning.
    const maxDraws = count * 20 + 100;
    let draws = 0;
    while (chosen.size < count) {
      const candidates = new Set<string>();
      while (candidates.size < count - chosen.size) {
        if (++draws > maxDraws) throw new Error('could not draw unused code ids: is the random source broken?');
        const id = generateCodeId((n) => random.bytes(n));
        if (!chosen.has(id)) candidates.add(id);
      }
      const taken = await q.existingCodeIds(tx, [...candidates]);
      for (const id of candidates) if (!taken.has(id)) chosen.add(id);
    }
    return [...chosen];
  }
}

export type CodesService = ReturnType<typeof createCodesService>;
