import type { Db, Tx } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import { bumpCacheVersion } from '../../../db/queries/coordination.js';
import * as q from '../../../db/queries/org.js';
import type {
  CreateDepartmentInput,
  DepartmentView,
  OrgUnitView,
  UpdateDepartmentInput,
  UpdateOrgUnitInput,
} from '../../../shared/api/org.js';
import { areaCodeProblem, creditCodeProblem, normalizeCreditCode } from '../../../shared/report-codes.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import type { ReportOutbox } from '../reporting/outbox.js';

// The stats module still imports the department's shape from here (it belongs to shared/api/org.ts).
export type { DepartmentView };

export function createOrgService(deps: {
  db: Db;
  clock: Clock;
  /** Upward reporting: a code filled in lets the records waiting for it go (in the same transaction). */
  report?: Pick<ReportOutbox, 'codesChanged'>;
}) {
  const { db, clock, report } = deps;

  async function unitNames(): Promise<Map<number, string>> {
    return new Map((await q.listOrgUnits(db)).map((u) => [u.id, u.name]));
  }

  /**
   * Departments an admin/supervisor (org unit subtree) or a head (assigned departments) may see, and
   * whether they are every department there is (never said of a head's: their lists differ in kind).
   */
  async function departmentScope(user: { id: number; role: string; orgUnitId: number | null }): Promise<{ ids: number[]; every: boolean }> {
    if (user.role === 'dept_head') return { ids: await q.departmentIdsOfUser(db, user.id), every: false };
    if (user.orgUnitId == null) return { ids: [], every: false };
    return q.departmentScopeUnder(db, user.orgUnitId);
  }

  /** Departments an admin/supervisor (org unit subtree) or a head (assigned departments) may see. */
  async function departmentIdsInScope(user: { id: number; role: string; orgUnitId: number | null }): Promise<number[]> {
    return (await departmentScope(user)).ids;
  }

  function toView(d: q.DepartmentRow, names: Map<number, string>): DepartmentView {
    return {
      id: d.id,
      name: d.name,
      orgUnitId: d.orgUnitId,
      orgUnitName: names.get(d.orgUnitId) ?? '',
      active: d.active,
      sortOrder: d.sortOrder,
      creditCode: d.creditCode,
    };
  }

  function unitView(u: q.OrgUnitRow): OrgUnitView {
    return { id: u.id, parentId: u.parentId, kind: u.kind, name: u.name, areaCode: u.areaCode };
  }

  return {
    departmentScope,
    departmentIdsInScope,

    async listDepartments(actor: Actor): Promise<DepartmentView[]> {
      return q.listDepartmentsByIds(db, [...actor.departmentIds]);
    },

    /** A department in the actor's scope, or NotFound (never revealing that it exists elsewhere). */
    async getDepartment(actor: Actor, id: number): Promise<DepartmentView> {
      const d = actor.departmentIds.has(id) ? await q.getDepartment(db, id) : undefined;
      if (!d) throw new NotFound('部门不存在');
      return toView(d, await unitNames());
    },

    async listOrgUnits(actor: Actor): Promise<OrgUnitView[]> {
      const all = await q.listOrgUnits(db);
      if (actor.orgUnitId == null) return [];
      const visible = new Set(await q.orgSubtreeIds(db, actor.orgUnitId));
      return all.filter((u) => visible.has(u.id)).map(unitView);
    },

    /** The departments of an org unit and every unit below it that the actor sees, in display order. */
    async departmentIdsUnder(actor: Actor, orgUnitId: number): Promise<number[]> {
      return (await q.departmentIdsUnder(db, orgUnitId)).filter((id) => actor.departmentIds.has(id));
    },

    async orgUnitIdsInScope(actor: Actor): Promise<number[]> {
      return actor.orgUnitId == null ? [] : q.orgSubtreeIds(db, actor.orgUnitId);
    },

    /**
     * The whole tree, unscoped: every org unit and every department's unit. For the settings cache,
     * which resolves a department's settings through its unit and the units above it.
     */
    async tree(): Promise<{ units: OrgUnitView[]; departments: Array<{ id: number; orgUnitId: number }> }> {
      const units = (await q.listOrgUnits(db)).map(unitView);
      return { units, departments: await q.listDepartmentUnits(db) };
    },

    /** Makes a department head responsible for these departments, inside the caller's transaction. */
    async assignUserDepartments(tx: Tx, userId: number, departmentIds: number[]): Promise<void> {
      await q.assignUserDepartments(tx, userId, departmentIds);
    },

    async createDepartment(actor: Actor, input: CreateDepartmentInput): Promise<DepartmentView> {
      if (actor.role !== 'admin') throw new Forbidden('只有管理员可以新建部门');
      const name = input.name.trim();
      if (!name) throw new BadRequest('部门名称不能为空');
      if (actor.orgUnitId == null || !(await q.orgSubtreeIds(db, actor.orgUnitId)).includes(input.orgUnitId)) {
        throw new NotFound('组织单位不存在');
      }
      const unit = await q.getOrgUnit(db, input.orgUnitId);
      if (unit?.kind !== 'county') throw new BadRequest('部门只能建在县/区之下');
      if (await q.findDepartmentByName(db, input.orgUnitId, name)) throw new Conflict(`部门「${name}」已存在`);
      const now = clock.now();
      const d = await db.transaction(async (tx) => {
        // The tree changed: every instance's settings cache learns the department's unit.
        await bumpCacheVersion(tx, 'org');
        const row = await q.insertDepartment(tx, {
          orgUnitId: input.orgUnitId,
          name,
          sortOrder: input.sortOrder ?? 0,
          createdAt: now,
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'department.create',
          targetType: 'department',
          targetId: String(row.id),
          detail: { name },
        });
        return row;
      });
      return toView(d, await unitNames());
    },

    /**
     * Sets or clears a department's 统一社会信用代码 (the deptCode of its upward reports): an admin, within
     * scope (else 404). A bad code is 400 naming what is wrong; a code another department holds is 409.
     */
    async updateDepartment(actor: Actor, id: number, input: UpdateDepartmentInput): Promise<DepartmentView> {
      if (actor.role !== 'admin') throw new Forbidden('只有管理员可以修改部门');
      const creditCode = input.creditCode ? normalizeCreditCode(input.creditCode) || null : null;
      if (creditCode !== null) {
        const problem = creditCodeProblem(creditCode);
        if (problem) throw new BadRequest(problem, 'InvalidCreditCode');
      }
      if (!actor.departmentIds.has(id)) throw new NotFound('部门不存在');
      const now = clock.now();
      const d = await db.transaction(async (tx) => {
        const before = await q.getDepartment(tx, id);
        if (!before) throw new NotFound('部门不存在');
        if (before.creditCode === creditCode) return before;
        const holder = creditCode === null ? undefined : await q.findDepartmentByCreditCode(tx, creditCode);
        if (holder && holder.id !== id) {
          throw new Conflict(`统一社会信用代码 ${creditCode} 已属于部门「${holder.name}」`, 'DuplicateCreditCode');
        }
        await q.setDepartmentCreditCode(tx, id, creditCode);
        await report?.codesChanged(tx, now);
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'department.update',
          targetType: 'department',
          targetId: String(id),
          detail: { name: before.name, changes: { creditCode: { from: before.creditCode, to: creditCode } } },
        });
        return { ...before, creditCode };
      });
      return toView(d, await unitNames());
    },

    /**
     * Sets or clears an org unit's 行政区划代码 (the areaCode of its departments' upward reports): an admin
     * whose scope (their unit and the units below) includes it, else 404. A bad code is 400.
     */
    async updateOrgUnit(actor: Actor, id: number, input: UpdateOrgUnitInput): Promise<OrgUnitView> {
      if (actor.role !== 'admin') throw new Forbidden('只有管理员可以修改组织单位');
      const areaCode = input.areaCode?.trim() || null;
      if (areaCode !== null) {
        const problem = areaCodeProblem(areaCode);
        if (problem) throw new BadRequest(problem, 'InvalidAreaCode');
      }
      if (actor.orgUnitId == null || !(await q.orgSubtreeIds(db, actor.orgUnitId)).includes(id)) throw new NotFound('组织单位不存在');
      const now = clock.now();
      const u = await db.transaction(async (tx) => {
        const before = await q.getOrgUnit(tx, id);
        if (!before) throw new NotFound('组织单位不存在');
        if (before.areaCode === areaCode) return before;
        await q.setOrgUnitAreaCode(tx, id, areaCode);
        await report?.codesChanged(tx, now);
        // The settings cache holds the org units (with their codes): every instance reloads them.
        await bumpCacheVersion(tx, 'org');
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'org_unit.update',
          targetType: 'org_unit',
          targetId: String(id),
          detail: { name: before.name, changes: { areaCode: { from: before.areaCode, to: areaCode } } },
        });
        return { ...before, areaCode };
      });
      return unitView(u);
    },
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
