import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { departments, orgUnits, userDepartments } from '../schema.js';

export type OrgUnitRow = typeof orgUnits.$inferSelect;
export type DepartmentRow = typeof departments.$inferSelect;

export function insertOrgUnit(db: DbOrTx, values: typeof orgUnits.$inferInsert): OrgUnitRow {
  return db.insert(orgUnits).values(values).returning().get();
}

export function insertDepartment(db: DbOrTx, values: typeof departments.$inferInsert): DepartmentRow {
  return db.insert(departments).values(values).returning().get();
}

export function listOrgUnits(db: DbOrTx): OrgUnitRow[] {
  return db.select().from(orgUnits).orderBy(asc(orgUnits.id)).all();
}

export function getOrgUnit(db: DbOrTx, id: number): OrgUnitRow | undefined {
  return db.select().from(orgUnits).where(eq(orgUnits.id, id)).get();
}

/** Ids of an org unit and every unit below it (市 → 县/区). */
export function orgSubtreeIds(db: DbOrTx, rootId: number): number[] {
  const rows = db.all<{ id: number }>(sql`
    WITH RECURSIVE sub(id) AS (
      SELECT id FROM org_units WHERE id = ${rootId}
      UNION ALL SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id
    ) SELECT id FROM sub`);
  return rows.map((r) => r.id);
}

export function listDepartmentsByOrgUnits(db: DbOrTx, orgUnitIds: number[]): DepartmentRow[] {
  if (orgUnitIds.length === 0) return [];
  return db
    .select()
    .from(departments)
    .where(inArray(departments.orgUnitId, orgUnitIds))
    .orderBy(asc(departments.sortOrder), asc(departments.id))
    .all();
}

export function listDepartmentsByIds(db: DbOrTx, ids: number[]): DepartmentRow[] {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(departments)
    .where(inArray(departments.id, ids))
    .orderBy(asc(departments.sortOrder), asc(departments.id))
    .all();
}

export function getDepartment(db: DbOrTx, id: number): DepartmentRow | undefined {
  return db.select().from(departments).where(eq(departments.id, id)).get();
}

export function findDepartmentByName(db: DbOrTx, orgUnitId: number, name: string): DepartmentRow | undefined {
  return db
    .select()
    .from(departments)
    .where(and(eq(departments.orgUnitId, orgUnitId), eq(departments.name, name)))
    .get();
}

export function departmentIdsOfUser(db: DbOrTx, userId: number): number[] {
  return db
    .select({ id: userDepartments.departmentId })
    .from(userDepartments)
    .where(eq(userDepartments.userId, userId))
    .all()
    .map((r) => r.id);
}

export function assignUserDepartments(db: DbOrTx, userId: number, departmentIds: number[]): void {
  for (const departmentId of departmentIds) {
    db.insert(userDepartments).values({ userId, departmentId }).onConflictDoNothing().run();
  }
}

export function countDepartments(db: DbOrTx): number {
  return db.select({ n: sql<number>`count(*)` }).from(departments).get()?.n ?? 0;
}
