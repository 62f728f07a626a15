// Upward reporting (docs/domain.md, 数据上报): the stored rows behind the report records, read in
// cursor batches (a month of a province never sits in memory). Reported ratings are the stored ones
// neither held for review nor excluded; a 追评-replaced first rating is reported too (its assess number 1).
import { sql } from 'drizzle-orm';
import { type BatchStatement, writeRows } from '../batch-rows.js';
import { type DbOrTx, isPg, type JsonArray, statement } from '../client.js';

const IDS = '(SELECT value FROM json_each(@ids))';

/** A rating as the report record needs it: the rating, its department and org unit, its 办件 when bound. */
export interface ReportRatingRow {
  id: number;
  createdAt: number;
  departmentId: number;
  score: number;
  tags: JsonArray;
  comment: string | null;
  channel: string;
  assessNumber: number | null;
  deptName: string;
  creditCode: string | null;
  areaCode: string | null;
  projectNo: string | null;
  taskCode: string | null;
  taskName: string | null;
  staffName: string | null;
  applicantType: string | null;
}

// The day index (ratings_day_time_idx: day, created_at) walks one day in time order from the cursor;
// `+` keeps SQLite off the (department, day) index, which would sort the day's rows of every department.
const RATING_BATCH_SQL = `
  SELECT r.id AS id, r.created_at AS "createdAt", r.department_id AS "departmentId", r.score AS score, r.tags AS tags,
    r.comment AS comment, r.channel AS channel, r.assess_number AS "assessNumber",
    d.name AS "deptName", d.credit_code AS "creditCode", u.area_code AS "areaCode",
    m.project_no AS "projectNo", m.task_code AS "taskCode", m.task_name AS "taskName", m.staff_name AS "staffName",
    m.applicant_type AS "applicantType"
  FROM ratings r
    JOIN departments d ON d.id = r.department_id
    JOIN org_units u ON u.id = d.org_unit_id
    LEFT JOIN matters m ON m.id = r.matter_id
  WHERE r.day = @day AND +r.department_id IN ${IDS}
    AND (r.created_at > @afterAt OR (r.created_at = @afterAt AND r.id > @afterId))
    AND r.held = 0 AND r.excluded = 0
  ORDER BY r.created_at, r.id LIMIT @limit`;

/** One batch of a day's reported ratings of these departments, in time order after the (createdAt, id) cursor. */
export async function readReportRatingBatch(
  db: DbOrTx,
  departmentIds: readonly number[],
  day: string,
  after: { createdAt: number; id: number },
  limit: number,
): Promise<ReportRatingRow[]> {
  return statement(db, RATING_BATCH_SQL).all<ReportRatingRow>({
    ids: JSON.stringify(departmentIds),
    day,
    afterAt: after.createdAt,
    afterId: after.id,
    limit,
  });
}

/** A closed 差评 case as its outcome record needs it. */
export interface ReportCaseRow {
  id: number;
  caseNo: string;
  ratingId: number;
  closedAt: number;
  classification: string | null;
  satisfaction: string | null;
  projectNo: string | null;
  /** The note of the case's last step into 已整改 (the measures taken), as stored. */
  rectification: string | null;
}

// cases_closed_idx (closed_at) walks the month in closing order from the cursor (`|| ''` keeps SQLite off
// the status index, which would read every closed case ever and sort them).
const CASE_BATCH_SQL = `
  SELECT c.id AS id, c.case_no AS "caseNo", c.rating_id AS "ratingId", c.closed_at AS "closedAt",
    c.classification AS classification, c.satisfaction AS satisfaction, m.project_no AS "projectNo",
    (SELECT e.note FROM case_events e WHERE e.case_id = c.id AND e.to_status = 'rectified'
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS rectification
  FROM cases c
    JOIN ratings r ON r.id = c.rating_id
    LEFT JOIN matters m ON m.id = r.matter_id
  WHERE c.closed_at >= @from AND c.closed_at < @to AND c.kind || '' = 'bad_rating' AND c.status || '' = 'closed'
    AND +c.department_id IN ${IDS} AND r.held = 0 AND r.excluded = 0
    AND (c.closed_at > @afterAt OR (c.closed_at = @afterAt AND c.id > @afterId))
  ORDER BY c.closed_at, c.id LIMIT @limit`;

/** One batch of the 差评 cases of these departments closed in [from, to) (ms), after the (closedAt, id) cursor. */
export async function readReportCaseBatch(
  db: DbOrTx,
  departmentIds: readonly number[],
  range: { from: number; to: number },
  after: { closedAt: number; id: number },
  limit: number,
): Promise<ReportCaseRow[]> {
  return statement(db, CASE_BATCH_SQL).all<ReportCaseRow>({
    ids: JSON.stringify(departmentIds),
    from: range.from,
    to: range.to,
    afterAt: after.closedAt,
    afterId: after.id,
    limit,
  });
}

// ---- The outbox (docs/domain.md 10.6): written with the rating or the case's closing, drained by the delivery job ----

/** A record to enqueue: a rating (held ones wait for their decision) or a closed 差评 case's outcome. */
export interface OutboxEntry {
  kind: 'rating' | 'case_result';
  ratingId: number;
  caseId: number | null;
  day: string;
  /** Waiting from the start (a rating held for review), with its reason; null: due at once. */
  waiting: string | null;
  at: number;
}

const ENQUEUE: BatchStatement<OutboxEntry> = {
  name: 'report_outbox:enqueue',
  columns: [
    ['kind', 'text'],
    ['rating_id', 'bigint'],
    ['case_id', 'bigint'],
    ['day', 'text'],
    ['reason', 'text'],
    ['at', 'bigint'],
  ],
  body: () => sql`INSERT INTO report_outbox (kind, rating_id, case_id, day, state, reason, attempts, next_attempt_at, created_at)
    SELECT kind, rating_id, case_id, day, CASE WHEN reason IS NULL THEN 'pending' ELSE 'waiting' END, reason, 0, at, at
    FROM batch WHERE kind IS NOT NULL`,
  values: (e, out) => out.push(e.kind, e.ratingId, e.caseId, e.day, e.waiting, e.at),
};

/** Adds records to the outbox (one statement per 256). */
export async function enqueueRecords(tx: DbOrTx, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length) await writeRows(tx, ENQUEUE, entries);
}

/** Waiting records of these ratings (their hold was decided) are due again: the delivery job looks at them anew. */
export async function repend(tx: DbOrTx, ratingIds: readonly number[], now: number): Promise<void> {
  if (!ratingIds.length) return;
  await statement(
    tx,
    `UPDATE report_outbox SET state = 'pending', reason = NULL, next_attempt_at = @now
     WHERE rating_id IN ${IDS} AND state = 'waiting'`,
  ).run({ ids: JSON.stringify(ratingIds), now });
}

/** Every waiting record is due again (a code was filled in): those still missing one wait again. */
export async function rependAll(tx: DbOrTx, now: number): Promise<void> {
  await statement(tx, `UPDATE report_outbox SET state = 'pending', reason = NULL, next_attempt_at = @now WHERE state = 'waiting'`).run({
    now,
  });
}

/** A due record as the delivery job claims it: the outbox row and the facts its record is composed of. */
export interface ClaimedRow extends Omit<ReportRatingRow, 'id'> {
  outboxId: number;
  kind: 'rating' | 'case_result';
  ratingId: number;
  caseId: number | null;
  body: string | null;
  held: number;
  excluded: number;
  caseNo: string | null;
  closedAt: number | null;
  classification: string | null;
  satisfaction: string | null;
  rectification: string | null;
}

const CLAIM_SQL = `
  SELECT o.id AS "outboxId", o.kind AS kind, o.rating_id AS "ratingId", o.case_id AS "caseId", o.body AS body,
    r.created_at AS "createdAt", r.department_id AS "departmentId", r.score AS score, r.tags AS tags,
    r.comment AS comment, r.channel AS channel, r.assess_number AS "assessNumber", r.held AS held, r.excluded AS excluded,
    d.name AS "deptName", d.credit_code AS "creditCode", u.area_code AS "areaCode",
    m.project_no AS "projectNo", m.task_code AS "taskCode", m.task_name AS "taskName", m.staff_name AS "staffName",
    m.applicant_type AS "applicantType",
    c.case_no AS "caseNo", c.closed_at AS "closedAt", c.classification AS classification, c.satisfaction AS satisfaction,
    (SELECT e.note FROM case_events e WHERE e.case_id = o.case_id AND e.to_status = 'rectified'
      ORDER BY e.at DESC, e.id DESC LIMIT 1) AS rectification
  FROM report_outbox o
    JOIN ratings r ON r.id = o.rating_id
    JOIN departments d ON d.id = r.department_id
    JOIN org_units u ON u.id = d.org_unit_id
    LEFT JOIN matters m ON m.id = r.matter_id
    LEFT JOIN cases c ON c.id = o.case_id
  WHERE o.state = 'pending' AND o.next_attempt_at <= @now
  ORDER BY o.next_attempt_at, o.id LIMIT @limit`;
// Two instances claiming at once take different rows (SQLite's writer takes turns by itself).
const CLAIM_SQL_PG = `${CLAIM_SQL} FOR UPDATE OF o SKIP LOCKED`;

/**
 * Up to `limit` due records, oldest due first, with their facts. PostgreSQL: in the transaction that
 * leases them (their rows locked). SQLite: read outside any transaction (delivery.ts, `claim`).
 */
export async function claimDue(tx: DbOrTx, now: number, limit: number): Promise<ClaimedRow[]> {
  return statement(tx, isPg(tx) ? CLAIM_SQL_PG : CLAIM_SQL).all<ClaimedRow>({ now, limit });
}

/** What the claim decided for a row: sent now (its body, leased until `next`), waiting (why), or dropped. */
export interface Settled {
  outboxId: number;
  state: 'pending' | 'waiting' | 'dropped';
  reason: string | null;
  body: string | null;
  next: number;
}

const SETTLE: BatchStatement<Settled> = {
  name: 'report_outbox:settle',
  columns: [
    ['id', 'bigint'],
    ['state', 'text'],
    ['reason', 'text'],
    ['body', 'text'],
    ['next', 'bigint'],
  ],
  body: () => sql`UPDATE report_outbox SET state = batch.state, reason = batch.reason,
    body = COALESCE(report_outbox.body, batch.body), next_attempt_at = batch.next
    FROM batch WHERE report_outbox.id = batch.id`,
  values: (s, out) => out.push(s.outboxId, s.state, s.reason, s.body, s.next),
};

export async function settleClaimed(tx: DbOrTx, rows: readonly Settled[]): Promise<void> {
  if (rows.length) await writeRows(tx, SETTLE, rows);
}

// `state || ''` below: the rows are found by their ids (the primary key); through the state index SQLite
// would read every pending row of a backlog for each batch (bench report: 48 → 1.8 ms a batch at 1 M).

/** The receiver acknowledged these records. */
export async function markAcked(tx: DbOrTx, ids: readonly number[], now: number, answer: string): Promise<void> {
  await statement(
    tx,
    `UPDATE report_outbox SET state = 'acked', acked_at = @now, attempts = attempts + 1, last_attempt_at = @now,
       last_answer = @answer, body = NULL, reason = NULL
     WHERE id IN ${IDS} AND state || '' = 'pending'`,
  ).run({ ids: JSON.stringify(ids), now, answer });
}

/**
 * An attempt at these records failed: each is due again at `next`, or becomes a dead letter once it
 * has been failing since `deadBefore` or earlier.
 */
export async function markFailed(
  tx: DbOrTx,
  ids: readonly number[],
  now: number,
  next: number,
  deadBefore: number,
  answer: string,
): Promise<void> {
  await statement(
    tx,
    `UPDATE report_outbox SET attempts = attempts + 1, last_attempt_at = @now, last_answer = @answer,
       first_failed_at = COALESCE(first_failed_at, @now), next_attempt_at = @next,
       state = CASE WHEN COALESCE(first_failed_at, @now) <= @deadBefore THEN 'dead' ELSE 'pending' END
     WHERE id IN ${IDS} AND state || '' = 'pending'`,
  ).run({ ids: JSON.stringify(ids), now, next, deadBefore, answer });
}

/** One POST to the receiver, for the operator view. */
export async function logBatch(
  tx: DbOrTx,
  b: { at: number; day: string; records: number; acked: boolean; status: number | null; answer: string; ms: number },
): Promise<void> {
  await statement(
    tx,
    'INSERT INTO report_batches (at, day, records, acked, status, answer, ms) VALUES (@at, @day, @records, @acked, @status, @answer, @ms)',
  ).run({ ...b, acked: b.acked ? 1 : 0 });
}

/** Forgets acknowledged and dropped records that entered the outbox before `before` (ms): their ratings stay, the reconciliation looks back a year. */
export async function pruneSettled(tx: DbOrTx, before: number): Promise<void> {
  await statement(tx, `DELETE FROM report_outbox WHERE state IN ('acked', 'dropped') AND created_at < @before`).run({ before });
}

/** Forgets the POSTs logged before `before` (ms). */
export async function pruneBatches(tx: DbOrTx, before: number): Promise<void> {
  await statement(tx, 'DELETE FROM report_batches WHERE at < @before').run({ before });
}

/** Dead letters (all, or these record ids) due again now: a manual resend, with the same bodies. Answers how many. */
export async function resendDead(tx: DbOrTx, ids: readonly number[] | null, now: number): Promise<number> {
  const where = ids === null ? `state = 'dead'` : `state = 'dead' AND id IN ${IDS}`;
  const n = await statement(tx, `SELECT count(*) AS n FROM report_outbox WHERE ${where}`).get<{ n: number }>(
    ids === null ? undefined : { ids: JSON.stringify(ids) },
  );
  await statement(tx, `UPDATE report_outbox SET state = 'pending', next_attempt_at = @now, first_failed_at = NULL WHERE ${where}`).run(
    ids === null ? { now } : { now, ids: JSON.stringify(ids) },
  );
  return Number(n?.n ?? 0);
}

// ---- The operator view and the reconciliation ----

/** Records by state, and when the oldest pending one entered the outbox. */
export async function outboxCounts(db: DbOrTx): Promise<{ state: string; n: number; oldest: number | null }[]> {
  const rows = await statement(
    db,
    'SELECT state AS state, count(*) AS n, min(created_at) AS oldest FROM report_outbox GROUP BY state',
  ).all<{ state: string; n: number | string; oldest: number | string | null }>();
  return rows.map((r) => ({ state: r.state, n: Number(r.n), oldest: r.oldest === null ? null : Number(r.oldest) }));
}

/** POSTs per day since `fromMs`: how many, records sent, acknowledged, failed. */
export async function batchDays(
  db: DbOrTx,
  fromMs: number,
): Promise<{ day: string; posts: number; sent: number; acked: number; failed: number }[]> {
  const rows = await statement(
    db,
    `SELECT day AS day, count(*) AS posts, sum(records) AS sent,
       sum(CASE WHEN acked = 1 THEN records ELSE 0 END) AS acked, sum(CASE WHEN acked = 1 THEN 0 ELSE records END) AS failed
     FROM report_batches WHERE at >= @from GROUP BY day ORDER BY day DESC`,
  ).all<Record<string, string | number>>({ from: fromMs });
  return rows.map((r) => ({
    day: String(r.day),
    posts: Number(r.posts),
    sent: Number(r.sent),
    acked: Number(r.acked),
    failed: Number(r.failed),
  }));
}

/** The last failed POSTs, newest first. */
export async function lastFailures(
  db: DbOrTx,
  limit: number,
): Promise<{ at: number; records: number; status: number | null; answer: string | null }[]> {
  const rows = await statement(
    db,
    'SELECT at AS at, records AS records, status AS status, answer AS answer FROM report_batches WHERE acked = 0 ORDER BY at DESC, id DESC LIMIT @limit',
  ).all<{ at: number | string; records: number; status: number | null; answer: string | null }>({ limit });
  return rows.map((r) => ({ ...r, at: Number(r.at) }));
}

/** The last POST, acknowledged or not. */
export async function lastBatch(db: DbOrTx): Promise<{ at: number; acked: number; answer: string | null } | undefined> {
  const r = await statement(
    db,
    'SELECT at AS at, acked AS acked, answer AS answer FROM report_batches ORDER BY at DESC, id DESC LIMIT 1',
  ).get<{
    at: number | string;
    acked: number;
    answer: string | null;
  }>();
  return r && { ...r, at: Number(r.at) };
}

/** Waiting records by reason. */
export async function waitingReasons(db: DbOrTx): Promise<{ reason: string; n: number }[]> {
  const rows = await statement(
    db,
    `SELECT reason AS reason, count(*) AS n FROM report_outbox WHERE state = 'waiting' GROUP BY reason ORDER BY count(*) DESC LIMIT 50`,
  ).all<{ reason: string | null; n: number | string }>();
  return rows.map((r) => ({ reason: r.reason ?? '', n: Number(r.n) }));
}

export interface OutboxListRow {
  id: number;
  kind: 'rating' | 'case_result';
  ratingId: number;
  caseId: number | null;
  day: string;
  reason: string | null;
  attempts: number;
  lastAnswer: string | null;
  firstFailedAt: number | null;
  createdAt: number;
  deptName: string;
}

/** The first records of a state (waiting or dead), oldest first. */
export async function listOutbox(db: DbOrTx, state: 'waiting' | 'dead', limit: number): Promise<OutboxListRow[]> {
  const rows = await statement(
    db,
    `SELECT o.id AS id, o.kind AS kind, o.rating_id AS "ratingId", o.case_id AS "caseId", o.day AS day, o.reason AS reason,
       o.attempts AS attempts, o.last_answer AS "lastAnswer", o.first_failed_at AS "firstFailedAt", o.created_at AS "createdAt",
       d.name AS "deptName"
     FROM report_outbox o JOIN ratings r ON r.id = o.rating_id JOIN departments d ON d.id = r.department_id
     WHERE o.state = @state ORDER BY o.id LIMIT @limit`,
  ).all<OutboxListRow>({ state, limit });
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    ratingId: Number(r.ratingId),
    caseId: r.caseId === null ? null : Number(r.caseId),
    firstFailedAt: r.firstFailedAt === null ? null : Number(r.firstFailedAt),
    createdAt: Number(r.createdAt),
  }));
}

/** Ratings stored per day in [from, to], and how many of them are reportable (neither held nor excluded). */
export async function storedPerDay(db: DbOrTx, from: string, to: string): Promise<{ day: string; stored: number; reportable: number }[]> {
  const rows = await statement(
    db,
    `SELECT day AS day, count(*) AS stored, sum(CASE WHEN held = 0 AND excluded = 0 THEN 1 ELSE 0 END) AS reportable
     FROM ratings WHERE day >= @from AND day <= @to GROUP BY day`,
  ).all<{ day: string; stored: number | string; reportable: number | string }>({ from, to });
  return rows.map((r) => ({ day: r.day, stored: Number(r.stored), reportable: Number(r.reportable) }));
}

/**
 * The records of reportable ratings (neither held nor excluded) in the outbox, per day in [from, to] and
 * state: the same ratings as storedPerDay's `reportable`, so that the two add up.
 */
export async function outboxPerDay(db: DbOrTx, from: string, to: string): Promise<{ day: string; state: string; n: number }[]> {
  const rows = await statement(
    db,
    `SELECT o.day AS day, o.state AS state, count(*) AS n FROM report_outbox o JOIN ratings r ON r.id = o.rating_id
     WHERE o.kind = 'rating' AND o.day >= @from AND o.day <= @to AND r.held = 0 AND r.excluded = 0 GROUP BY o.day, o.state`,
  ).all<{ day: string; state: string; n: number | string }>({ from, to });
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Every pending record due now: its lease or backoff forgotten (one SQLite process starting: no delivery can be in flight). */
export async function dueNow(tx: DbOrTx, now: number): Promise<void> {
  await statement(tx, `UPDATE report_outbox SET next_attempt_at = @now WHERE state = 'pending' AND next_attempt_at > @now`).run({ now });
}

/** The outbox rows of these record ids (`rating-{id}`, `case-{id}`); unknown ones are left out. */
export async function outboxIdsOf(db: DbOrTx, recordIds: readonly string[]): Promise<number[]> {
  const ratingIds = recordIds.filter((r) => r.startsWith('rating-')).map((r) => Number(r.slice(7)));
  const caseIds = recordIds.filter((r) => r.startsWith('case-')).map((r) => Number(r.slice(5)));
  const of = (kind: string, column: string, ids: number[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : statement(db, `SELECT id FROM report_outbox WHERE kind = '${kind}' AND ${column} IN ${IDS}`).column<number | string>({
          ids: JSON.stringify(ids),
        });
  const found = [...(await of('rating', 'rating_id', ratingIds)), ...(await of('case_result', 'case_id', caseIds))];
  return found.map(Number);
}
