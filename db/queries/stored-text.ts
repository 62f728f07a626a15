// Free text stored before a rule about it changed (the masking of phone numbers, docs/domain.md):
// read in id order, written back one row at a time. One data migration walks it (server/lib/mask-stored-text.ts).
import { sql } from 'drizzle-orm';
import { type DbOrTx, exec, rows } from '../client.js';

/** The free-text columns that citizens and staff write, by table. */
export const STORED_TEXT = {
  ratingComments: { table: 'ratings', column: 'comment' },
  caseNotes: { table: 'case_events', column: 'note' },
  decisionReasons: { table: 'rating_decisions', column: 'reason' },
} as const;

export type StoredText = keyof typeof STORED_TEXT;

/** Up to `limit` non-empty texts of one column with ids above `afterId`, in id order. */
export async function textsAfter(
  db: DbOrTx,
  which: StoredText,
  afterId: number,
  limit: number,
): Promise<Array<{ id: number; text: string }>> {
  const { table, column } = STORED_TEXT[which];
  return rows(
    db,
    sql`SELECT id, ${sql.identifier(column)} AS text FROM ${sql.identifier(table)}
      WHERE id > ${afterId} AND ${sql.identifier(column)} IS NOT NULL ORDER BY id LIMIT ${limit}`,
  );
}

export async function rewriteText(tx: DbOrTx, which: StoredText, id: number, text: string): Promise<void> {
  const { table, column } = STORED_TEXT[which];
  await exec(tx, sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(column)} = ${text} WHERE id = ${id}`);
}

/** Whether a one-off data migration has finished (its row in job_runs). */
export async function migrationDone(db: DbOrTx, name: string): Promise<boolean> {
  return (await rows(db, sql`SELECT 1 AS done FROM job_runs WHERE name = ${name}`)).length > 0;
}

export async function markMigrationDone(tx: DbOrTx, name: string, at: number): Promise<void> {
  await exec(
    tx,
    sql`INSERT INTO job_runs (name, last_run_at) VALUES (${name}, ${at})
    ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at`,
  );
}
