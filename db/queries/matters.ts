// 办件 (docs/domain.md, 办件): pushed by business systems, one row per 办件编号, with its one-time
// rating link. The ratings bound to a 办件 are written by the ratings module; this file only reads them.
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, first, inIdList, only } from '../client.js';
import { codes, departments, matters, orgUnits, ratings } from '../schema.js';

export type MatterRow = typeof matters.$inferSelect;
export type NewMatter = typeof matters.$inferInsert;

/** A 办件 with the names its views show: department, window, and the department's org unit. */
export type MatterWithNames = MatterRow & { departmentName: string; location: string; orgUnitName: string };

export async function getMatter(db: DbOrTx, projectNo: string): Promise<MatterRow | undefined> {
  return first(db.select().from(matters).where(eq(matters.projectNo, projectNo)));
}

export async function getMatterWithNames(db: DbOrTx, projectNo: string): Promise<MatterWithNames | undefined> {
  return first(
    db
      .select({ matter: matters, departmentName: departments.name, location: codes.location, orgUnitName: orgUnits.name })
      .from(matters)
      .innerJoin(departments, eq(departments.id, matters.departmentId))
      .innerJoin(codes, eq(codes.id, matters.codeId))
      .innerJoin(orgUnits, eq(orgUnits.id, departments.orgUnitId))
      .where(eq(matters.projectNo, projectNo))
      .then((found) =>
        found.map((r) => ({ ...r.matter, departmentName: r.departmentName, location: r.location, orgUnitName: r.orgUnitName })),
      ),
  );
}

/** The 办件 whose one-time rating link is `token` (the citizen's /e/{token}), or undefined. */
export async function getMatterByLinkToken(db: DbOrTx, token: string): Promise<MatterRow | undefined> {
  return first(db.select().from(matters).where(eq(matters.linkToken, token)));
}

export async function insertMatter(db: DbOrTx, values: NewMatter): Promise<MatterRow> {
  return only(db.insert(matters).values(values).returning());
}

export async function updateMatter(db: DbOrTx, id: number, patch: Partial<NewMatter>): Promise<void> {
  await db.update(matters).set(patch).where(eq(matters.id, id));
}

export interface MatterRatingRow {
  id: number;
  score: number;
  assessNumber: number | null;
  channel: string;
  createdAt: number;
  superseded: boolean;
}

/** The ratings of a 办件, first rating first (a superseded one included: it stays a fact). */
export async function ratingsOfMatter(db: DbOrTx, matterId: number): Promise<MatterRatingRow[]> {
  return db
    .select({
      id: ratings.id,
      score: ratings.score,
      assessNumber: ratings.assessNumber,
      channel: ratings.channel,
      createdAt: ratings.createdAt,
      superseded: ratings.superseded,
    })
    .from(ratings)
    .where(eq(ratings.matterId, matterId))
    .orderBy(asc(ratings.assessNumber), asc(ratings.id));
}

export interface MatterFilter {
  departmentIds: readonly number[];
  status?: MatterRow['status'];
  /** Finish days, inclusive. */
  from?: string;
  to?: string;
}

function filterOf(db: DbOrTx, f: MatterFilter): SQL | undefined {
  return and(
    inIdList(db, matters.departmentId, f.departmentIds),
    f.status === undefined ? undefined : eq(matters.status, f.status),
    f.from === undefined ? undefined : gte(matters.finishedDay, f.from),
    f.to === undefined ? undefined : lte(matters.finishedDay, f.to),
  );
}

export interface MatterListRow {
  projectNo: string;
  status: MatterRow['status'];
  taskName: string;
  departmentId: number;
  departmentName: string;
  location: string;
  staffName: string | null;
  acceptedAt: number;
  finishedAt: number | null;
  ratingCount: number;
}

/** A page of the 办件 matching the filter, newest first, and how many match in all. */
export async function listMatters(
  db: DbOrTx,
  f: MatterFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: MatterListRow[]; total: number }> {
  if (f.departmentIds.length === 0) return { rows: [], total: 0 };
  const where = filterOf(db, f);
  const rows = await db
    .select({
      projectNo: matters.projectNo,
      status: matters.status,
      taskName: matters.taskName,
      departmentId: matters.departmentId,
      departmentName: departments.name,
      location: codes.location,
      staffName: matters.staffName,
      acceptedAt: matters.acceptedAt,
      finishedAt: matters.finishedAt,
      ratingCount: matters.ratingCount,
    })
    .from(matters)
    .innerJoin(departments, eq(departments.id, matters.departmentId))
    .innerJoin(codes, eq(codes.id, matters.codeId))
    .where(where)
    .orderBy(desc(matters.id))
    .limit(page.limit)
    .offset(page.offset);
  const total = (await only(db.select({ n: count() }).from(matters).where(where))).n;
  return { rows, total: Number(total) };
}

/**
 * 办件 whose applicant mobile is due for erasure: finished or rejected before `cutoff` (a rejected one
 * without a finish time: last changed before it), still holding a number.
 */
export async function mattersWithPhoneToErase(tx: DbOrTx, cutoff: number, limit: number): Promise<number[]> {
  const found = await tx
    .select({ id: matters.id })
    .from(matters)
    .where(
      and(
        isNotNull(matters.applicantPhoneEnc),
        inArray(matters.status, ['finished', 'rejected']),
        or(lt(matters.finishedAt, cutoff), and(sql`${matters.finishedAt} IS NULL`, lt(matters.updatedAt, cutoff))),
      ),
    )
    .orderBy(asc(matters.id))
    .limit(limit);
  return found.map((r) => r.id);
}

export async function erasePhones(tx: DbOrTx, ids: readonly number[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(matters)
    .set({ applicantPhoneEnc: null, applicantPhoneErasedAt: at })
    .where(inIdList(tx, matters.id, ids));
}
