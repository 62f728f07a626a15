import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, first, inIdList, isPg, type JsonArray, jsonArray, only, perConnection, statement } from '../client.js';
import { codes, dailyCodeStats, departments } from '../schema.js';
import { runningTotalAt } from './rollups.js';

export type CodeRow = typeof codes.$inferSelect;
export type NewCode = typeof codes.$inferInsert;
export type CodeWithDepartment = CodeRow & { departmentName: string; departmentSortOrder: number };

export async function getCode(db: DbOrTx, id: string): Promise<CodeRow | undefined> {
  return first(db.select().from(codes).where(eq(codes.id, id)));
}

const withDepartment = {
  id: codes.id,
  departmentId: codes.departmentId,
  location: codes.location,
  staffName: codes.staffName,
  serviceItems: codes.serviceItems,
  active: codes.active,
  disabledAt: codes.disabledAt,
  createdAt: codes.createdAt,
  updatedAt: codes.updatedAt,
  departmentName: departments.name,
  departmentSortOrder: departments.sortOrder,
};

/** A code with its department's name (the public landing page and the rating path read this). */
export async function getCodeWithDepartment(db: DbOrTx, id: string): Promise<CodeWithDepartment | undefined> {
  return first(
    db.select(withDepartment).from(codes).innerJoin(departments, eq(departments.id, codes.departmentId)).where(eq(codes.id, id)),
  );
}

// Codes made in one bulk creation share createdAt; the row's insertion number keeps them in window
// order (1, 2, … 10): SQLite's rowid, PostgreSQL's seq column (db/schema-pg.ts; PG_PRINT_ORDER below).
const INSERTION_ORDER = sql`"codes"."rowid"`;

const inDepartments = sql`${codes.departmentId} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`;
const activeIs = sql`(${sql.placeholder('active')} IS NULL OR ${codes.active} = ${sql.placeholder('active')})`;
const listParams = (departmentIds: number[], filter: { active?: boolean }) => ({
  ids: JSON.stringify(departmentIds),
  active: filter.active === undefined ? null : Number(filter.active),
});

/** Print order: department order, then creation order. Every other order of the list breaks its ties by it. */
const printOrder = (insertion: SQL) => [asc(departments.sortOrder), asc(departments.id), asc(codes.createdAt), asc(insertion)];
const PRINT_ORDER = printOrder(INSERTION_ORDER);

// PostgreSQL: built per call (drizzle names its prepared statements per query there, not per connection).
function pgCodeFilter(db: DbOrTx, departmentIds: number[], filter: { active?: boolean }): SQL | undefined {
  return and(inIdList(db, codes.departmentId, departmentIds), filter.active === undefined ? undefined : eq(codes.active, filter.active));
}

// The staff codes list runs this for a whole county on every visit: one drizzle statement prepared per
// connection, the department ids as one JSON parameter (the builder rebuilt and compiled the SQL of an
// IN list of every department on each call).
const codeList = perConnection((_, db) =>
  db
    .select(withDepartment)
    .from(codes)
    .innerJoin(departments, eq(departments.id, codes.departmentId))
    .where(and(inDepartments, activeIs))
    .orderBy(...PRINT_ORDER)
    .prepare(),
);

/** Codes of the given departments in print order: department order, then creation order. */
export async function listCodesWithDepartment(
  db: DbOrTx,
  departmentIds: number[],
  filter: { active?: boolean } = {},
): Promise<CodeWithDepartment[]> {
  if (departmentIds.length === 0) return [];
  if (isPg(db)) return pgCodeRows(db, PG_PRINT_ORDER, departmentIds, filter, null, 0);
  return codeList(db).all(listParams(departmentIds, filter));
}

const codeCount = perConnection((_, db) =>
  db.select({ n: sql<number>`count(*)` }).from(codes).where(and(inDepartments, activeIs)).prepare(),
);

/** How many codes the given departments have (of the given state). */
export async function countCodes(db: DbOrTx, departmentIds: number[], filter: { active?: boolean } = {}): Promise<number> {
  if (departmentIds.length === 0) return 0;
  if (isPg(db)) {
    return (
      (
        await db
          .select({ n: sql<number>`count(*)`.mapWith(Number) })
          .from(codes)
          .where(pgCodeFilter(db, departmentIds, filter))
      )[0]?.n ?? 0
    );
  }
  return codeCount(db).get(listParams(departmentIds, filter))?.n ?? 0;
}

/** The orders of the list that SQL can page by itself: by the code's own columns, ties in print order. */
export type CodeColumnSort = 'department' | 'code' | 'createdAt';
const columnOrders = (insertion: SQL): Record<CodeColumnSort, (dir: typeof asc) => SQL[]> => ({
  // Departments turned around, their codes still in the order they were made.
  department: (dir) => [dir(departments.sortOrder), dir(departments.id), asc(codes.createdAt), asc(insertion)],
  code: (dir) => [dir(codes.id)],
  createdAt: (dir) => [dir(codes.createdAt), ...printOrder(insertion)],
});
const COLUMN_ORDERS = columnOrders(INSERTION_ORDER);

// PostgreSQL: the same orders as constant statements prepared once per connection (the list of a whole
// county was built by the query builder and planned again on every request: ~1 ms of the codes list).
const PG_PRINT_ORDER = 'd.sort_order, d.id, k.created_at, k.seq';
const PG_PAGE_ORDERS: Record<CodeColumnSort, Record<'asc' | 'desc', string>> = {
  department: { asc: PG_PRINT_ORDER, desc: 'd.sort_order DESC, d.id DESC, k.created_at, k.seq' },
  code: { asc: 'k.id', desc: 'k.id DESC' },
  createdAt: { asc: `k.created_at, ${PG_PRINT_ORDER}`, desc: `k.created_at DESC, ${PG_PRINT_ORDER}` },
};

type PgCodeRow = [string, number, string, string | null, string | null, number, number | null, number, number, string, number];

async function pgCodeRows(
  db: DbOrTx,
  orderBy: string,
  departmentIds: number[],
  filter: { active?: boolean },
  limit: number | null,
  offset: number,
): Promise<CodeWithDepartment[]> {
  const found = (await statement(
    db,
    `SELECT k.id, k.department_id, k.location, k.staff_name, k.service_items, k.active, k.disabled_at, k.created_at, k.updated_at,
      d.name, d.sort_order
    FROM codes k JOIN departments d ON d.id = k.department_id
    WHERE k.department_id IN (SELECT value FROM json_each(@ids)) AND (@active::integer IS NULL OR k.active = @active)
    ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`,
  ).arrays({ ...listParams(departmentIds, filter), limit, offset })) as PgCodeRow[];
  return found.map(
    ([
      id,
      departmentId,
      location,
      staffName,
      serviceItems,
      active,
      disabledAt,
      createdAt,
      updatedAt,
      departmentName,
      departmentSortOrder,
    ]) => ({
      id,
      departmentId,
      location,
      staffName,
      serviceItems: serviceItems === null ? null : (JSON.parse(serviceItems) as string[]),
      active: active === 1,
      disabledAt,
      createdAt,
      updatedAt,
      departmentName,
      departmentSortOrder,
    }),
  );
}

// One statement per order and direction, prepared on first use: the page a staff member opens costs a
// sort in SQLite and the rows of that page, never an object per code in scope.
const codePages = perConnection((_, db) => {
  const made = new Map<string, ReturnType<typeof prepare>>();
  const prepare = (sort: CodeColumnSort, order: 'asc' | 'desc') =>
    db
      .select(withDepartment)
      .from(codes)
      .innerJoin(departments, eq(departments.id, codes.departmentId))
      .where(and(inDepartments, activeIs))
      .orderBy(...COLUMN_ORDERS[sort](order === 'asc' ? asc : desc))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare();
  return (sort: CodeColumnSort, order: 'asc' | 'desc') => {
    const key = `${sort} ${order}`;
    let statement = made.get(key);
    if (!statement) {
      statement = prepare(sort, order);
      made.set(key, statement);
    }
    return statement;
  };
});

/** One page of the codes of the given departments, in an order of the codes' own columns. */
export async function pageCodesWithDepartment(
  db: DbOrTx,
  departmentIds: number[],
  filter: { active?: boolean },
  page: { sort: CodeColumnSort; order: 'asc' | 'desc'; limit: number; offset: number },
): Promise<CodeWithDepartment[]> {
  if (departmentIds.length === 0) return [];
  if (isPg(db)) {
    const orderBy = PG_PAGE_ORDERS[page.sort][page.order];
    return pgCodeRows(db, orderBy, departmentIds, filter, page.limit < 0 ? null : page.limit, page.offset);
  }
  return codePages(db)(page.sort, page.order).all({ ...listParams(departmentIds, filter), limit: page.limit, offset: page.offset });
}

export async function firstActiveCodeId(db: DbOrTx): Promise<string | undefined> {
  const [row] = await db
    .select({ id: codes.id })
    .from(codes)
    .where(and(eq(codes.active, true)))
    .orderBy(asc(codes.createdAt))
    .limit(1);
  return row?.id;
}

/** Which of `ids` are taken — by any code, active or disabled, since ids are never reused. */
export async function existingCodeIds(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set((await db.select({ id: codes.id }).from(codes).where(inArray(codes.id, ids))).map((r) => r.id));
}

export async function insertCodes(db: DbOrTx, rows: NewCode[]): Promise<CodeRow[]> {
  if (rows.length === 0) return [];
  return db.insert(codes).values(rows).returning();
}

/** Updates the mutable fields of a code; its id and department are deliberately not settable. */
export async function updateCode(
  db: DbOrTx,
  id: string,
  values: Partial<Pick<CodeRow, 'location' | 'staffName' | 'active' | 'disabledAt'>> & { updatedAt: number },
): Promise<CodeRow | undefined> {
  return only(db.update(codes).set(values).where(eq(codes.id, id)).returning());
}

export interface CodeFunnelTotals {
  codeId: string;
  opensRecent: number;
  submissionsRecent: number;
  opensTotal: number;
  submissionsTotal: number;
  lastOpenDay: string | null;
  lastSubmissionDay: string | null;
}

// The latest row holds the whole history and the last open/submission days; "recent" (days >=
// @since) is the latest row minus the last row before @since. One primary-key seek per side, each
// reading its row as one JSON array (rows of arrays: no object of named columns per code).
const funnelSql = (codesListed: string) => `
  SELECT k.id,
    ${runningTotalAt('cumulative_code_stats', 'code_id', 'k.id', 'opens, submissions, last_open_day, last_submission_day', '')} AS hi,
    ${runningTotalAt('cumulative_code_stats', 'code_id', 'k.id', 'opens, submissions', '< @since')} AS lo
  FROM ${codesListed}`;
const FUNNEL_OF_DEPARTMENTS = funnelSql('codes k WHERE k.department_id IN (SELECT value FROM json_each(@ids))');
const FUNNEL_OF_CODES = funnelSql('codes k WHERE k.id IN (SELECT value FROM json_each(@codes))');

/**
 * Scan-funnel totals per code that has ever been opened or rated, from the codes' running totals
 * (cumulative_code_stats), in one statement prepared once per connection (the staff codes list runs
 * it for a whole county): every code of the given departments, or only the given codes (one page).
 */
export async function funnelTotals(
  db: DbOrTx,
  of: { departmentIds: number[] } | { codeIds: string[] },
  sinceDay: string,
): Promise<CodeFunnelTotals[]> {
  const rows = (
    'departmentIds' in of
      ? of.departmentIds.length === 0
        ? []
        : await statement(db, FUNNEL_OF_DEPARTMENTS).arrays({ ids: JSON.stringify(of.departmentIds), since: sinceDay })
      : of.codeIds.length === 0
        ? []
        : await statement(db, FUNNEL_OF_CODES).arrays({ codes: JSON.stringify(of.codeIds), since: sinceDay })
  ) as [string, JsonArray | null, JsonArray | null][];
  const totals: CodeFunnelTotals[] = [];
  for (const [id, hi, lo] of rows) {
    if (hi === null) continue;
    const [opensTotal, submissionsTotal, lastOpenDay, lastSubmissionDay] = jsonArray(hi) as [number, number, string | null, string | null];
    const [opensBefore, submissionsBefore] = lo === null ? [0, 0] : (jsonArray(lo) as [number, number]);
    totals.push({
      codeId: id,
      opensRecent: opensTotal - opensBefore,
      submissionsRecent: submissionsTotal - submissionsBefore,
      opensTotal,
      submissionsTotal,
      lastOpenDay,
      lastSubmissionDay,
    });
  }
  return totals;
}

/** Opens and submissions of one code per day, only the days that have a rollup row. */
export async function funnelDays(
  db: DbOrTx,
  codeId: string,
  from: string,
  to: string,
): Promise<Array<{ day: string; opens: number; submissions: number }>> {
  const s = dailyCodeStats;
  return db
    .select({ day: s.day, opens: s.opens, submissions: s.submissions })
    .from(s)
    .where(and(eq(s.codeId, codeId), gte(s.day, from), lte(s.day, to)))
    .orderBy(asc(s.day));
}
