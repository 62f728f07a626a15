// 办事指南: the guides, every saved text of each (guide_versions) and the windows that handle them.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { type DbOrTx, first, only } from '../client.js';
import { codes, departments, guideCodes, guides, guideVersions, users } from '../schema.js';

export type GuideRow = typeof guides.$inferSelect;
/** The stored text of a guide: every column an administrator edits. */
export type GuideText = Omit<GuideRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

export async function insertGuide(tx: DbOrTx, text: GuideText, at: number): Promise<number> {
  const row = await only(
    tx
      .insert(guides)
      .values({ ...text, version: 1, createdAt: at, updatedAt: at })
      .returning({ id: guides.id }),
  );
  return row.id;
}

/**
 * Saves a new text over the version it was edited from; false when the guide is at another version
 * by now (another administrator saved in between) or gone.
 */
export async function updateGuide(tx: DbOrTx, id: number, text: GuideText, fromVersion: number, at: number): Promise<boolean> {
  const done = await tx
    .update(guides)
    .set({ ...text, version: fromVersion + 1, updatedAt: at })
    .where(and(eq(guides.id, id), eq(guides.version, fromVersion)))
    .returning({ id: guides.id });
  return done.length === 1;
}

export async function insertGuideVersion(
  tx: DbOrTx,
  v: { guideId: number; version: number; content: string; editedBy: number | null; editedAt: number },
): Promise<void> {
  await tx.insert(guideVersions).values(v);
}

/** The windows of a guide, replaced as a whole. */
export async function setGuideCodes(tx: DbOrTx, guideId: number, codeIds: readonly string[]): Promise<void> {
  await tx.delete(guideCodes).where(eq(guideCodes.guideId, guideId));
  if (codeIds.length) await tx.insert(guideCodes).values(codeIds.map((codeId) => ({ guideId, codeId })));
}

export type GuideWithDepartment = GuideRow & { departmentName: string };

export async function findGuide(db: DbOrTx, id: number): Promise<GuideWithDepartment | undefined> {
  return first(
    db
      .select({ ...getGuideColumns(), departmentName: departments.name })
      .from(guides)
      .innerJoin(departments, eq(departments.id, guides.departmentId))
      .where(eq(guides.id, id)),
  );
}

function getGuideColumns() {
  const { id, departmentId, taskCode, taskName, materials, steps, legalDays, promisedDays, fees, legalBasis, location, hours, phone } =
    guides;
  return {
    id,
    departmentId,
    taskCode,
    taskName,
    materials,
    steps,
    legalDays,
    promisedDays,
    fees,
    legalBasis,
    location,
    hours,
    phone,
    version: guides.version,
    createdAt: guides.createdAt,
    updatedAt: guides.updatedAt,
  };
}

export interface GuideWindowRow {
  code: string;
  location: string;
  departmentName: string;
  active: boolean;
}

/** The windows (codes) of a guide, disabled ones included (the editor shows them), in print order. */
export async function listGuideWindows(db: DbOrTx, guideId: number): Promise<GuideWindowRow[]> {
  return db
    .select({ code: codes.id, location: codes.location, departmentName: departments.name, active: codes.active })
    .from(guideCodes)
    .innerJoin(codes, eq(codes.id, guideCodes.codeId))
    .innerJoin(departments, eq(departments.id, codes.departmentId))
    .where(eq(guideCodes.guideId, guideId))
    .orderBy(asc(departments.sortOrder), asc(codes.createdAt), asc(codes.id));
}

export interface GuideSummaryRow {
  id: number;
  taskName: string;
  taskCode: string | null;
  departmentId: number;
  departmentName: string;
  promisedDays: number | null;
  updatedAt: number;
}

/** The guides, by department order then creation; of one department, of one window, or all. */
export async function listGuides(db: DbOrTx, f: { departmentId?: number; codeId?: string; limit?: number }): Promise<GuideSummaryRow[]> {
  const conds = [
    f.departmentId === undefined ? undefined : eq(guides.departmentId, f.departmentId),
    f.codeId === undefined
      ? undefined
      : sql`${guides.id} IN (SELECT ${guideCodes.guideId} FROM ${guideCodes} WHERE ${guideCodes.codeId} = ${f.codeId})`,
  ];
  const q = db
    .select({
      id: guides.id,
      taskName: guides.taskName,
      taskCode: guides.taskCode,
      departmentId: guides.departmentId,
      departmentName: departments.name,
      promisedDays: guides.promisedDays,
      updatedAt: guides.updatedAt,
    })
    .from(guides)
    .innerJoin(departments, eq(departments.id, guides.departmentId))
    .where(and(...conds))
    .orderBy(asc(departments.sortOrder), asc(departments.id), asc(guides.id));
  return f.limit === undefined ? q : q.limit(f.limit);
}

export interface GuideVersionRow {
  version: number;
  content: string;
  editedAt: number;
  editedByName: string | null;
}

/** Every saved text of a guide, the newest first. */
export async function listGuideVersions(db: DbOrTx, guideId: number): Promise<GuideVersionRow[]> {
  return db
    .select({
      version: guideVersions.version,
      content: guideVersions.content,
      editedAt: guideVersions.editedAt,
      editedByName: users.displayName,
    })
    .from(guideVersions)
    .leftJoin(users, eq(users.id, guideVersions.editedBy))
    .where(eq(guideVersions.guideId, guideId))
    .orderBy(desc(guideVersions.version));
}

export async function findGuideVersion(db: DbOrTx, guideId: number, version: number): Promise<{ content: string } | undefined> {
  return first(
    db
      .select({ content: guideVersions.content })
      .from(guideVersions)
      .where(and(eq(guideVersions.guideId, guideId), eq(guideVersions.version, version))),
  );
}

/** The codes among these ids that exist, with their department. */
export async function codesByIds(db: DbOrTx, ids: readonly string[]): Promise<Array<{ id: string; departmentId: number }>> {
  if (!ids.length) return [];
  return db
    .select({ id: codes.id, departmentId: codes.departmentId })
    .from(codes)
    .where(inArray(codes.id, [...ids]));
}

export async function departmentName(db: DbOrTx, id: number): Promise<string | undefined> {
  return (await first(db.select({ name: departments.name }).from(departments).where(eq(departments.id, id))))?.name;
}
