import { and, asc, eq } from 'drizzle-orm';
import { type DbOrTx, first, only, statement } from '../client.js';
import { departments, orgUnits, userDepartments } from '../schema.js';

export type OrgUnitRow = typeof orgUnits.$inferSelect;
export type DepartmentRow = typeof departments.$inferSelect;

export async function insertOrgUnit(db: DbOrTx, values: typeof orgUnits.$inferInsert): Promise<OrgUnitRow> {
  return only(db.insert(orgUnits).values(values).returning());
}

export async function insertDepartment(db: DbOrTx, values: typeof departments.$inferInsert): Promise<DepartmentRow> {
  return only(db.insert(departments).values(values).returning());
}

export async function listOrgUnits(db: DbOrTx): Promise<OrgUnitRow[]> {
  return db.select().from(orgUnits).orderBy(asc(orgUnits.id));
}

/** Every department's org unit (the settings cache resolves a department's settings through it). */
export async function listDepartmentUnits(db: DbOrTx): Promise<Array<{ id: number; orgUnitId: number }>> {
  return db.select({ id: departments.id, orgUnitId: departments.orgUnitId }).from(departments).orderBy(asc(departments.id));
}

export async function getOrgUnit(db: DbOrTx, id: number): Promise<OrgUnitRow | undefined> {
  return first(db.select().from(orgUnits).where(eq(orgUnits.id, id)));
}

/** Ids of an org unit and every unit below it (市 → 县/区). */
export async function orgSubtreeIds(db: DbOrTx, rootId: number): Promise<number[]> {
  return statement(db, `${SUBTREE} SELECT id FROM sub`).column<number>([rootId]);
}

/** A department as the lists show it: with its org unit's name. */
export interface DepartmentListRow {
  id: number;
  orgUnitId: number;
  orgUnitName: string;
  name: string;
  sortOrder: number;
  active: boolean;
  creditCode: string | null;
}

// Every dashboard request lists its scope's departments: one statement prepared once per connection
// (the ids as one JSON parameter), the org unit's name joined in, not a second round trip for every
// unit's name (PostgreSQL).
const DEPARTMENTS_BY_IDS = `SELECT d.id, d.org_unit_id, u.name, d.name, d.sort_order, d.active, d.credit_code
  FROM departments d JOIN org_units u ON u.id = d.org_unit_id
  WHERE d.id IN (SELECT value FROM json_each(@ids)) ORDER BY d.sort_order, d.id`;

/** The given departments, in display order. */
export async function listDepartmentsByIds(db: DbOrTx, ids: readonly number[]): Promise<DepartmentListRow[]> {
  if (ids.length === 0) return [];
  const found = (await statement(db, DEPARTMENTS_BY_IDS).arrays({ ids: JSON.stringify(ids) })) as [
    number,
    number,
    string,
    string,
    number,
    number,
    string | null,
  ][];
  return found.map(([id, orgUnitId, orgUnitName, name, sortOrder, active, creditCode]) => ({
    id,
    orgUnitId,
    orgUnitName,
    name,
    sortOrder,
    active: active === 1,
    creditCode,
  }));
}

export async function getDepartment(db: DbOrTx, id: number): Promise<DepartmentRow | undefined> {
  return first(db.select().from(departments).where(eq(departments.id, id)));
}

/** Another department holding this 统一社会信用代码, if any. */
export async function findDepartmentByCreditCode(db: DbOrTx, creditCode: string): Promise<DepartmentRow | undefined> {
  return first(db.select().from(departments).where(eq(departments.creditCode, creditCode)));
}

export async function setDepartmentCreditCode(db: DbOrTx, id: number, creditCode: string | null): Promise<void> {
  await db.update(departments).set({ creditCode }).where(eq(departments.id, id));
}

export async function setOrgUnitAreaCode(db: DbOrTx, id: number, areaCode: string | null): Promise<void> {
  await db.update(orgUnits).set({ areaCode }).where(eq(orgUnits.id, id));
}

export async function findDepartmentByName(db: DbOrTx, orgUnitId: number, name: string): Promise<DepartmentRow | undefined> {
  return first(
    db
      .select()
      .from(departments)
      .where(and(eq(departments.orgUnitId, orgUnitId), eq(departments.name, name))),
  );
}

// Every staff request resolves its user's scope: prepared once per connection, not rebuilt by the
// query builder each time.
/** `sub(id)`: an org unit and every unit below it (市 → 县/区). */
const SUBTREE = `WITH RECURSIVE sub(id) AS (
  SELECT id FROM org_units WHERE id = ?
  UNION ALL SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id)`;

/** Ids of the departments of an org unit and every unit below it, in display order. */
export async function departmentIdsUnder(db: DbOrTx, orgUnitId: number): Promise<number[]> {
  return statement(
    db,
    `${SUBTREE} SELECT d.id FROM departments d WHERE d.org_unit_id IN (SELECT id FROM sub) ORDER BY d.sort_order, d.id`,
  ).column<number>([orgUnitId]);
}

/**
 * The departments of an org unit and every unit below it, in display order, and whether they are every
 * department there is: both from one statement, so from one snapshot (a department added elsewhere
 * between two reads cannot make a part of the tree look like all of it).
 */
export async function departmentScopeUnder(db: DbOrTx, orgUnitId: number): Promise<{ ids: number[]; every: boolean }> {
  const found = await statement(
    db,
    `${SUBTREE} SELECT d.id, (SELECT count(*) FROM departments) AS total
     FROM departments d WHERE d.org_unit_id IN (SELECT id FROM sub) ORDER BY d.sort_order, d.id`,
  ).arrays<[number, number | string]>([orgUnitId]);
  return { ids: found.map((r) => r[0]), every: found.length > 0 && found.length === Number(found[0]![1]) };
}

export async function departmentIdsOfUser(db: DbOrTx, userId: number): Promise<number[]> {
  return statement(db, 'SELECT department_id FROM user_departments WHERE user_id = ? ORDER BY department_id').column<number>([userId]);
}

export async function assignUserDepartments(db: DbOrTx, userId: number, departmentIds: number[]): Promise<void> {
  for (const departmentId of departmentIds) {
    await db.insert(userDepartments).values({ userId, departmentId }).onConflictDoNothing();
  }
}
