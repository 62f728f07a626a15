import { and, asc, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { CHINA_OFFSET_MS } from '../../shared/china-time.js';
import {
  type CaseKind,
  type CaseStatus,
  CONTACT_DEADLINE_KINDS,
  type ComplaintChannel,
  UNCLOSED_CASE_STATUSES,
} from '../../shared/domain.js';
import { type DbOrTx, exec, first, firstRow, inIdList, isPg, only, perConnection, rows, statement } from '../client.js';
import { caseDepartments, caseEvents, caseStatusCounts, cases, codes, departments, otherWaysOnly, ratings, users } from '../schema.js';

export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;
export type NewCase = typeof cases.$inferInsert;

// Opening a 差评 case runs inside the rating's transaction on the hottest route: its statements are
// prepared once per connection (drizzle's builder rebuilt and recompiled the SQL on every case).
const CASE_COLUMNS = Object.keys(getTableColumns(cases)).filter((k) => k !== 'id') as Array<keyof typeof cases.$inferInsert>;
const EVENT_COLUMNS = Object.keys(getTableColumns(caseEvents)).filter((k) => k !== 'id') as Array<keyof typeof caseEvents.$inferInsert>;

function placeholders<K extends string>(keys: readonly K[]): Record<K, Placeholder> {
  return Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)])) as unknown as Record<K, Placeholder>;
}

const preparedInserts = perConnection(
  (
    _client,
    db,
  ): {
    kase: { get(values: Record<string, unknown>): CaseRow };
    event: { run(values: Record<string, unknown>): unknown };
  } => ({
    kase: db.insert(cases).values(placeholders(CASE_COLUMNS)).returning().prepare(),
    event: db.insert(caseEvents).values(placeholders(EVENT_COLUMNS)).prepare(),
  }),
);

const TAKE_NUMBERS = `INSERT INTO case_sequences (prefix, last) VALUES (?, ?)
      ON CONFLICT (prefix) DO UPDATE SET last = last + excluded.last RETURNING last`;

/** Every column, with the schema's defaults for those not given (a placeholder must have a value). */
function withDefaults<K extends string>(keys: readonly K[], values: Partial<Record<K, unknown>>, defaults: Partial<Record<K, unknown>>) {
  return Object.fromEntries(keys.map((k) => [k, values[k] !== undefined ? values[k] : (defaults[k] ?? null)]));
}

export async function insertCase(db: DbOrTx, values: NewCase): Promise<CaseRow> {
  // PostgreSQL: the builder (drizzle's prepared statements there are named per query, not per connection).
  if (isPg(db)) return only(db.insert(cases).values(values).returning());
  return preparedInserts(db).kase.get(withDefaults(CASE_COLUMNS, values, { reopenCount: 0 }));
}

export async function insertCaseEvent(db: DbOrTx, values: typeof caseEvents.$inferInsert): Promise<void> {
  if (isPg(db)) await db.insert(caseEvents).values(values);
  else preparedInserts(db).event.run(withDefaults(EVENT_COLUMNS, values, { public: false }));
}

/** The case, locked until the transaction ends (a move reads its status, then writes the next one). */
export async function getCaseForUpdate(tx: DbOrTx, id: number): Promise<CaseRow | undefined> {
  if (isPg(tx)) await exec(tx, sql`SELECT id FROM cases WHERE id = ${id} FOR UPDATE`);
  return getCase(tx, id);
}

export async function getCase(db: DbOrTx, id: number): Promise<CaseRow | undefined> {
  return first(db.select().from(cases).where(eq(cases.id, id)));
}

/**
 * Takes `count` consecutive case numbers under a prefix (e.g. CP20261122-) and returns the first;
 * inside the writing transaction, so a rolled-back case gives its number back.
 */
export async function nextCaseSeq(db: DbOrTx, prefix: string, count = 1): Promise<number> {
  const row = (await statement(db, TAKE_NUMBERS).get<{ last: number }>([prefix, count]))!;
  return row.last - count + 1;
}

/** Sets every prefix's counter from the stored case numbers (cases written without nextCaseSeq). */
export async function resetCaseSequences(db: DbOrTx): Promise<void> {
  await exec(db, sql`DELETE FROM case_sequences`);
  // instr() is SQLite's, strpos() PostgreSQL's.
  const dash = isPg(db) ? sql.raw("strpos(case_no, '-')") : sql.raw("instr(case_no, '-')");
  await exec(
    db,
    sql`INSERT INTO case_sequences (prefix, last)
    SELECT substr(case_no, 1, ${dash}), max(CAST(substr(case_no, ${dash} + 1) AS INTEGER))
    FROM cases GROUP BY 1`,
  );
}

// ---- The 回访 workflow (server/modules/cases) ----

export async function updateCase(db: DbOrTx, id: number, patch: Partial<typeof cases.$inferInsert>): Promise<CaseRow> {
  const row = await only(db.update(cases).set(patch).where(eq(cases.id, id)).returning());
  if (!row) throw new Error(`case ${id} vanished inside its transaction`);
  return row;
}

/** What the citizen is told of a rating's 差评必查 case: its number, deadlines and status link. */
export type CaseFollowUp = Pick<CaseRow, 'caseNo' | 'dueDate' | 'contactDueDate' | 'statusToken'>;

// Answers an idempotent retry of a 差评 on the rating route: prepared once per connection, like its inserts.
const FOLLOW_UP_OF = `SELECT case_no AS "caseNo", due_date AS "dueDate", contact_due_date AS "contactDueDate", status_token AS "statusToken"
  FROM cases WHERE rating_id = ? AND kind = 'bad_rating'`;

/** The 差评必查 case of a rating, if it has one. */
export async function findFollowUpOfRating(db: DbOrTx, ratingId: number): Promise<CaseFollowUp | undefined> {
  return statement(db, FOLLOW_UP_OF).get<CaseFollowUp>([ratingId]);
}

/** The receipt of a case by its id (a 差评 attached to a flood's grouped case answers with it). */
export async function findFollowUpOfCase(db: DbOrTx, caseId: number): Promise<CaseFollowUp | undefined> {
  return statement(
    db,
    `SELECT case_no AS "caseNo", due_date AS "dueDate", contact_due_date AS "contactDueDate", status_token AS "statusToken"
    FROM cases WHERE id = ?`,
  ).get<CaseFollowUp>([caseId]);
}

/** A case with what the citizen's status page shows of it: where, and what was rated. */
export interface PublicCaseRow extends CaseRow {
  departmentName: string;
  /** null for a complaint entered without a window. */
  location: string | null;
  /** null for a case no rating opened (办不成事). */
  score: number | null;
  tags: string[] | null;
  comment: string | null;
}

export async function getPublicCaseByToken(db: DbOrTx, token: string): Promise<PublicCaseRow | undefined> {
  return first(
    db
      .select({
        ...getTableColumns(cases),
        departmentName: departments.name,
        location: codes.location,
        score: ratings.score,
        tags: ratings.tags,
        comment: ratings.comment,
      })
      .from(cases)
      .innerJoin(departments, eq(departments.id, cases.departmentId))
      .leftJoin(codes, eq(codes.id, cases.codeId))
      .leftJoin(ratings, eq(ratings.id, cases.ratingId))
      .where(eq(cases.statusToken, token)),
  );
}

/**
 * What a lookup by case number checks: the 差评 or 办不成事 case and the phone its citizen left (the
 * rating's, or the report's own; encrypted; null: none or erased).
 */
export async function findCaseForLookup(
  db: DbOrTx,
  caseNo: string,
): Promise<{ id: number; departmentId: number; statusToken: string; phoneEnc: string | null } | undefined> {
  return first(
    db
      .select({
        id: cases.id,
        departmentId: cases.departmentId,
        statusToken: cases.statusToken,
        phoneEnc: sql<string | null>`coalesce(${cases.phoneEnc}, ${ratings.phoneEnc})`,
      })
      .from(cases)
      .leftJoin(ratings, eq(ratings.id, cases.ratingId))
      .where(and(eq(cases.caseNo, caseNo), inArray(cases.kind, ['bad_rating', 'cannot_handle', 'complaint']))),
  );
}

/** A case joined with what its pages show: department, code location, rating, officer. */
export interface CaseListRow extends CaseRow {
  departmentName: string;
  /** null for a complaint entered without a window. */
  location: string | null;
  /** null for a case no rating opened (办不成事). */
  score: number | null;
  phoneEnc: string | null;
  phoneErasedAt: number | null;
  officerName: string | null;
  reporterName: string | null;
}

export interface CaseFilter {
  departmentIds: number[];
  /**
   * `departmentIds` is every department there is (Actor.everyDepartment): the list has no department
   * condition. A province's 400 ids in each of the queue's branches took PostgreSQL ~6 ms to plan, three
   * times its run (bench/README.md).
   */
  everyDepartment?: boolean;
  statuses?: CaseStatus[];
  /** (kind, status) pairs, OR-ed: the "to do" list of a role. */
  kindStatuses?: { kind: CaseKind; status: CaseStatus }[];
  kind?: CaseKind;
  /** Kinds the list may hold at all (a department head never sees spot checks). */
  kinds?: readonly CaseKind[];
  /** Also the cases these departments coordinate on (不好办), beyond `departmentIds`' own. */
  coordinatingIds?: number[];
  departmentId?: number;
  overdue?: boolean;
  /** Unclosed cases due this day: their whole deadline, or an open 差评's contact deadline. */
  dueOn?: string;
  /** Cases opened at or after this time (ms). */
  openedSince?: number;
  /** Cases whose 事项 (subject) is exactly this; '' for the ones that name none. */
  subject?: string;
  ratingId?: number;
  /** China calendar day the overdue flags are computed against. */
  today: string;
  sort: 'newest' | 'queue';
  limit: number;
  offset: number;
}

const listColumns = {
  ...getTableColumns(cases),
  departmentName: departments.name,
  location: codes.location,
  score: ratings.score,
  // A reported case's own phone, or its rating's.
  phoneEnc: sql<string | null>`coalesce(${cases.phoneEnc}, ${ratings.phoneEnc})`,
  phoneErasedAt: sql<number | null>`coalesce(${cases.phoneErasedAt}, ${ratings.phoneErasedAt})`,
  officerName: users.displayName,
  /** An observation report's author (特邀监督员, or the staff member of a 一把手走流程). */
  reporterName: sql<string | null>`(SELECT r.display_name FROM users r WHERE r.id = ${cases.reportedBy})`,
};

/**
 * A head's list holds their departments' own cases and the ones those departments coordinate on
 * (不好办). The two parts are read as separate ordered branches, cut to the page, and counted apart:
 * one OR over both made SQLite sort and count every case of the department (121 ms p95 at 10 M
 * ratings). `coordinated` is the cases coordinated on that are not the scope's own.
 */
type ScopePart = 'own' | 'coordinated';

/**
 * The status column as a condition should name it. SQLite (which has no statistics here) is told
 * with `+` when a status index would be the wrong way in:
 * - newest first with closed cases in the list: it walks the created_at order (a page at once)
 *   instead of collecting a county's ~480 000 closed cases by status and sorting them (1.3 s);
 * - the cases coordinated on: it starts from their few ids (case_departments) instead of every case
 *   of the county in those statuses.
 */
function statusColumn(db: DbOrTx, f: CaseFilter, part: ScopePart): SQL {
  const off = !isPg(db) && (part === 'coordinated' || (f.sort === 'newest' && !unclosedOnly(f)));
  return off ? sql`+${cases.status}` : sql`${cases.status}`;
}

function filterWhere(db: DbOrTx, f: CaseFilter, part: ScopePart = 'own'): SQL | undefined {
  // One department (a head's list) is an equality: SQLite walks (department, created_at) newest first.
  // Newest first over many departments: `+` keeps SQLite on the created_at index (a page at once)
  // instead of collecting every case of the county by department and sorting them.
  // Otherwise the scope is one JSON parameter: a county's 40 ids as 40 placeholders made the queue's
  // four branches a large statement to build and prepare on every request.
  // Every department there is: no condition (a head's lists, which have coordinated parts, never are).
  const scope = () =>
    f.departmentIds.length === 1
      ? eq(cases.departmentId, f.departmentIds[0]!)
      : f.sort === 'newest' && f.departmentId === undefined
        ? inArray(sql`+${cases.departmentId}`, [...f.departmentIds])
        : inIdList(db, cases.departmentId, f.departmentIds);
  const conds: (SQL | undefined)[] = [
    part === 'own'
      ? f.everyDepartment
        ? undefined
        : scope()
      : and(
          inArray(
            cases.id,
            db
              .select({ id: caseDepartments.caseId })
              .from(caseDepartments)
              .where(inArray(caseDepartments.departmentId, f.coordinatingIds ?? [])),
          ),
          sql`NOT ${scope()}`,
        ),
  ];
  if (f.kinds) conds.push(inArray(cases.kind, [...f.kinds]));
  const status = statusColumn(db, f, part);
  if (f.statuses?.length) conds.push(inArray(status, f.statuses));
  if (f.kindStatuses) {
    conds.push(or(sql`1 = 0`, ...f.kindStatuses.map((ks) => and(eq(cases.kind, ks.kind), eq(status, ks.status)))));
    // The same statuses once more as a list an index can seek (the pairs above are an OR).
    if (f.kindStatuses.length) conds.push(inArray(status, [...new Set(f.kindStatuses.map((ks) => ks.status))]));
  }
  if (f.kind) conds.push(eq(cases.kind, f.kind));
  // Said as the partial index of the other ways in says it (cases_kind_dept_day_idx).
  if (onlyOtherWays(f)) conds.push(sql.raw(otherWaysOnly('"cases"."kind"')));
  if (f.departmentId !== undefined) conds.push(eq(cases.departmentId, f.departmentId));
  if (f.ratingId !== undefined) conds.push(eq(cases.ratingId, f.ratingId));
  // Overdue is computed against today's date at read time, never stored (it would go stale).
  if (f.overdue === true) conds.push(and(inArray(status, [...UNCLOSED_CASE_STATUSES]), lt(cases.dueDate, f.today)));
  if (f.overdue === false) conds.push(or(eq(status, 'closed'), gte(cases.dueDate, f.today)));
  if (f.dueOn !== undefined) {
    conds.push(
      and(
        inArray(status, [...UNCLOSED_CASE_STATUSES]),
        or(
          eq(cases.dueDate, f.dueOn),
          and(inArray(cases.kind, [...CONTACT_DEADLINE_KINDS]), eq(status, 'open'), eq(cases.contactDueDate, f.dueOn)),
        ),
      ),
    );
  }
  if (f.openedSince !== undefined) conds.push(gte(cases.createdAt, f.openedSince));
  if (f.subject !== undefined) conds.push(f.subject === '' ? isNull(cases.subject) : eq(cases.subject, f.subject));
  return and(...conds);
}

const ALL_STATUSES: readonly CaseStatus[] = [...UNCLOSED_CASE_STATUSES, 'closed'];

/** Whether a list holds unclosed cases only: a few hundred of a county's ~500 000 at 10 M ratings. */
function unclosedOnly(f: CaseFilter): boolean {
  const unclosed = (s: CaseStatus) => s !== 'closed';
  return (
    (f.statuses?.length ? f.statuses.every(unclosed) : false) ||
    f.overdue === true ||
    f.dueOn !== undefined ||
    (f.kindStatuses?.every((ks) => unclosed(ks.status)) ?? false)
  );
}

/**
 * The newest-first key. Of unclosed cases only, `+` makes SQLite find them by status and sort the few
 * instead of walking the department's whole history newest first to find them (20 ms).
 */
function createdOrder(db: DbOrTx, f: CaseFilter): SQL | typeof cases.createdAt {
  return !isPg(db) && (unclosedOnly(f) || onlyOtherWays(f)) ? sql`+${cases.createdAt}` : cases.createdAt;
}

/**
 * Whether a list holds cases of the other ways in only (办不成事, complaints, observations, spot
 * checks): a kind other than 差评, or a 事项 (only they name one). They are few (a few thousand of a
 * county's ~500 000 cases): read from their partial index and sorted, not found by walking every case
 * newest first (0.14–0.21 s for a county at 10 M ratings).
 */
function onlyOtherWays(f: CaseFilter): boolean {
  return (f.kind !== undefined && f.kind !== 'bad_rating') || (f.subject !== undefined && f.subject !== '');
}

/**
 * Ids of one page of the queue, in queue order: past the whole deadline first (逾期), then open 差评
 * past their contact deadline, then the rest, closed last; each group by deadline, then id. Each group
 * is read status by status in (status, due_date) or (department, status, due_date) index order and
 * stops after offset + limit rows, so neither database sorts every unclosed case of a county by a
 * computed key (tens of thousands at 10 M ratings): PostgreSQL, given one group's six statuses at
 * once, read all ~15 000 of its cases to sort them (11 ms).
 */
async function queuePageIds(db: DbOrTx, f: CaseFilter): Promise<number[]> {
  const wanted = f.statuses?.length ? f.statuses : ALL_STATUSES;
  const only = (list: readonly CaseStatus[]) => wanted.filter((s) => list.includes(s));
  const contactLate = and(eq(cases.status, 'open'), lt(cases.contactDueDate, f.today))!;
  const groups = [
    { statuses: only(UNCLOSED_CASE_STATUSES), cond: lt(cases.dueDate, f.today) },
    { statuses: only(['open']), cond: and(gte(cases.dueDate, f.today), lt(cases.contactDueDate, f.today)) },
    { statuses: only(UNCLOSED_CASE_STATUSES), cond: and(gte(cases.dueDate, f.today), sql`NOT ${contactLate}`) },
    { statuses: only(['closed']), cond: undefined },
  ];
  const n = f.offset + f.limit;
  const branches = partsOf(f).flatMap((part) => {
    const base = filterWhere(db, { ...f, statuses: undefined }, part);
    return groups.flatMap((g, rank) =>
      g.statuses.map(
        (status) =>
          sql`SELECT * FROM (SELECT ${sql.raw(String(rank))} AS g, ${cases.id} AS id, ${cases.dueDate} AS due FROM ${cases}
          WHERE ${and(base, eq(statusColumn(db, f, part), status), g.cond)} ORDER BY ${cases.dueDate}, ${cases.id} LIMIT ${n}) AS ${sql.raw(`${part}_g${rank}_${status}`)}`,
      ),
    );
  });
  if (branches.length === 0) return [];
  return (
    await rows<{ id: number }>(
      db,
      sql`SELECT id FROM (${sql.join(branches, sql` UNION ALL `)}) AS queue ORDER BY g, due, id LIMIT ${f.limit} OFFSET ${f.offset}`,
    )
  ).map((r) => r.id);
}

/**
 * How many cases match a filter on department, kind and status only, from the per-status counts
 * (case_status_counts): a county's queue has ~15 000 unclosed cases to count otherwise.
 */
async function countByStatus(db: DbOrTx, f: CaseFilter): Promise<number> {
  const c = caseStatusCounts;
  const conds: (SQL | undefined)[] = [f.everyDepartment ? undefined : inArray(c.departmentId, f.departmentIds)];
  if (f.statuses?.length) conds.push(inArray(c.status, f.statuses));
  if (f.kindStatuses) conds.push(or(sql`1 = 0`, ...f.kindStatuses.map((ks) => and(eq(c.kind, ks.kind), eq(c.status, ks.status)))));
  if (f.kind) conds.push(eq(c.kind, f.kind));
  if (f.kinds) conds.push(inArray(c.kind, [...f.kinds]));
  if (f.departmentId !== undefined) conds.push(eq(c.departmentId, f.departmentId));
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${c.count}), 0)`.mapWith(Number) })
    .from(c)
    .where(and(...conds));
  return row?.n ?? 0;
}

/** Cases with what a list shows of their department, code, rating and officer. */
function selectListRows(db: DbOrTx) {
  return db
    .select(listColumns)
    .from(cases)
    .innerJoin(departments, eq(departments.id, cases.departmentId))
    .leftJoin(codes, eq(codes.id, cases.codeId))
    .leftJoin(ratings, eq(ratings.id, cases.ratingId))
    .leftJoin(users, eq(users.id, cases.officerId));
}

/** The parts of the scope a list reads as branches of their own (see ScopePart). */
function partsOf(f: CaseFilter): ScopePart[] {
  return f.coordinatingIds?.length ? ['own', 'coordinated'] : ['own'];
}

/** Ids of one page, newest first, of a scope in parts: each part's newest offset + limit, merged. */
async function newestPageIds(db: DbOrTx, f: CaseFilter): Promise<number[]> {
  const n = f.offset + f.limit;
  const branches = partsOf(f).map(
    (part) =>
      sql`SELECT * FROM (SELECT ${cases.id} AS id, ${cases.createdAt} AS created FROM ${cases}
        WHERE ${filterWhere(db, f, part)} ORDER BY ${createdOrder(db, f)} DESC, ${cases.id} DESC LIMIT ${n}) AS ${sql.raw(part)}`,
  );
  return (
    await rows<{ id: number }>(
      db,
      sql`SELECT id FROM (${sql.join(branches, sql` UNION ALL `)}) AS page ORDER BY created DESC, id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    )
  ).map((r) => r.id);
}

/**
 * How many cases the filter finds: the `total` of its list (listCases), without reading a page of it
 * (the 首页's counts). `sort`, `limit` and `offset` do not change it.
 */
export async function countCases(db: DbOrTx, f: CaseFilter): Promise<number> {
  if (f.departmentIds.length === 0) return 0;
  const count = async (part: ScopePart) =>
    (
      await db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(cases)
        .where(filterWhere(db, f, part))
    )[0]?.n ?? 0;
  // Overdue, deadline, opening-time, 事项 and rating filters need the cases themselves; the others are
  // per-status counts. The cases coordinated on are few (不好办 parts) and counted as they are.
  return (
    (f.overdue === undefined && f.ratingId === undefined && f.dueOn === undefined && f.openedSince === undefined && f.subject === undefined
      ? await countByStatus(db, f)
      : await count('own')) + (partsOf(f).includes('coordinated') ? await count('coordinated') : 0)
  );
}

/** A page of cases in scope and the total matching; `queue` puts overdue first, then by deadline. */
export async function listCases(db: DbOrTx, f: CaseFilter): Promise<{ rows: CaseListRow[]; total: number }> {
  if (f.departmentIds.length === 0) return { rows: [], total: 0 };
  const total = () => countCases(db, f);
  if (f.sort === 'queue' || partsOf(f).length > 1) {
    const ids = f.sort === 'queue' ? await queuePageIds(db, f) : await newestPageIds(db, f);
    if (ids.length === 0) return { rows: [], total: await total() };
    const byId = new Map(((await selectListRows(db).where(inArray(cases.id, ids))) as CaseListRow[]).map((r) => [r.id, r]));
    return { rows: ids.map((id) => byId.get(id)!), total: await total() };
  }
  const rows = (await selectListRows(db)
    .where(filterWhere(db, f))
    .orderBy(desc(createdOrder(db, f)), desc(cases.id))
    .limit(f.limit)
    .offset(f.offset)) as CaseListRow[];
  return { rows, total: await total() };
}

export async function getCaseListRow(db: DbOrTx, id: number): Promise<CaseListRow | undefined> {
  return (await selectListRows(db).where(eq(cases.id, id)))[0] as CaseListRow | undefined;
}

export interface CaseEventView extends CaseEventRow {
  byName: string | null;
}

/** Timelines of the given cases, oldest first. */
export async function listCaseEvents(db: DbOrTx, caseIds: number[]): Promise<CaseEventView[]> {
  if (caseIds.length === 0) return [];
  return db
    .select({ ...getTableColumns(caseEvents), byName: users.displayName })
    .from(caseEvents)
    .leftJoin(users, eq(users.id, caseEvents.byUserId))
    .where(inArray(caseEvents.caseId, caseIds))
    .orderBy(asc(caseEvents.at), asc(caseEvents.id));
}

export async function listPublicEvents(db: DbOrTx, caseId: number): Promise<CaseEventRow[]> {
  return db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.public, true)))
    .orderBy(asc(caseEvents.at), asc(caseEvents.id));
}

export async function listCasesOfRating(db: DbOrTx, ratingId: number): Promise<CaseRow[]> {
  return db.select().from(cases).where(eq(cases.ratingId, ratingId)).orderBy(asc(cases.id));
}

/**
 * Cases past a deadline and not escalated yet: the whole deadline, or — for a 差评 still open — the
 * contact deadline. (A month's spot checks are called over days; only their whole deadline escalates.)
 */
export async function listEscalationDue(db: DbOrTx, today: string, limit: number): Promise<CaseRow[]> {
  return db
    .select()
    .from(cases)
    .where(
      and(
        inArray(cases.status, [...UNCLOSED_CASE_STATUSES]),
        isNull(cases.escalatedAt),
        or(
          lt(cases.dueDate, today),
          and(inArray(cases.kind, [...CONTACT_DEADLINE_KINDS]), eq(cases.status, 'open'), lt(cases.contactDueDate, today)),
        ),
      ),
    )
    .orderBy(asc(cases.id))
    .limit(limit);
}

/** Active staff who may be a case's officer: supervisors above the department and its heads. */
export async function listAssignableUsers(db: DbOrTx, departmentId: number): Promise<{ id: number; displayName: string; role: string }[]> {
  return rows<{ id: number; displayName: string; role: string }>(
    db,
    sql`
    WITH RECURSIVE up(id) AS (
      SELECT org_unit_id FROM departments WHERE id = ${departmentId}
      UNION ALL SELECT o.parent_id FROM org_units o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL
    )
    SELECT u.id, u.display_name AS "displayName", u.role FROM users u
    WHERE u.active = 1 AND (
      (u.role = 'supervisor' AND u.org_unit_id IN (SELECT id FROM up))
      OR (u.role = 'dept_head' AND EXISTS (SELECT 1 FROM user_departments ud WHERE ud.user_id = u.id AND ud.department_id = ${departmentId}))
    )
    ORDER BY CASE u.role WHEN 'supervisor' THEN 0 ELSE 1 END, u.id`,
  );
}

// ---- Cases no rating opened: 办不成事 (docs/domain.md) ----

/** What a citizen's report needs of the code it names: its department and whether it takes reports. */
export async function findCodeForReport(
  db: DbOrTx,
  code: string,
): Promise<{ id: string; departmentId: number; active: boolean } | undefined> {
  return first(db.select({ id: codes.id, departmentId: codes.departmentId, active: codes.active }).from(codes).where(eq(codes.id, code)));
}

export interface CasePartRow {
  departmentId: number;
  departmentName: string;
  addedAt: number;
  note: string | null;
  at: number | null;
  byName: string | null;
}

/** 不好办: the departments a case coordinates with, in the order they were added, with their parts. */
export async function listCaseParts(db: DbOrTx, caseId: number): Promise<CasePartRow[]> {
  return db
    .select({
      departmentId: caseDepartments.departmentId,
      departmentName: departments.name,
      addedAt: caseDepartments.addedAt,
      note: caseDepartments.partNote,
      at: caseDepartments.partAt,
      byName: users.displayName,
    })
    .from(caseDepartments)
    .innerJoin(departments, eq(departments.id, caseDepartments.departmentId))
    .leftJoin(users, eq(users.id, caseDepartments.partBy))
    .where(eq(caseDepartments.caseId, caseId))
    .orderBy(asc(caseDepartments.addedAt), asc(caseDepartments.departmentId));
}

/** Adds a department to a case; false when it was there already. */
export async function addCaseDepartment(
  tx: DbOrTx,
  v: { caseId: number; departmentId: number; addedAt: number; addedBy: number },
): Promise<boolean> {
  const added = await tx.insert(caseDepartments).values(v).onConflictDoNothing().returning({ caseId: caseDepartments.caseId });
  return added.length > 0;
}

export async function recordCasePart(tx: DbOrTx, v: { caseId: number; departmentId: number; note: string; at: number; by: number }) {
  await tx
    .update(caseDepartments)
    .set({ partNote: v.note, partAt: v.at, partBy: v.by })
    .where(and(eq(caseDepartments.caseId, v.caseId), eq(caseDepartments.departmentId, v.departmentId)));
}

/** Reported cases whose phone is due for erasure: closed before the cutoff, phone still kept. */
export async function listReportPhonesToErase(tx: DbOrTx, cutoff: number, limit: number): Promise<CaseRow[]> {
  return tx
    .select()
    .from(cases)
    .where(and(sql`${cases.phoneEnc} IS NOT NULL`, eq(cases.status, 'closed'), lt(cases.closedAt, cutoff)))
    .orderBy(asc(cases.id))
    .limit(limit);
}

export interface ReportFigureRow {
  departmentId: number;
  departmentName: string;
  subject: string | null;
  reports: number;
  closed: number;
  solved: number;
  /** By classification: 不能办, 不好办, 不给办 (the rest are not classified yet). */
  cannot: number;
  hard: number;
  refused: number;
}

// `otherWaysOnly('c.kind')` below, redundant beside the kind: it lets SQLite use the partial index of
// the cases other than 差评 (cases_kind_dept_day_idx), whose condition a query must state.

/**
 * 办不成事 figures (docs/domain.md): reports made in the period, those closed, and those closed with the
 * citizen satisfied or basically satisfied, per department and 事项 (by the day of the report, rating_day). Read from the cases themselves:
 * reports are few (a county has tens a month), no rollup is needed.
 */
export async function reportFigures(db: DbOrTx, departmentIds: number[], from: string, to: string): Promise<ReportFigureRow[]> {
  if (departmentIds.length === 0) return [];
  return rows<ReportFigureRow>(
    db,
    sql`SELECT c.department_id AS "departmentId", d.name AS "departmentName", c.subject AS "subject",
      count(*) AS "reports",
      sum(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END) AS "closed",
      sum(CASE WHEN c.status = 'closed' AND c.satisfaction IN ('satisfied', 'basic') THEN 1 ELSE 0 END) AS "solved",
      sum(CASE WHEN c.handling = 'cannot' THEN 1 ELSE 0 END) AS "cannot",
      sum(CASE WHEN c.handling = 'hard' THEN 1 ELSE 0 END) AS "hard",
      sum(CASE WHEN c.handling = 'refused' THEN 1 ELSE 0 END) AS "refused"
    FROM cases c JOIN departments d ON d.id = c.department_id
    WHERE c.kind = 'cannot_handle' AND ${sql.raw(otherWaysOnly('c.kind'))} AND c.rating_day >= ${from} AND c.rating_day <= ${to} AND ${inIdList(db, sql.raw('c.department_id'), departmentIds)}
    GROUP BY c.department_id, d.name, d.sort_order, c.subject
    ORDER BY d.sort_order, c.department_id, c.subject`,
  );
}

/** A department's name if it belongs to the same county (org unit) as another department. */
export async function departmentNameInUnitOf(db: DbOrTx, departmentId: number, sameUnitAs: number): Promise<string | undefined> {
  const row = await firstRow<{ name: string }>(
    db,
    sql`SELECT d.name FROM departments d JOIN departments o ON o.org_unit_id = d.org_unit_id WHERE d.id = ${departmentId} AND o.id = ${sameUnitAs}`,
  );
  return row?.name;
}

/** 投诉: the case a channel's work order already opened (one case per order number and channel). */
export async function findCaseByOrder(
  db: DbOrTx,
  channel: ComplaintChannel,
  orderNo: string,
): Promise<{ id: number; caseNo: string; statusToken: string; departmentId: number } | undefined> {
  return first(
    db
      .select({ id: cases.id, caseNo: cases.caseNo, statusToken: cases.statusToken, departmentId: cases.departmentId })
      .from(cases)
      .where(and(eq(cases.channel, channel), eq(cases.orderNo, orderNo))),
  );
}

export interface ComplaintFigureRow {
  departmentId: number;
  departmentName: string;
  channel: ComplaintChannel;
  complaints: number;
  closed: number;
  onTime: number;
  satisfied: number;
}

/**
 * 投诉 figures (docs/domain.md 4.8): complaints received in the period (rating_day holds the day received),
 * closed, closed within their deadline (the China day of closed_at, UTC+8, on or before due_date) and closed
 * with the citizen satisfied or basically satisfied, per department and channel. Read from the cases: few.
 */
export async function complaintFigures(db: DbOrTx, departmentIds: number[], from: string, to: string): Promise<ComplaintFigureRow[]> {
  if (departmentIds.length === 0) return [];
  const closedDay = isPg(db)
    ? sql.raw(`to_char(to_timestamp((c.closed_at + ${CHINA_OFFSET_MS}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`)
    : sql.raw(`strftime('%Y-%m-%d', (c.closed_at + ${CHINA_OFFSET_MS}) / 1000, 'unixepoch')`);
  return rows<ComplaintFigureRow>(
    db,
    sql`SELECT c.department_id AS "departmentId", d.name AS "departmentName", c.channel AS "channel",
      count(*) AS "complaints",
      sum(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END) AS "closed",
      sum(CASE WHEN c.status = 'closed' AND ${closedDay} <= c.due_date THEN 1 ELSE 0 END) AS "onTime",
      sum(CASE WHEN c.status = 'closed' AND c.satisfaction IN ('satisfied', 'basic') THEN 1 ELSE 0 END) AS "satisfied"
    FROM cases c JOIN departments d ON d.id = c.department_id
    WHERE c.kind = 'complaint' AND ${sql.raw(otherWaysOnly('c.kind'))} AND c.rating_day >= ${from} AND c.rating_day <= ${to} AND ${inIdList(db, sql.raw('c.department_id'), departmentIds)}
    GROUP BY c.department_id, d.name, d.sort_order, c.channel
    ORDER BY d.sort_order, c.department_id, c.channel`,
  );
}

// ---- Observation reports: 特邀监督员, 一把手走流程 (docs/domain.md 4.9) ----

/** The observation reports a user filed, newest first, with what their list shows. */
export async function listReportsBy(db: DbOrTx, userId: number, limit: number): Promise<CaseListRow[]> {
  return (await selectListRows(db)
    .where(and(eq(cases.reportedBy, userId), eq(cases.kind, 'observation')))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(limit)) as CaseListRow[];
}

/** Observation reports per department of a scope filed in a period (by filing day), and how many are closed. */
export async function observationFigures(
  db: DbOrTx,
  departmentIds: number[],
  from: string,
  to: string,
): Promise<{ departmentId: number; departmentName: string; reports: number; walkthroughs: number; closed: number }[]> {
  if (departmentIds.length === 0) return [];
  return rows(
    db,
    sql`SELECT c.department_id AS "departmentId", d.name AS "departmentName", count(*) AS "reports",
      sum(CASE WHEN c.walkthrough = 1 THEN 1 ELSE 0 END) AS "walkthroughs",
      sum(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END) AS "closed"
    FROM cases c JOIN departments d ON d.id = c.department_id
    WHERE c.kind = 'observation' AND ${sql.raw(otherWaysOnly('c.kind'))} AND c.rating_day >= ${from} AND c.rating_day <= ${to} AND ${inIdList(db, sql.raw('c.department_id'), departmentIds)}
    GROUP BY c.department_id, d.name, d.sort_order ORDER BY d.sort_order, c.department_id`,
  );
}

/** The departments of a scope with their active windows, for an observation report's choices. */
export async function listObservableWindows(
  db: DbOrTx,
  departmentIds: number[],
): Promise<{ departmentId: number; departmentName: string; code: string | null; location: string | null }[]> {
  if (departmentIds.length === 0) return [];
  return rows(
    db,
    sql`SELECT d.id AS "departmentId", d.name AS "departmentName", k.id AS "code", k.location AS "location"
    FROM departments d LEFT JOIN codes k ON k.department_id = d.id AND k.active = 1
    WHERE d.active = 1 AND ${inIdList(db, sql.raw('d.id'), departmentIds)}
    ORDER BY d.sort_order, d.id, k.location, k.id`,
  );
}

/**
 * The 办不成事 case a rejected 办件's citizen reported through its link (one per 办件), if any: its
 * number and id. Read in the report's transaction after the 办件's lock, so two reports at once see
 * each other.
 */
export async function findReportOfProject(db: DbOrTx, projectNo: string): Promise<{ id: number; caseNo: string } | undefined> {
  return statement(
    db,
    `SELECT id, case_no AS "caseNo" FROM cases WHERE project_no = ? AND kind = 'cannot_handle' ORDER BY id LIMIT 1`,
  ).get<{ id: number; caseNo: string }>([projectNo]);
}
