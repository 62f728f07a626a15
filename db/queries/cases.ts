import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { caseEvents, cases } from '../schema.js';

export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;

export function insertCase(db: DbOrTx, values: typeof cases.$inferInsert): CaseRow {
  return db.insert(cases).values(values).returning().get();
}

export function insertCaseEvent(db: DbOrTx, values: typeof caseEvents.$inferInsert): void {
  db.insert(caseEvents).values(values).run();
}

export function getCase(db: DbOrTx, id: number): CaseRow | undefined {
  return db.select().from(cases).where(eq(cases.id, id)).get();
}

/** Next sequence number of case numbers with this prefix (e.g. CP20261122-), read inside the writing transaction. */
export function nextCaseSeq(db: DbOrTx, prefix: string): number {
  const row = db.get<{ last: string | null }>(
    sql`SELECT max(case_no) AS last FROM cases WHERE case_no >= ${prefix} AND case_no < ${prefix + '~'}`,
  );
  if (!row?.last) return 1;
  return Number(row.last.slice(prefix.length)) + 1;
}
