import { and, desc, eq } from 'drizzle-orm';
import { type DbOrTx, statement } from '../client.js';
import { auditLog } from '../schema.js';

export type AuditRow = typeof auditLog.$inferSelect;

const INSERT = 'INSERT INTO audit_log (at, user_id, action, target_type, target_id, detail) VALUES (?, ?, ?, ?, ?, ?)';

/** One audit row, in the caller's transaction (a constant statement: the 办件 pushes write one each). */
export async function insertAudit(db: DbOrTx, values: Omit<typeof auditLog.$inferInsert, 'id'>): Promise<void> {
  const { detail } = values;
  await statement(db, INSERT).run([
    values.at,
    values.userId ?? null,
    values.action,
    values.targetType ?? null,
    values.targetId ?? null,
    detail === undefined || detail === null ? null : JSON.stringify(detail),
  ]);
}

export async function listAuditFor(db: DbOrTx, targetType: string, targetId: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, targetId)))
    .orderBy(desc(auditLog.id));
}
