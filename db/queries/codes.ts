import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { codes } from '../schema.js';

export type CodeRow = typeof codes.$inferSelect;

export function getCode(db: DbOrTx, id: string): CodeRow | undefined {
  return db.select().from(codes).where(eq(codes.id, id)).get();
}

export function listCodesByDepartments(db: DbOrTx, departmentIds: number[]): CodeRow[] {
  if (departmentIds.length === 0) return [];
  return db
    .select()
    .from(codes)
    .where(inArray(codes.departmentId, departmentIds))
    .orderBy(asc(codes.departmentId), asc(codes.createdAt), asc(codes.id))
    .all();
}

export function firstActiveCodeId(db: DbOrTx): string | undefined {
  return db.select({ id: codes.id }).from(codes).where(and(eq(codes.active, true))).orderBy(asc(codes.createdAt)).limit(1).get()?.id;
}
