// The rating side of a 办件 (一次一评): the 办件 a one-time link or a 评价器 rates, its assess numbers
// (1, then one 追评 2) claimed in the rating's transaction, and the first rating a 追评 replaces.
import { type DbOrTx, isPg, statement } from '../client.js';

/** What the rating path needs of a 办件: where it is counted and whether it may still be rated. */
export interface RatableMatter {
  id: number;
  projectNo: string;
  codeId: string;
  departmentId: number;
  taskCode: string;
  taskName: string;
  staffName: string | null;
  status: string;
  finishedAt: number | null;
  finishedDay: string | null;
  linkExpiresAt: number | null;
  ratingCount: number;
}

const MATTER_COLUMNS = `id, project_no AS "projectNo", code_id AS "codeId", department_id AS "departmentId", task_code AS "taskCode",
  task_name AS "taskName", staff_name AS "staffName", status, finished_at AS "finishedAt", finished_day AS "finishedDay",
  link_expires_at AS "linkExpiresAt", rating_count AS "ratingCount"`;

/** The 办件 of a one-time rating link. */
export async function findMatterByLinkToken(db: DbOrTx, token: string): Promise<RatableMatter | undefined> {
  return statement(db, `SELECT ${MATTER_COLUMNS} FROM matters WHERE link_token = ?`).get<RatableMatter>([token]);
}

/** A 办件 by its business system's number (the 评价器 rates the one it was shown). */
export async function findMatterByProjectNo(db: DbOrTx, projectNo: string): Promise<RatableMatter | undefined> {
  return statement(db, `SELECT ${MATTER_COLUMNS} FROM matters WHERE project_no = ?`).get<RatableMatter>([projectNo]);
}

/** A 办件 by its id (a rating's `matter_id`). */
export async function findMatterById(db: DbOrTx, id: number): Promise<RatableMatter | undefined> {
  return statement(db, `SELECT ${MATTER_COLUMNS} FROM matters WHERE id = ?`).get<RatableMatter>([id]);
}

/**
 * Brings the rating counts of these 办件 up to their stored ratings, once per batch that rated them: the
 * ratings themselves decide the assess numbers (`ratings_matter_assess_uq`, see insertBoundRating), the
 * count follows from them in the same transaction. A citizen rated each of them (评价率), first at
 * `first_rated_at` (评价可信度's 办结即评, matters_quick_idx).
 */
export async function recountMatterRatings(tx: DbOrTx, matterIds: readonly number[], now: number): Promise<void> {
  if (matterIds.length === 0) return;
  const ids = isPg(tx) ? 'SELECT value::bigint FROM json_array_elements_text(@ids::json) AS j(value)' : 'SELECT value FROM json_each(@ids)';
  await statement(
    tx,
    `UPDATE matters SET (rating_count, first_rated_at) = (SELECT count(*), min(CASE WHEN r.channel <> 'default' THEN r.created_at END)
         FROM ratings r WHERE r.matter_id = matters.id),
       rated = 1, updated_at = @now
     WHERE id IN (${ids})`,
  ).run({ ids: JSON.stringify([...new Set(matterIds)]), now });
}

/** A rating replaced in every figure by its 办件's 追评: as stored, for its rollups to be taken back. */
export interface SupersededRating {
  id: number;
  codeId: string;
  departmentId: number;
  day: string;
  createdAt: number;
  score: number;
  tags: string;
  realName: number;
  excluded: number;
  channel: string;
}

/** Marks the 办件's first rating superseded by a 追评 (it stays, as a fact); answers it as it was. */
export async function supersedeFirstRating(tx: DbOrTx, matterId: number): Promise<SupersededRating | undefined> {
  return statement(
    tx,
    `UPDATE ratings SET superseded = 1 WHERE matter_id = ? AND assess_number = 1 AND superseded = 0
     RETURNING id, code_id AS "codeId", department_id AS "departmentId", day, created_at AS "createdAt", score, tags,
       real_name AS "realName", excluded, channel`,
  ).get<SupersededRating>([matterId]);
}

/** Which rating of its 办件 a rating is (null for a window code's). */
export async function assessNumberOf(db: DbOrTx, ratingId: number): Promise<number | null> {
  const row = await statement(db, 'SELECT assess_number AS n FROM ratings WHERE id = ?').get<{ n: number | null }>([ratingId]);
  return row?.n ?? null;
}

/**
 * A department's finished 办件 that no rating has claimed, finished before `finishedBefore`, oldest
 * first from a cursor (finished_at, id): a page of the default-rating job.
 */
export async function unratedFinishedMatters(
  db: DbOrTx,
  q: { departmentId: number; finishedBefore: number; after: { finishedAt: number; id: number } | null; limit: number },
): Promise<RatableMatter[]> {
  const after = q.after ?? { finishedAt: -1, id: 0 };
  return statement(
    db,
    `SELECT ${MATTER_COLUMNS} FROM matters
     WHERE department_id = ? AND status = 'finished' AND rating_count = 0 AND finished_at < ?
       AND (finished_at > ? OR (finished_at = ? AND id > ?))
     ORDER BY finished_at, id LIMIT ?`,
  ).all<RatableMatter>([q.departmentId, q.finishedBefore, after.finishedAt, after.finishedAt, after.id, q.limit]);
}

/** Takes a 办件's first assess number for its default rating, unless a citizen's rating took it first. */
export async function claimForDefaultRating(tx: DbOrTx, matterId: number, now: number): Promise<boolean> {
  const row = await statement(
    tx,
    'UPDATE matters SET rating_count = 1, updated_at = ? WHERE id = ? AND rating_count = 0 RETURNING id',
  ).get<{ id: number }>([now, matterId]);
  return row !== undefined;
}

/** What the citizen's page of a one-time link shows (GET /e/{token}): no personal data. */
export interface LinkPageRow {
  codeId: string;
  taskName: string;
  departmentId: number;
  departmentName: string;
  location: string;
  status: string;
  finishedDay: string | null;
  linkExpiresAt: number | null;
  ratingCount: number;
}

/** The 办件 of a one-time link as its page shows it: its 事项, the department it was handled in, the window. */
export async function findLinkPage(db: DbOrTx, token: string): Promise<LinkPageRow | undefined> {
  return statement(
    db,
    `SELECT m.code_id AS "codeId", m.task_name AS "taskName", m.department_id AS "departmentId", d.name AS "departmentName", c.location,
       m.status, m.finished_day AS "finishedDay", m.link_expires_at AS "linkExpiresAt", m.rating_count AS "ratingCount"
     FROM matters m JOIN departments d ON d.id = m.department_id JOIN codes c ON c.id = m.code_id
     WHERE m.link_token = ?`,
  ).get<LinkPageRow>([token]);
}
