import type Database from 'better-sqlite3';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type DbOrTx, perConnection } from '../client.js';
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
  return scope(db).subtree.all(rootId);
}

export function listDepartmentsByIds(db: DbOrTx, ids: number[]): DepartmentRow[] {
  if (ids.length === 0) return [];
  return db.select().from(departments).where(inArray(departments.id, ids)).orderBy(asc(departments.sortOrder), asc(departments.id)).all();
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

// Every staff request resolves its user's scope: prepared once per connection, not rebuilt by the
// query builder each time.
/** `sub(id)`: an org unit and every unit below it (市 → 县/区). */
const SUBTREE = `WITH RECURSIVE sub(id) AS (
  SELECT id FROM org_units WHERE id = ?
  UNION ALL SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id)`;

type IdsStatement = Database.Statement<[number], number>;
const scope = perConnection((client): { subtree: IdsStatement; under: IdsStatement; ofUser: IdsStatement } => ({
  subtree: client.prepare<[number], number>(`${SUBTREE} SELECT id FROM sub`).pluck(),
  under: client
    .prepare<[number], number>(
      `${SUBTREE} SELECT d.id FROM departments d WHERE d.org_unit_id IN (SELECT id FROM sub) ORDER BY d.sort_order, d.id`,
    )
    .pluck(),
  ofUser: client.prepare<[number], number>('SELECT department_id FROM user_departments WHERE user_id = ? ORDER BY department_id').pluck(),
}));

/** Ids of the departments of an org unit and every unit below it, in display order. */
export function departmentIdsUnder(db: DbOrTx, orgUnitId: number): number[] {
  return scope(db).under.all(orgUnitId);
}

export function departmentIdsOfUser(db: DbOrTx, userId: number): number[] {
  return scope(db).ofUser.all(userId);
}

export function assignUserDepartments(db: DbOrTx, userId: number, departmentIds: number[]): void {
  for (const departmentId of departmentIds) {
    db.insert(userDepartments).values({ userId, departmentId }).onConflictDoNothing().run();
  }
}
