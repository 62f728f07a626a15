// Webhooks (企业微信 / 钉钉 group robots) and their delivery log.
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { type DbOrTx, first, firstRow, only, rows } from '../client.js';
import { notificationDeliveries, webhooks } from '../schema.js';

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

export async function listWebhooks(db: DbOrTx): Promise<WebhookRow[]> {
  return db.select().from(webhooks).orderBy(asc(webhooks.id));
}

export async function getWebhook(db: DbOrTx, id: number): Promise<WebhookRow | undefined> {
  return first(db.select().from(webhooks).where(eq(webhooks.id, id)));
}

export async function insertWebhook(db: DbOrTx, values: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  return only(db.insert(webhooks).values(values).returning());
}

export async function updateWebhook(db: DbOrTx, id: number, patch: Partial<typeof webhooks.$inferInsert>): Promise<WebhookRow | undefined> {
  return only(db.update(webhooks).set(patch).where(eq(webhooks.id, id)).returning());
}

/** Removes a webhook together with its delivery log. */
export async function deleteWebhook(db: DbOrTx, id: number): Promise<void> {
  await db.delete(notificationDeliveries).where(eq(notificationDeliveries.webhookId, id));
  await db.delete(webhooks).where(eq(webhooks.id, id));
}

/** What a notice about a case says, gathered in one read. */
export interface CaseNoticeFacts {
  caseId: number;
  caseNo: string;
  kind: string;
  status: string;
  departmentName: string;
  orgUnitId: number;
  location: string;
  /** null for a case no rating opened (办不成事). */
  score: number | null;
  comment: string | null;
  dueDate: string;
  contactDueDate: string;
}

export async function caseNoticeFacts(db: DbOrTx, caseId: number): Promise<CaseNoticeFacts | undefined> {
  return firstRow<CaseNoticeFacts>(
    db,
    sql`
    SELECT c.id AS "caseId", c.case_no AS "caseNo", c.kind, c.status, d.name AS "departmentName", d.org_unit_id AS "orgUnitId",
      coalesce(k.location, '') AS location, r.score, r.comment, c.due_date AS "dueDate", c.contact_due_date AS "contactDueDate"
    FROM cases c JOIN departments d ON d.id = c.department_id LEFT JOIN codes k ON k.id = c.code_id
      LEFT JOIN ratings r ON r.id = c.rating_id
    WHERE c.id = ${caseId}`,
  );
}

/** An org unit and every unit above it. */
export async function orgAncestorIds(db: DbOrTx, orgUnitId: number): Promise<number[]> {
  return (
    await rows<{ id: number }>(
      db,
      sql`
      WITH RECURSIVE up(id) AS (
        SELECT CAST(${orgUnitId} AS BIGINT)
        UNION ALL SELECT o.parent_id FROM org_units o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL
      ) SELECT id FROM up`,
    )
  ).map((r) => r.id);
}

export async function deliveryExists(db: DbOrTx, webhookId: number, event: string, caseId: number): Promise<boolean> {
  const found = await db
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(
      and(
        eq(notificationDeliveries.caseId, caseId),
        eq(notificationDeliveries.event, event),
        eq(notificationDeliveries.webhookId, webhookId),
      ),
    )
    .limit(1);
  return found.length > 0;
}

export async function insertDelivery(db: DbOrTx, values: typeof notificationDeliveries.$inferInsert): Promise<DeliveryRow> {
  return only(db.insert(notificationDeliveries).values(values).returning());
}

/**
 * Claims up to `limit` due deliveries for one attempt: their next attempt moves to `leaseUntil`, so that
 * an overlapping run (another instance, or a run that outlasted its period) does not send them again;
 * an attempt's outcome then sets the real next attempt. A claim that dies with its process is retried
 * once the lease has passed (at-least-once). Answers the claimed rows in id order.
 */
export async function claimDueDeliveries(tx: DbOrTx, now: number, limit: number, leaseUntil: number): Promise<DeliveryRow[]> {
  const t = notificationDeliveries;
  const due = and(eq(t.status, 'pending'), lte(t.nextAttemptAt, now));
  const ids = tx.select({ id: t.id }).from(t).where(due).orderBy(asc(t.nextAttemptAt), asc(t.id)).limit(limit);
  // The outer condition is checked again on the row itself: of two concurrent claims, one gets each row.
  const claimed = await tx
    .update(t)
    .set({ nextAttemptAt: leaseUntil })
    .where(and(inArray(t.id, ids), due))
    .returning();
  return claimed.sort((a, b) => a.id - b.id);
}

export async function updateDelivery(db: DbOrTx, id: number, patch: Partial<typeof notificationDeliveries.$inferInsert>): Promise<void> {
  await db.update(notificationDeliveries).set(patch).where(eq(notificationDeliveries.id, id));
}

export async function listDeliveries(db: DbOrTx, webhookId: number, limit: number): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.webhookId, webhookId))
    .orderBy(desc(notificationDeliveries.id))
    .limit(limit);
}
