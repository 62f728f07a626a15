// 金点子: the suggestions, their answers and the figures of the public page.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { SuggestionCategory, SuggestionDecision } from '../../shared/domain.js';
import { type DbOrTx, first, only } from '../client.js';
import { codes, departments, orgUnits, suggestions, users } from '../schema.js';

export type SuggestionRow = typeof suggestions.$inferSelect;
export type SuggestionWithNames = SuggestionRow & { departmentName: string; answeredByName: string | null };

export async function insertSuggestion(tx: DbOrTx, values: Omit<typeof suggestions.$inferInsert, 'id'>): Promise<number> {
  return (await only(tx.insert(suggestions).values(values).returning({ id: suggestions.id }))).id;
}

/** The department a suggestion names: active, or undefined. */
export async function activeDepartment(db: DbOrTx, id: number): Promise<{ id: number } | undefined> {
  return first(
    db
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.id, id), eq(departments.active, true))),
  );
}

/** A window's code with its department, for a suggestion submitted there. */
export async function codeForSuggestion(
  db: DbOrTx,
  id: string,
): Promise<{ id: string; departmentId: number; active: boolean } | undefined> {
  return first(db.select({ id: codes.id, departmentId: codes.departmentId, active: codes.active }).from(codes).where(eq(codes.id, id)));
}

function columns() {
  return { ...suggestionColumns, departmentName: departments.name, answeredByName: users.displayName };
}
const suggestionColumns = {
  id: suggestions.id,
  departmentId: suggestions.departmentId,
  codeId: suggestions.codeId,
  category: suggestions.category,
  title: suggestions.title,
  content: suggestions.content,
  submitterType: suggestions.submitterType,
  contactEnc: suggestions.contactEnc,
  contactErasedAt: suggestions.contactErasedAt,
  decision: suggestions.decision,
  reason: suggestions.reason,
  action: suggestions.action,
  answeredAt: suggestions.answeredAt,
  answeredBy: suggestions.answeredBy,
  answerCount: suggestions.answerCount,
  createdAt: suggestions.createdAt,
};

export async function findSuggestion(db: DbOrTx, id: number): Promise<SuggestionWithNames | undefined> {
  return first(
    db
      .select(columns())
      .from(suggestions)
      .innerJoin(departments, eq(departments.id, suggestions.departmentId))
      .leftJoin(users, eq(users.id, suggestions.answeredBy))
      .where(eq(suggestions.id, id)),
  );
}

export interface SuggestionFilter {
  departmentIds: readonly number[];
  status?: 'pending' | 'answered';
  category?: SuggestionCategory;
}

function where(f: SuggestionFilter): SQL | undefined {
  return and(
    inArray(suggestions.departmentId, [...f.departmentIds]),
    f.status === 'pending' ? isNull(suggestions.answeredAt) : f.status === 'answered' ? isNotNull(suggestions.answeredAt) : undefined,
    f.category ? eq(suggestions.category, f.category) : undefined,
  );
}

/** Staff's list: newest first, one page. */
export async function listSuggestions(
  db: DbOrTx,
  f: SuggestionFilter,
  page: { limit: number; offset: number },
): Promise<SuggestionWithNames[]> {
  if (f.departmentIds.length === 0) return [];
  return db
    .select(columns())
    .from(suggestions)
    .innerJoin(departments, eq(departments.id, suggestions.departmentId))
    .leftJoin(users, eq(users.id, suggestions.answeredBy))
    .where(where(f))
    .orderBy(desc(suggestions.createdAt), desc(suggestions.id))
    .limit(page.limit)
    .offset(page.offset);
}

export async function countSuggestions(db: DbOrTx, f: SuggestionFilter): Promise<number> {
  if (f.departmentIds.length === 0) return 0;
  const row = await first(
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(suggestions)
      .where(where(f)),
  );
  return row?.n ?? 0;
}

export async function answerSuggestion(
  tx: DbOrTx,
  id: number,
  answer: { decision: SuggestionDecision; reason: string; action: string | null; answeredAt: number; answeredBy: number | null },
): Promise<void> {
  await tx
    .update(suggestions)
    .set({ ...answer, answerCount: sql`${suggestions.answerCount} + 1` })
    .where(eq(suggestions.id, id));
}

export interface PublicSuggestionRow {
  id: number;
  title: string;
  category: string;
  departmentName: string;
  decision: SuggestionDecision;
  reason: string;
  action: string | null;
  createdAt: number;
  answeredAt: number;
}

/** The answered suggestions, latest answer first (the public page): no contact, no submitter. */
export async function listAnswered(
  db: DbOrTx,
  f: { departmentId?: number; limit: number; offset: number },
): Promise<PublicSuggestionRow[]> {
  const rowsOf = await db
    .select({
      id: suggestions.id,
      title: suggestions.title,
      category: suggestions.category,
      departmentName: departments.name,
      decision: suggestions.decision,
      reason: suggestions.reason,
      action: suggestions.action,
      createdAt: suggestions.createdAt,
      answeredAt: suggestions.answeredAt,
    })
    .from(suggestions)
    .innerJoin(departments, eq(departments.id, suggestions.departmentId))
    .where(and(isNotNull(suggestions.answeredAt), f.departmentId ? eq(suggestions.departmentId, f.departmentId) : undefined))
    .orderBy(desc(suggestions.answeredAt), desc(suggestions.id))
    .limit(f.limit)
    .offset(f.offset);
  return rowsOf as PublicSuggestionRow[];
}

export interface DepartmentCountsRow {
  departmentId: number;
  departmentName: string;
  total: number;
  answered: number;
  adopted: number;
  partial: number;
  declined: number;
}

/** Counts per department (every department with a suggestion), in department order. */
export async function countsByDepartment(db: DbOrTx, departmentId?: number): Promise<DepartmentCountsRow[]> {
  return countsWhere(db, departmentId ? eq(suggestions.departmentId, departmentId) : undefined);
}

/** The same for the departments of a scope, of the suggestions submitted in [fromMs, toMs). */
export async function countsByDepartmentIn(
  db: DbOrTx,
  departmentIds: readonly number[],
  fromMs: number,
  toMs: number,
): Promise<DepartmentCountsRow[]> {
  if (departmentIds.length === 0) return [];
  return countsWhere(
    db,
    and(inArray(suggestions.departmentId, [...departmentIds]), gte(suggestions.createdAt, fromMs), lt(suggestions.createdAt, toMs)),
  );
}

function countsWhere(db: DbOrTx, where: SQL | undefined): Promise<DepartmentCountsRow[]> {
  const n = (cond: SQL) => sql<number>`sum(CASE WHEN ${cond} THEN 1 ELSE 0 END)`.mapWith(Number);
  return db
    .select({
      departmentId: suggestions.departmentId,
      departmentName: departments.name,
      total: sql<number>`count(*)`.mapWith(Number),
      answered: n(sql`${suggestions.answeredAt} IS NOT NULL`),
      adopted: n(sql`${suggestions.decision} = 'adopted'`),
      partial: n(sql`${suggestions.decision} = 'partial'`),
      declined: n(sql`${suggestions.decision} = 'declined'`),
    })
    .from(suggestions)
    .innerJoin(departments, eq(departments.id, suggestions.departmentId))
    .where(where)
    .groupBy(suggestions.departmentId, departments.name, departments.sortOrder)
    .orderBy(asc(departments.sortOrder), asc(suggestions.departmentId));
}

export async function countsBySubmitterType(db: DbOrTx, departmentId?: number): Promise<{ submitterType: string; count: number }[]> {
  return db
    .select({ submitterType: suggestions.submitterType, count: sql<number>`count(*)`.mapWith(Number) })
    .from(suggestions)
    .where(departmentId ? eq(suggestions.departmentId, departmentId) : undefined)
    .groupBy(suggestions.submitterType);
}

/** The active departments a suggestion may name (the public form's list). */
export async function listPublicDepartments(db: DbOrTx): Promise<{ id: number; name: string; orgUnitName: string }[]> {
  return db
    .select({ id: departments.id, name: departments.name, orgUnitName: orgUnits.name })
    .from(departments)
    .innerJoin(orgUnits, eq(orgUnits.id, departments.orgUnitId))
    .where(eq(departments.active, true))
    .orderBy(asc(departments.orgUnitId), asc(departments.sortOrder), asc(departments.id));
}

/** Contacts of suggestions answered before `cutoff`, to erase. */
export async function contactsToErase(tx: DbOrTx, cutoff: number, limit: number): Promise<number[]> {
  const found = await tx
    .select({ id: suggestions.id })
    .from(suggestions)
    .where(and(isNotNull(suggestions.contactEnc), lt(suggestions.answeredAt, cutoff)))
    .limit(limit);
  return found.map((r) => r.id);
}

export async function eraseContacts(tx: DbOrTx, ids: readonly number[], at: number): Promise<void> {
  if (ids.length)
    await tx
      .update(suggestions)
      .set({ contactEnc: null, contactErasedAt: at })
      .where(inArray(suggestions.id, [...ids]));
}

/** A code with its department's name and its place (the /i/{code} page). */
export async function codeWithNames(
  db: DbOrTx,
  id: string,
): Promise<{ code: string; departmentId: number; departmentName: string; location: string; active: boolean } | undefined> {
  return first(
    db
      .select({
        code: codes.id,
        departmentId: codes.departmentId,
        departmentName: departments.name,
        location: codes.location,
        active: codes.active,
      })
      .from(codes)
      .innerJoin(departments, eq(departments.id, codes.departmentId))
      .where(eq(codes.id, id)),
  );
}
