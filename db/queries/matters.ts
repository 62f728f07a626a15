// 办件 (docs/domain.md, 办件): pushed by business systems, one row per 办件编号, with its one-time
// rating link. The ratings bound to a 办件 are written by the ratings module; this file only reads them.
import { and, asc, count, eq, gte, inArray, isNotNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, first, inIdList, isPg, only, statement } from '../client.js';
import { codes, departments, matterStatusCounts, matters, orgUnits } from '../schema.js';

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

/** A 办件 by its id (a rating's `matter_id`). */
export async function getMatterById(db: DbOrTx, id: number): Promise<MatterRow | undefined> {
  return first(db.select().from(matters).where(eq(matters.id, id)));
}

export async function updateMatter(db: DbOrTx, id: number, patch: Partial<NewMatter>): Promise<void> {
  await db.update(matters).set(patch).where(eq(matters.id, id));
}

// ---- The push (PUT) path: constant statements, a batch of pushes at a time (docs/architecture.md) ----

/** A stored 办件 with the names its answer shows: its department's and its window's (the code's location). */
export type StoredMatter = MatterRow & { departmentName: string; location: string };

const STORED_BY_PROJECT_NOS = `SELECT m.id, m.project_no AS "projectNo", m.code_id AS "codeId", m.department_id AS "departmentId",
    m.task_code AS "taskCode", m.task_name AS "taskName", m.staff_name AS "staffName", m.applicant_type AS "applicantType",
    m.applicant_phone_enc AS "applicantPhoneEnc", m.applicant_phone_erased_at AS "applicantPhoneErasedAt", m.status, m.source,
    m.accepted_at AS "acceptedAt", m.finished_at AS "finishedAt", m.finished_day AS "finishedDay", m.promised_date AS "promisedDate",
    m.integration_id AS "integrationId", m.link_token AS "linkToken", m.link_expires_at AS "linkExpiresAt",
    m.rating_count AS "ratingCount", m.rated, m.first_rated_at AS "firstRatedAt", m.created_at AS "createdAt",
    m.updated_at AS "updatedAt", d.name AS "departmentName", c.location
  FROM matters m JOIN departments d ON d.id = m.department_id JOIN codes c ON c.id = m.code_id
  WHERE m.project_no IN (SELECT value FROM json_each(@projectNos))`;

/** The stored 办件 of these 办件编号, with their names (one statement, whatever their number). */
export async function storedMatters(db: DbOrTx, projectNos: readonly string[]): Promise<StoredMatter[]> {
  const found = await statement(db, STORED_BY_PROJECT_NOS).all<StoredMatter>({ projectNos: JSON.stringify(projectNos) });
  for (const m of found) m.rated = Boolean(m.rated);
  return found;
}

const LOCK_PROJECT_NOS = `SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT hashtext('matter:' || value) AS k
    FROM json_array_elements_text(@projectNos::json) AS j(value) ORDER BY 1) AS ordered`;

/**
 * PostgreSQL: takes, for the rest of the transaction, the lock of each 办件编号 (the key
 * `lockKey(tx, 'matter:' + projectNo)` takes), all in one statement and in one order, so that two
 * batches with 办件 in common wait for each other instead of deadlocking. SQLite's transactions
 * already take turns.
 */
export async function lockMatters(tx: DbOrTx, projectNos: readonly string[]): Promise<void> {
  if (projectNos.length === 0 || !isPg(tx)) return;
  await statement(tx, LOCK_PROJECT_NOS).get({ projectNos: JSON.stringify([...new Set(projectNos)]) });
}

/** The columns a push writes. */
export type PushedMatter = Pick<
  MatterRow,
  | 'codeId'
  | 'departmentId'
  | 'taskCode'
  | 'taskName'
  | 'staffName'
  | 'applicantType'
  | 'applicantPhoneEnc'
  | 'status'
  | 'source'
  | 'acceptedAt'
  | 'finishedAt'
  | 'finishedDay'
  | 'promisedDate'
  | 'updatedAt'
>;

const INSERT_PUSHED = `INSERT INTO matters (project_no, code_id, department_id, task_code, task_name, staff_name, applicant_type,
    applicant_phone_enc, status, source, accepted_at, finished_at, finished_day, promised_date, integration_id, created_at, updated_at)
  VALUES (@projectNo, @codeId, @departmentId, @taskCode, @taskName, @staffName, @applicantType, @applicantPhoneEnc, @status, @source,
    @acceptedAt, @finishedAt, @finishedDay, @promisedDate, @integrationId, @createdAt, @updatedAt)
  RETURNING id`;

/** Stores a new pushed 办件; answers its id (its batch counts it: RollupBatch.countMatter). */
export async function insertPushedMatter(
  tx: DbOrTx,
  m: PushedMatter & Pick<MatterRow, 'projectNo' | 'integrationId' | 'createdAt'>,
): Promise<number> {
  const row = await statement(tx, INSERT_PUSHED).get<{ id: number }>({ ...m });
  if (!row) throw new Error('expected a row');
  return row.id;
}

const UPDATE_PUSHED = `UPDATE matters SET code_id = @codeId, department_id = @departmentId, task_code = @taskCode, task_name = @taskName,
    staff_name = @staffName, applicant_type = @applicantType, applicant_phone_enc = @applicantPhoneEnc, status = @status, source = @source,
    accepted_at = @acceptedAt, finished_at = @finishedAt, finished_day = @finishedDay, promised_date = @promisedDate, updated_at = @updatedAt
  WHERE id = @id`;

/** Writes a push's fields over a stored 办件 (its batch recounts a change of department or status: RollupBatch.countMatter). */
export async function updatePushedMatter(tx: DbOrTx, id: number, m: PushedMatter): Promise<void> {
  await statement(tx, UPDATE_PUSHED).run({ ...m, id });
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
const RATINGS_OF_MATTER = `SELECT id, score, assess_number AS "assessNumber", channel, created_at AS "createdAt", superseded
  FROM ratings WHERE matter_id = ? ORDER BY assess_number, id`;

export async function ratingsOfMatter(db: DbOrTx, matterId: number): Promise<MatterRatingRow[]> {
  const found = await statement(db, RATINGS_OF_MATTER).all<MatterRatingRow>([matterId]);
  for (const r of found) r.superseded = Boolean(r.superseded);
  return found;
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

// A page of the 办件 list, newest first. Each department of the scope gives its newest offset + limit
// ids (one index range: matters_dept_id_idx, or with a period matters_dept_finished_idx, whose range is
// the period's 办件 alone), the page is cut from their merge, and only its rows are read. The whole
// scope by id through the department list sorted every 办件 of it first: 12 s for a county's 10 M.
export function matterPageSql(db: DbOrTx, f: MatterFilter): string {
  const cond = [
    f.status === undefined ? '' : ' AND x.status = @status',
    f.from === undefined ? '' : ' AND x.finished_day >= @from',
    f.to === undefined ? '' : ' AND x.finished_day <= @to',
  ].join('');
  // With a period, its range of finish days (then sorted: a period's 办件, not the department's);
  // without, the department's 办件 newest first, stopping after n. SQLite is told which: left to
  // choose, it walked a department's 办件 newest first back to an old period, row by row.
  const dated = f.from !== undefined || f.to !== undefined;
  const newest = isPg(db)
    ? `SELECT t.id FROM json_array_elements_text(@ids::json) AS d(value)
       CROSS JOIN LATERAL (SELECT x.id FROM matters x WHERE x.department_id = d.value::bigint${cond} ORDER BY x.id DESC LIMIT @n) t`
    : `SELECT j.value AS id FROM json_each(@ids) d, json_each((SELECT json_group_array(y.id) FROM (
         SELECT x.id FROM matters x INDEXED BY ${dated ? 'matters_dept_finished_idx' : 'matters_dept_id_idx'}
         WHERE x.department_id = d.value${cond} ORDER BY x.id DESC LIMIT @n) y)) j`;
  return `WITH page AS (SELECT id FROM (${newest}) n ORDER BY id DESC LIMIT @limit OFFSET @offset)
    SELECT m.project_no AS "projectNo", m.status AS status, m.task_name AS "taskName", m.department_id AS "departmentId",
      d.name AS "departmentName", c.location AS location, m.staff_name AS "staffName", m.accepted_at AS "acceptedAt",
      m.finished_at AS "finishedAt", m.rating_count AS "ratingCount"
    FROM page p JOIN matters m ON m.id = p.id JOIN departments d ON d.id = m.department_id JOIN codes c ON c.id = m.code_id
    ORDER BY m.id DESC`;
}

/** A page of the 办件 matching the filter, newest first, and how many match in all. */
export async function listMatters(
  db: DbOrTx,
  f: MatterFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: MatterListRow[]; total: number }> {
  if (f.departmentIds.length === 0) return { rows: [], total: 0 };
  const found = await statement(db, matterPageSql(db, f)).all<MatterListRow>({
    ids: JSON.stringify(f.departmentIds),
    ...(f.status === undefined ? {} : { status: f.status }),
    ...(f.from === undefined ? {} : { from: f.from }),
    ...(f.to === undefined ? {} : { to: f.to }),
    n: page.offset + page.limit,
    limit: page.limit,
    offset: page.offset,
  });
  // Without a period, from the per-status counts (matter_status_counts: a row or three a department);
  // with one, from matters_dept_finished_idx alone (department, finish day, status): the period's range.
  const total =
    f.from === undefined && f.to === undefined
      ? (
          await only(
            db
              .select({ n: sql<number>`coalesce(sum(${matterStatusCounts.count}), 0)` })
              .from(matterStatusCounts)
              .where(
                and(
                  inIdList(db, matterStatusCounts.departmentId, f.departmentIds),
                  f.status === undefined ? undefined : eq(matterStatusCounts.status, f.status),
                ),
              ),
          )
        ).n
      : (await only(db.select({ n: count() }).from(matters).where(filterOf(db, f)))).n;
  return {
    rows: found.map((r) => ({
      ...r,
      acceptedAt: Number(r.acceptedAt),
      finishedAt: r.finishedAt === null ? null : Number(r.finishedAt),
      ratingCount: Number(r.ratingCount),
      departmentId: Number(r.departmentId),
    })),
    total: Number(total),
  };
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
