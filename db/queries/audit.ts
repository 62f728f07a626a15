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

/**
 * The audit row of one batch of phone numbers erased by the retention rule (docs/domain.md, 个人信息
 * 保护): which rows (`idsKey` in the detail), the retention and its cutoff; the target names the first
 * and last id of the batch.
 */
export async function insertErasureAudit(
  db: DbOrTx,
  e: { at: number; action: string; targetType: string; idsKey: string; ids: readonly number[]; retentionDays: number; cutoff: number },
): Promise<void> {
  const { ids } = e;
  await insertAudit(db, {
    at: e.at,
    userId: null,
    action: e.action,
    targetType: e.targetType,
    targetId: ids.length === 1 ? String(ids[0]) : `${ids[0]}…${ids[ids.length - 1]}`,
    detail: { count: ids.length, [e.idsKey]: ids, retentionDays: e.retentionDays, cutoff: e.cutoff },
  });
}

export async function listAuditFor(db: DbOrTx, targetType: string, targetId: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, targetId)))
    .orderBy(desc(auditLog.id));
}

/** The times of a user's latest logins (auth.login), newest first: the audit_log (target) index. */
export async function latestLogins(db: DbOrTx, userId: number, limit: number): Promise<number[]> {
  const found = await db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, String(userId)), eq(auditLog.action, 'auth.login')))
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return found.map((r) => Number(r.at));
}
