import type { Db } from '../../../db/client.js';
import * as q from '../../../db/queries/codes.js';
import { insertAudit } from '../../../db/queries/audit.js';
import { generateCodeId, normalizeCodeId } from '../../../qr-codes/index.js';
import { BadRequest, Conflict, Gone, NotFound } from '../../errors.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import { addDays, chinaDay, dayNumber, daysBetween } from '../../../shared/china-time.js';
import { LOCATION_MAX, STAFF_NAME_MAX } from '../../../shared/domain.js';
import type { OrgService } from '../org/org.service.js';
import type { StatsService } from '../stats/stats.service.js';
import { funnelView, funnelWindowStart, type FunnelView } from './funnel.js';
import { createQrImages, type PosterCode, type QrImage } from './codes.images.js';
import { LRUCache } from 'lru-cache';
import JSZip from 'jszip';

/** What the citizen page and the rating path need to know about a code. */
export interface PublicCodeInfo {
  code: string;
  departmentId: number;
  departmentName: string;
  location: string;
  staffName: string | null;
  serviceItems: string[];
  active: boolean;
}

export interface StaffCodeView extends PublicCodeInfo {
  createdAt: number;
  disabledAt: number | null;
  url: string;
  funnel: FunnelView;
}

export interface CodePatch {
  active?: boolean;
  location?: string;
  staffName?: string | null;
  /** Present only to be refused: a code's department never changes (DOMAIN.md, Codes). */
  departmentId?: unknown;
}

export interface BulkCreateInput {
  count: number;
  locationPattern: string;
  startAt?: number;
  staffName?: string | null;
}

export const FUNNEL_SERIES_MAX_DAYS = 366;
// Department names can change elsewhere; a short life bounds how long a cached name can be stale.
const PUBLIC_INFO_TTL_MS = 60_000;
const NOT_FOUND = '评议码不存在';

export function createCodesService(deps: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  org: OrgService;
  stats: StatsService;
  publicBaseUrl: string;
}) {
  const { db, clock, random, org, stats } = deps;
  const images = createQrImages({ publicBaseUrl: deps.publicBaseUrl });
  // Only existing codes are cached: caching misses would let anyone fill memory with made-up ids.
  const publicCache = new LRUCache<string, { info: PublicCodeInfo; until: number }>({ max: 5000 });

  function toPublic(row: q.CodeWithDepartment): PublicCodeInfo {
    return Object.freeze({
      code: row.id,
      departmentId: row.departmentId,
      departmentName: row.departmentName,
      location: row.location,
      staffName: row.staffName ?? null,
      serviceItems: Object.freeze([...(row.serviceItems ?? [])]) as string[],
      active: row.active,
    });
  }

  /** Public info of a code (any spelling a person might type), or null when there is no such code. */
  function getPublicInfo(raw: string): PublicCodeInfo | null {
    const code = normalizeCodeId(raw);
    if (!code) return null;
    const now = clock.now();
    const hit = publicCache.get(code);
    if (hit && hit.until > now) return hit.info;
    const row = q.getCodeWithDepartment(db, code);
    if (!row) {
      publicCache.delete(code);
      return null;
    }
    const info = toPublic(row);
    publicCache.set(code, { info, until: now + PUBLIC_INFO_TTL_MS });
    return info;
  }

  function requirePublic(raw: string): PublicCodeInfo {
    const info = getPublicInfo(raw);
    if (!info) throw new NotFound(NOT_FOUND, 'CodeNotFound');
    return info;
  }

  /** A code in the actor's scope, or NotFound (never revealing that it exists elsewhere). */
  function requireScoped(actor: Actor, raw: string): q.CodeWithDepartment {
    const code = normalizeCodeId(raw);
    const row = code ? q.getCodeWithDepartment(db, code) : undefined;
    if (!row || !actor.departmentIds.has(row.departmentId)) throw new NotFound(NOT_FOUND, 'CodeNotFound');
    return row;
  }

  function views(rows: q.CodeWithDepartment[], departmentIds: number[]): StaffCodeView[] {
    if (rows.length === 0) return [];
    const now = clock.now();
    const since = funnelWindowStart(chinaDay(now));
    // One grouped query for every code listed, never one per code.
    const single = rows.length === 1 ? rows[0]!.id : undefined;
    const totals = new Map(q.funnelTotals(db, departmentIds, since, single).map((t) => [t.codeId, t]));
    return rows.map((r) => ({
      code: r.id,
      departmentId: r.departmentId,
      departmentName: r.departmentName,
      location: r.location,
      staffName: r.staffName ?? null,
      serviceItems: r.serviceItems ?? [],
      active: r.active,
      createdAt: r.createdAt,
      disabledAt: r.disabledAt ?? null,
      url: images.url(r.id),
      funnel: funnelView(totals.get(r.id), r, now),
    }));
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

  function posterCodes(rows: q.CodeWithDepartment[]): PosterCode[] {
    return rows.map((r) => ({ code: r.id, departmentName: r.departmentName, location: r.location, staffName: r.staffName ?? null }));
  }

  return {
    getPublicInfo,

    /** Public info for the citizen page; disabled codes are answered too (the page says so). */
    publicInfo(raw: string): PublicCodeInfo {
      return requirePublic(raw);
    },

    /** Id of the oldest active code (the demo link printed at start), or null. */
    firstActiveCode(): string | null {
      return q.firstActiveCodeId(db) ?? null;
    },

    /** The URL a code's QR encodes. */
    codeUrl(code: string): string {
      return images.url(code);
    },

    /** The QR as SVG. Disabled codes keep their image: it is printed already. */
    qrSvg(raw: string): QrImage<string> {
      return images.svg(requirePublic(raw).code);
    },

    qrPng(raw: string, size: number): Promise<QrImage<Buffer>> {
      return images.png(requirePublic(raw).code, size);
    },

    /** A landing-page open (scan funnel). Disabled codes are not counted: nobody can rate them. */
    recordOpen(raw: string): void {
      const info = requirePublic(raw);
      if (!info.active) throw new Gone('该评议码已停用', 'CodeDisabled');
      stats.recordOpen(db, info.code, info.departmentId, chinaDay(clock.now()));
    },

    list(actor: Actor, filter: { departmentId?: number; active?: boolean } = {}): StaffCodeView[] {
      const departmentIds = scopedDepartmentIds(actor, filter.departmentId);
      return views(q.listCodesWithDepartment(db, departmentIds, { active: filter.active }), departmentIds);
    },

    get(actor: Actor, raw: string): StaffCodeView {
      const row = requireScoped(actor, raw);
      return views([row], [row.departmentId])[0]!;
    },

    /** Daily opens and submissions of one code, every day of [from, to] (default: the last 30 days). */
    funnelSeries(actor: Actor, raw: string, range: { from?: string; to?: string }) {
      const row = requireScoped(actor, raw);
      const today = chinaDay(clock.now());
      for (const d of [range.from, range.to]) if (d !== undefined && dayNumber(d) === null) throw new BadRequest(`${d} 不是有效日期`);
      const to = range.to ?? (range.from ? addDays(range.from, 29) : today);
      const from = range.from ?? funnelWindowStart(to);
      const span = daysBetween(from, to);
      if (span < 0) throw new BadRequest('开始日期不能晚于结束日期');
      if (span >= FUNNEL_SERIES_MAX_DAYS) throw new BadRequest(`查询范围最多 ${FUNNEL_SERIES_MAX_DAYS} 天`);
      const byDay = new Map(q.funnelDays(db, row.id, from, to).map((d) => [d.day, d]));
      const days = Array.from({ length: span + 1 }, (_, i) => {
        const day = addDays(from, i);
        const d = byDay.get(day);
        return { day, opens: d?.opens ?? 0, submissions: d?.submissions ?? 0 };
      });
      return { code: row.id, from, to, days };
    },

    /** Admin change of a code: enable/disable, relabel. Every change is audited with before/after. */
    update(actor: Actor, raw: string, patch: CodePatch): StaffCodeView {
      if (patch.departmentId !== undefined) {
        throw new BadRequest('评议码的所属部门不能更改：请停用此码，再在新部门下新建评议码', 'DepartmentImmutable');
      }
      const row = requireScoped(actor, raw);
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
      if (Object.keys(after).length > 0) {
        const now = clock.now();
        db.transaction((tx) => {
          const disabledAt = after.active === undefined ? undefined : after.active ? null : now;
          q.updateCode(tx, row.id, { ...(after as typeof next), ...(disabledAt !== undefined ? { disabledAt } : {}), updatedAt: now });
          insertAudit(tx, {
            at: now,
            userId: actor.id,
            action: after.active === false ? 'code.disable' : after.active === true ? 'code.enable' : 'code.update',
            targetType: 'code',
            targetId: row.id,
            detail: { before, after },
          });
        });
        publicCache.delete(row.id);
      }
      return views([q.getCodeWithDepartment(db, row.id)!], [row.departmentId])[0]!;
    },

    /**
     * Bulk creation of window codes: `{n}` in the pattern becomes startAt, startAt+1, … Ids are random
     * and checked against every code ever made, disabled ones included, so an id is never handed out twice.
     */
    createBulk(actor: Actor, departmentId: number, input: BulkCreateInput): StaffCodeView[] {
      const department = org.getDepartment(actor, departmentId);
      if (!department.active) throw new Conflict('部门已停用，不能新建评议码');
      const pattern = input.locationPattern.trim();
      if (input.count > 1 && !pattern.includes('{n}')) {
        throw new BadRequest('批量新建时位置模板须包含 {n}（窗口号），否则各码位置相同');
      }
      const startAt = input.startAt ?? 1;
      const locations = Array.from({ length: input.count }, (_, i) =>
        trimmedLocation(pattern.replaceAll('{n}', String(startAt + i))),
      );
      const staffName = trimmedStaffName(input.staffName);
      const now = clock.now();
      const created = db.transaction((tx) => {
        const ids = freshIds(tx, input.count);
        const rows = q.insertCodes(
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
        insertAudit(tx, {
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
      const rows = q.listCodesWithDepartment(db, [departmentId]).filter((r) => byId.has(r.id));
      return views(rows, [departmentId]);
    },

    /** The A4 print sheet of a department's active codes (disabled codes are left out). */
    departmentPosters(actor: Actor, departmentId: number, sheet: { styleNonce?: string } = {}): string {
      const department = org.getDepartment(actor, departmentId);
      const rows = q.listCodesWithDepartment(db, [departmentId], { active: true });
      return images.posterSheet(`${department.name} · 评议码海报`, posterCodes(rows), sheet);
    },

    /** The print sheet of every active code of an org unit (a whole county: 308 posters) in scope. */
    orgUnitPosters(actor: Actor, orgUnitId: number, sheet: { styleNonce?: string } = {}): string {
      if (!org.orgUnitIdsInScope(actor).includes(orgUnitId)) throw new NotFound('组织单位不存在');
      const units = org.listOrgUnits(actor);
      const subtree = new Set([orgUnitId]);
      // Units come parent-first only by accident; iterate until the subtree stops growing.
      for (let grew = true; grew; ) {
        grew = false;
        for (const u of units) {
          if (u.parentId != null && subtree.has(u.parentId) && !subtree.has(u.id)) {
            subtree.add(u.id);
            grew = true;
          }
        }
      }
      const departmentIds = org.listDepartments(actor).filter((d) => subtree.has(d.orgUnitId)).map((d) => d.id);
      const rows = q.listCodesWithDepartment(db, departmentIds, { active: true });
      const name = units.find((u) => u.id === orgUnitId)?.name ?? '';
      return images.posterSheet(`${name} · 评议码海报`, posterCodes(rows), sheet);
    },

    /** A ZIP of the department's active codes as SVG files, with a CSV list of what each code is. */
    async departmentSvgZip(actor: Actor, departmentId: number): Promise<{ filename: string; body: Buffer }> {
      const department = org.getDepartment(actor, departmentId);
      const rows = q.listCodesWithDepartment(db, [departmentId], { active: true });
      const csvCell = (v: string) => (/[",\r\n]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      const csv =
        '\uFEFF评议码,部门,位置,服务人员,二维码网址\r\n' +
        rows
          .map((r) => [r.id, r.departmentName, r.location, r.staffName ?? '', images.url(r.id)].map(csvCell).join(','))
          .join('\r\n') +
        '\r\n';
      const zip = new JSZip();
      zip.file('评议码清单.csv', csv);
      for (const r of rows) zip.file(`${r.id}.svg`, images.svg(r.id).body);
      const body = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
      return { filename: `${department.name}-评议码.zip`, body };
    },
  };

  /** `count` ids unused by any code, ever; collisions (rare: 31^6 ids) are drawn again. */
  function freshIds(tx: Parameters<typeof q.existingCodeIds>[0], count: number): string[] {
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
      const taken = q.existingCodeIds(tx, [...candidates]);
      for (const id of candidates) if (!taken.has(id)) chosen.add(id);
    }
    return [...chosen];
  }
}

export type CodesService = ReturnType<typeof createCodesService>;
