// Held ratings (docs/domain.md, Rating: held ratings): the bursts they are held in, the ratings taken
// back into hold when a rule fires, the review queue, and the decisions that end a hold. A rating is a
// fact: the hold and its decision are the only writes to it besides its insertion.
import { type DbOrTx, isPg, statement } from '../client.js';

/** `(SELECT value …)`: the ids of a JSON array parameter, as integers on both drivers. */
function idList(tx: DbOrTx, param: string): string {
  return isPg(tx)
    ? `(SELECT value::bigint AS value FROM json_array_elements_text(@${param}::json) AS j(value))`
    : `(SELECT value FROM json_each(@${param}))`;
}

/** A burst of held ratings still open for more (the rule keeps firing within its window). */
export interface HoldGroupRef {
  id: number;
  caseId: number | null;
}

export type HoldSubjectKind = 'network' | 'device';

/** The open burst of a rule for a network or device in a department: its last rating at or after `since`. */
export async function findOpenGroup(
  tx: DbOrTx,
  g: { rule: string; subjectHash: string; departmentId: number; since: number },
): Promise<HoldGroupRef | undefined> {
  return statement(
    tx,
    `SELECT id, case_id AS "caseId" FROM rating_hold_groups
    WHERE subject_hash = @subjectHash AND last_at >= @since AND rule = @rule AND department_id = @departmentId
    ORDER BY id DESC LIMIT 1`,
  ).get<HoldGroupRef>(g);
}

export async function insertGroup(
  tx: DbOrTx,
  g: { rule: string; subjectKind: HoldSubjectKind; subjectHash: string; departmentId: number; at: number },
): Promise<number> {
  const row = await statement(
    tx,
    `INSERT INTO rating_hold_groups (rule, subject_kind, subject_hash, department_id, first_at, last_at, rating_count,
      held_count, created_at)
    VALUES (@rule, @subjectKind, @subjectHash, @departmentId, @at, @at, 0, 0, @at) RETURNING id`,
  ).get<{ id: number }>(g);
  return row!.id;
}

/** `n` more ratings held in a burst, made between `firstAt` and `lastAt`. */
export async function addToGroup(tx: DbOrTx, id: number, n: number, firstAt: number, lastAt: number): Promise<void> {
  await statement(
    tx,
    `UPDATE rating_hold_groups SET rating_count = rating_count + @n, held_count = held_count + @n,
      first_at = CASE WHEN first_at > @firstAt THEN @firstAt ELSE first_at END,
      last_at = CASE WHEN last_at < @lastAt THEN @lastAt ELSE last_at END
    WHERE id = @id`,
  ).run({ id, n, firstAt, lastAt });
}

/** The burst's 差评 are attached to this case from now on (the first one set stays). */
export async function setGroupCase(tx: DbOrTx, id: number, caseId: number): Promise<void> {
  await statement(tx, 'UPDATE rating_hold_groups SET case_id = @caseId WHERE id = @id AND case_id IS NULL').run({ id, caseId });
}

/** What taking a rating into hold (or out of it) moves in the rollups, and its 差评必查 case if it has one. */
export interface HeldFacts {
  id: number;
  codeId: string;
  departmentId: number;
  day: string;
  createdAt: number;
  score: number;
  /** JSON text of the tags. */
  tags: string;
  realName: number;
  caseId: number | null;
}

export interface PriorQuestion {
  by: 'network' | 'device';
  hash: string;
  /** Ratings made at or after this time, on or after this day (the day narrows the search). */
  since: number;
  sinceDay: string;
  departmentId: number | null;
  /** Only 差评 (a 差评 flood), or only 5★ without reason or comment. */
  only: 'bad' | 'bare' | null;
}

/**
 * The window-code ratings of a network or device since a time that no rule has flagged yet (a rating
 * released or excluded before keeps its decision), oldest first: what a rule that just fired takes
 * back into hold. Read through the (day) index on SQLite (a burst is found once: a day's ratings),
 * through the (net_hash|client_hash, created_at) indexes on PostgreSQL.
 */
export async function priorRatingsToHold(tx: DbOrTx, q: PriorQuestion): Promise<HeldFacts[]> {
  const column = q.by === 'network' ? 'net_hash' : 'client_hash';
  const only = q.only === 'bad' ? ' AND r.score <= 2' : q.only === 'bare' ? " AND r.score = 5 AND r.tags = '[]' AND r.comment IS NULL" : '';
  const department = q.departmentId === null ? '' : ' AND r.department_id = @departmentId';
  return statement(
    tx,
    `SELECT r.id, r.code_id AS "codeId", r.department_id AS "departmentId", r.day, r.created_at AS "createdAt", r.score,
      r.tags, r.real_name AS "realName",
      (SELECT c.id FROM cases c WHERE c.rating_id = r.id AND c.kind = 'bad_rating') AS "caseId"
    FROM ratings r
    WHERE r.${column} = @hash AND r.day >= @sinceDay AND r.created_at >= @since AND r.channel = 'qr' AND r.flagged = 0
      AND r.excluded = 0${department}${only}
    ORDER BY r.id`,
  ).all<HeldFacts>({ hash: q.hash, since: q.since, sinceDay: q.sinceDay, departmentId: q.departmentId });
}

/** The grouped case of the burst a rating is held in, if the burst has one. */
export async function groupCaseOfRating(tx: DbOrTx, ratingId: number): Promise<number | undefined> {
  const row = await statement(
    tx,
    `SELECT g.case_id AS "caseId" FROM ratings r JOIN rating_hold_groups g ON g.id = r.hold_group_id WHERE r.id = ?`,
  ).get<{ caseId: number | null }>([ratingId]);
  return row?.caseId ?? undefined;
}

/** The burst whose grouped case this is, if any (a burst of 差评: the case its 差评 were attached to). */
export async function groupOfCase(
  db: DbOrTx,
  caseId: number,
): Promise<{ groupId: number; ratingCount: number; heldCount: number } | undefined> {
  return statement(
    db,
    `SELECT id AS "groupId", rating_count AS "ratingCount", held_count AS "heldCount" FROM rating_hold_groups
    WHERE case_id = ? ORDER BY id LIMIT 1`,
  ).get([caseId]);
}

/** Takes ratings into hold in a burst, with the rule's name as their flag reason. */
export async function holdRatings(tx: DbOrTx, ids: readonly number[], groupId: number, reason: string): Promise<void> {
  if (ids.length === 0) return;
  await statement(
    tx,
    `UPDATE ratings SET held = 1, flagged = 1, flag_reason = @reason, hold_group_id = @groupId
    WHERE id IN (SELECT value FROM json_each(@ids)) AND flagged = 0`,
  ).run({ ids: JSON.stringify(ids), groupId, reason });
}

// ---------------------------------------------------------------------------------------------------
// The review queue and the decisions.

export interface HeldFilter {
  departmentIds: readonly number[];
  codeId?: string;
  groupId?: number;
  /** The network's / device's keyed hash (as the queue gives it). */
  network?: string;
  device?: string;
  /** Made at or after / before these times (ms). */
  from?: number;
  to?: number;
}

/**
 * The held ratings' WHERE clause. On PostgreSQL the scope is an array (`= ANY`): the planner then knows
 * how many departments it holds and reads the partial held index, where a set-returning JSON function
 * (estimated at 100 rows) made it scan the whole table for a count.
 */
function heldWhere(db: DbOrTx, f: HeldFilter): { where: string; params: Record<string, unknown> } {
  const pg = isPg(db);
  const cond = [
    'r.held = 1',
    pg ? 'r.department_id = ANY(CAST(@departments AS bigint[]))' : 'r.department_id IN (SELECT value FROM json_each(@ids))',
  ];
  const params: Record<string, unknown> = pg ? { departments: [...f.departmentIds] } : { ids: JSON.stringify(f.departmentIds) };
  if (f.codeId !== undefined) {
    cond.push('r.code_id = @codeId');
    params.codeId = f.codeId;
  }
  if (f.groupId !== undefined) {
    cond.push('r.hold_group_id = @groupId');
    params.groupId = f.groupId;
  }
  if (f.network !== undefined) {
    cond.push('r.net_hash = @network');
    params.network = f.network;
  }
  if (f.device !== undefined) {
    cond.push('r.client_hash = @device');
    params.device = f.device;
  }
  if (f.from !== undefined) {
    cond.push('r.created_at >= @from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    cond.push('r.created_at < @to');
    params.to = f.to;
  }
  return { where: cond.join(' AND '), params };
}

export interface HeldRow {
  id: number;
  codeId: string;
  location: string;
  departmentId: number;
  departmentName: string;
  score: number;
  tags: string;
  comment: string | null;
  realName: number;
  createdAt: number;
  flagReason: string | null;
  groupId: number | null;
  netHash: string | null;
  clientHash: string | null;
}

/** A page of held ratings, newest first, and how many match. */
export async function listHeld(
  db: DbOrTx,
  f: HeldFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: HeldRow[]; total: number }> {
  if (f.departmentIds.length === 0) return { rows: [], total: 0 };
  const { where, params } = heldWhere(db, f);
  const total = await statement(db, `SELECT count(*) AS n FROM ratings r WHERE ${where}`).get<{ n: number }>(params);
  const rows = await statement(
    db,
    `SELECT r.id, r.code_id AS "codeId", c.location, r.department_id AS "departmentId", d.name AS "departmentName", r.score,
      r.tags, r.comment, r.real_name AS "realName", r.created_at AS "createdAt", r.flag_reason AS "flagReason",
      r.hold_group_id AS "groupId", r.net_hash AS "netHash", r.client_hash AS "clientHash"
    FROM (SELECT r.id FROM ratings r WHERE ${where} ORDER BY r.id DESC LIMIT @limit OFFSET @offset) p
    JOIN ratings r ON r.id = p.id JOIN codes c ON c.id = r.code_id JOIN departments d ON d.id = r.department_id
    ORDER BY r.id DESC`,
  ).all<HeldRow>({ ...params, limit: page.limit, offset: page.offset });
  return { rows, total: Number(total?.n ?? 0) };
}

/** The ids of every held rating that matches (a bulk decision), oldest first. */
export async function heldIds(db: DbOrTx, f: HeldFilter): Promise<number[]> {
  if (f.departmentIds.length === 0) return [];
  const { where, params } = heldWhere(db, f);
  return (await statement(db, `SELECT r.id FROM ratings r WHERE ${where} ORDER BY r.id`).all<{ id: number }>(params)).map((r) => r.id);
}

export interface HoldGroupRow {
  id: number;
  rule: string;
  subjectKind: HoldSubjectKind;
  subjectHash: string;
  departmentId: number;
  departmentName: string;
  firstAt: number;
  lastAt: number;
  ratingCount: number;
  heldCount: number;
  caseId: number | null;
  caseNo: string | null;
}

/** The bursts with ratings still held in these departments, latest first, how many, and how many ratings they hold. */
export async function listGroups(
  db: DbOrTx,
  departmentIds: readonly number[],
  page: { limit: number; offset: number },
): Promise<{ rows: HoldGroupRow[]; total: number; held: number }> {
  if (departmentIds.length === 0) return { rows: [], total: 0, held: 0 };
  const params = { ids: JSON.stringify(departmentIds), limit: page.limit, offset: page.offset };
  const where = 'g.department_id IN (SELECT value FROM json_each(@ids)) AND g.held_count > 0';
  const sums = await statement(
    db,
    `SELECT count(*) AS n, coalesce(sum(g.held_count), 0) AS held FROM rating_hold_groups g WHERE ${where}`,
  ).get<{
    n: number;
    held: number;
  }>(params);
  const rows = await statement(
    db,
    `SELECT g.id, g.rule, g.subject_kind AS "subjectKind", g.subject_hash AS "subjectHash", g.department_id AS "departmentId",
      d.name AS "departmentName", g.first_at AS "firstAt", g.last_at AS "lastAt", g.rating_count AS "ratingCount",
      g.held_count AS "heldCount", g.case_id AS "caseId", c.case_no AS "caseNo"
    FROM rating_hold_groups g JOIN departments d ON d.id = g.department_id LEFT JOIN cases c ON c.id = g.case_id
    WHERE ${where} ORDER BY g.last_at DESC, g.id DESC LIMIT @limit OFFSET @offset`,
  ).all<HoldGroupRow>(params);
  return { rows, total: Number(sums?.n ?? 0), held: Number(sums?.held ?? 0) };
}

/** A decided rating: what the rollups need, and its burst. */
export interface DecidedRow extends HeldFacts {
  groupId: number | null;
  channel: string;
}

/**
 * Ends the hold of these ratings (those still held, in these departments): released ones count from
 * now on, excluded ones never. Answers the ratings it decided.
 */
export async function decideHeld(
  tx: DbOrTx,
  ids: readonly number[],
  departmentIds: readonly number[],
  decision: 'release' | 'exclude',
): Promise<DecidedRow[]> {
  if (ids.length === 0) return [];
  const excluded = decision === 'exclude' ? 1 : 0;
  return statement(
    tx,
    `UPDATE ratings SET held = 0, excluded = CASE WHEN @excluded = 1 THEN 1 ELSE excluded END
    WHERE id IN (SELECT value FROM json_each(@ids)) AND held = 1
      AND department_id IN ${idList(tx, 'departments')}
    RETURNING id, code_id AS "codeId", department_id AS "departmentId", day, created_at AS "createdAt", score, tags,
      real_name AS "realName", hold_group_id AS "groupId", channel, NULL AS "caseId"`,
  ).all<DecidedRow>({ ids: JSON.stringify(ids), departments: JSON.stringify(departmentIds), excluded });
}

/** The bursts lose the ratings decided out of them. */
export async function takeFromGroups(tx: DbOrTx, counts: ReadonlyMap<number, number>): Promise<void> {
  for (const [id, n] of counts)
    await statement(tx, 'UPDATE rating_hold_groups SET held_count = held_count - @n WHERE id = @id').run({ id, n });
}

/** One recorded decision per rating, in one statement. */
export async function insertDecisions(
  tx: DbOrTx,
  ids: readonly number[],
  d: { kind: 'release' | 'exclude'; reason: string; decidedBy: number; decidedAt: number },
): Promise<void> {
  if (ids.length === 0) return;
  await statement(
    tx,
    `INSERT INTO rating_decisions (rating_id, kind, reason, case_id, decided_by, decided_at)
    SELECT value, @kind, @reason, NULL, CAST(@decidedBy AS bigint), CAST(@decidedAt AS bigint) FROM ${idList(tx, 'ratingIds')} AS x`,
  ).run({ ratingIds: JSON.stringify(ids), ...d });
}
