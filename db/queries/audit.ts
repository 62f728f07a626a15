import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { auditLog } from '../schema.js';

export type AuditRow = typeof auditLog.$inferSelect;

export function insertAudit(db: DbOrTx, values: typeof auditLog.$inferInsert): void {
  db.insert(auditLog).values(values).run();
}

export function listAuditFor(db: DbOrTx, targetType: string, targetId: string): AuditRow[] {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, targetId)))
    .orderBy(desc(auditLog.id))
    .all();
}
