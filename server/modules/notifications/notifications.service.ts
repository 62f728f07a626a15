// Webhook notifications: enqueued inside the transaction that causes them (so a rating never waits
// for, nor fails because of, a robot), delivered later by a job with a timeout and retries.
import type { Db, Tx } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/notifications.js';
import type { DeliveryView, NotifyEvent, WebhookInput, WebhookPatch, WebhookView } from '../../../shared/api/notifications.js';
import { chinaDay } from '../../../shared/china-time.js';
import type { CaseKind } from '../../../shared/domain.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Actor } from '../auth/actor.js';
import type { OrgService } from '../org/org.service.js';
import { buildPayload } from './formats.js';

/** Attempts per delivery, and the wait before each retry (1 min, 5 min, 30 min, 2 h). */
export const MAX_ATTEMPTS = 5;
export const RETRY_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000] as const;
const DELIVERY_TIMEOUT_MS = 5_000;
const BATCH = 50;

export function createNotificationsService(deps: {
  db: Db;
  clock: Clock;
  org: Pick<OrgService, 'orgUnitIdsInScope'>;
  /** Where delivery failures are reported (never with the URL: it carries the robot's key). */
  log: Logger;
  timeoutMs?: number;
}) {
  const { db, clock, org, log } = deps;
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  // Enqueueing runs on the rating route: the webhook list is cached and refreshed on every change.
  let cache: q.WebhookRow[] | null = null;
  const webhooks = () => (cache ??= q.listWebhooks(db));
  let running: Promise<DeliverResult> | null = null;

  function toView(w: q.WebhookRow): WebhookView {
    return {
      id: w.id,
      name: w.name,
      kind: w.kind,
      url: w.url,
      events: w.events,
      orgUnitId: w.orgUnitId,
      active: w.active,
      createdAt: w.createdAt,
    };
  }

  function requireAdmin(actor: Actor): void {
    if (actor.role !== 'admin') throw new Forbidden('只有管理员可以管理消息推送');
  }

  function inScope(actor: Actor, w: q.WebhookRow): boolean {
    return w.orgUnitId != null && org.orgUnitIdsInScope(actor).includes(w.orgUnitId);
  }

  function checkUrl(url: string): void {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new BadRequest('推送地址不是有效的网址', 'InvalidWebhookUrl');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
      throw new BadRequest('推送地址必须以 http:// 或 https:// 开头', 'InvalidWebhookUrl');
  }

  function owned(actor: Actor, id: number): q.WebhookRow {
    requireAdmin(actor);
    const w = q.getWebhook(db, id);
    if (!w || !inScope(actor, w)) throw new NotFound('推送配置不存在');
    return w;
  }

  async function attempt(d: q.DeliveryRow): Promise<'delivered' | 'retry' | 'failed'> {
    const hook = q.getWebhook(db, d.webhookId);
    const attempts = d.attempts + 1;
    let error: string;
    if (!hook?.active) {
      q.updateDelivery(db, d.id, { status: 'failed', attempts: d.attempts, lastError: '推送配置已停用', nextAttemptAt: null });
      return 'failed';
    }
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(d.payload),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      // Both robots answer 200 with { errcode, errmsg }: a non-zero errcode (bad key, rate limit) is a failure.
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      const errcode = (body as { errcode?: unknown } | null)?.errcode;
      if (typeof errcode === 'number' && errcode !== 0) {
        throw new Error(`errcode ${errcode}: ${String((body as { errmsg?: unknown }).errmsg ?? '')}`.slice(0, 300));
      }
      q.updateDelivery(db, d.id, { status: 'delivered', attempts, lastError: null, nextAttemptAt: null, deliveredAt: clock.now() });
      return 'delivered';
    } catch (err) {
      error = err instanceof Error ? (err.name === 'TimeoutError' ? `超时（${timeoutMs} ms）` : err.message) : String(err);
    }
    const failed = attempts >= MAX_ATTEMPTS;
    const wait = RETRY_BACKOFF_MS[Math.min(attempts - 1, RETRY_BACKOFF_MS.length - 1)];
    q.updateDelivery(db, d.id, {
      status: failed ? 'failed' : 'pending',
      attempts,
      lastError: error.slice(0, 500),
      nextAttemptAt: failed ? null : clock.now() + wait,
    });
    log.warn(
      { webhookId: hook.id, deliveryId: d.id, event: d.event, attempt: attempts, maxAttempts: MAX_ATTEMPTS, error, gaveUp: failed },
      `webhook #${hook.id}「${hook.name}」delivery #${d.id} (${d.event}) attempt ${attempts}/${MAX_ATTEMPTS} failed: ${error}${failed ? ' — giving up' : ''}`,
    );
    return failed ? 'failed' : 'retry';
  }

  async function deliverBatch(): Promise<DeliverResult> {
    const result: DeliverResult = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const due = q.listDueDeliveries(db, clock.now(), BATCH);
      if (due.length === 0) return result;
      const outcomes = await Promise.all(due.map(attempt));
      for (const o of outcomes) {
        result.attempted++;
        if (o === 'delivered') result.delivered++;
        else if (o === 'retry') result.retrying++;
        else result.failed++;
      }
      if (due.length < BATCH) return result;
    }
  }

  return {
    /**
     * Queues the notices of `event` about a case for every active webhook of its org units, inside the
     * caller's transaction. Idempotent per (webhook, event, case): calling it twice queues once.
     */
    enqueueForCase(tx: Tx, event: NotifyEvent, c: { id: number; kind: CaseKind }): number {
      if (event === 'bad_rating' && c.kind !== 'bad_rating') return 0;
      const candidates = webhooks().filter((w) => w.active && w.events.includes(event));
      if (candidates.length === 0) return 0;
      const facts = q.caseNoticeFacts(tx, c.id);
      if (!facts) return 0;
      const units = new Set(q.orgAncestorIds(tx, facts.orgUnitId));
      const now = clock.now();
      const today = chinaDay(now);
      let queued = 0;
      for (const w of candidates) {
        if (w.orgUnitId != null && !units.has(w.orgUnitId)) continue;
        if (q.deliveryExists(tx, w.id, event, c.id)) continue;
        q.insertDelivery(tx, {
          webhookId: w.id,
          event,
          caseId: c.id,
          payload: buildPayload(w.kind, event, facts, today),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
        });
        queued++;
      }
      return queued;
    },

    /** The delivery job: sends every due notice; overlapping calls share one run. */
    deliverDue(): Promise<DeliverResult> {
      running ??= deliverBatch().finally(() => {
        running = null;
      });
      return running;
    },

    listWebhooks(actor: Actor): WebhookView[] {
      requireAdmin(actor);
      return webhooks()
        .filter((w) => inScope(actor, w))
        .map(toView);
    },

    createWebhook(actor: Actor, input: WebhookInput): WebhookView {
      requireAdmin(actor);
      checkUrl(input.url);
      const orgUnitId = input.orgUnitId ?? actor.orgUnitId;
      if (orgUnitId == null || !org.orgUnitIdsInScope(actor).includes(orgUnitId)) throw new NotFound('组织单位不存在');
      const now = clock.now();
      const row = db.transaction((tx) => {
        const w = q.insertWebhook(tx, {
          name: input.name.trim(),
          kind: input.kind,
          url: input.url,
          events: [...new Set(input.events)],
          orgUnitId,
          active: input.active ?? true,
          createdAt: now,
        });
        insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'webhook.create',
          targetType: 'webhook',
          targetId: String(w.id),
          detail: { name: w.name, kind: w.kind, events: w.events },
        });
        return w;
      });
      cache = null;
      return toView(row);
    },

    updateWebhook(actor: Actor, id: number, patch: WebhookPatch): WebhookView {
      owned(actor, id);
      if (patch.url !== undefined) checkUrl(patch.url);
      const now = clock.now();
      const row = db.transaction((tx) => {
        const w = q.updateWebhook(tx, id, {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
        });
        insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'webhook.update',
          targetType: 'webhook',
          targetId: String(id),
          detail: { fields: Object.keys(patch) },
        });
        return w!;
      });
      cache = null;
      return toView(row);
    },

    deleteWebhook(actor: Actor, id: number): void {
      const w = owned(actor, id);
      const now = clock.now();
      db.transaction((tx) => {
        q.deleteWebhook(tx, id);
        insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'webhook.delete',
          targetType: 'webhook',
          targetId: String(id),
          detail: { name: w.name },
        });
      });
      cache = null;
    },

    listDeliveries(actor: Actor, webhookId: number, limit = 100): DeliveryView[] {
      owned(actor, webhookId);
      return q.listDeliveries(db, webhookId, limit).map((d) => ({
        id: d.id,
        event: d.event,
        caseId: d.caseId,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        nextAttemptAt: d.nextAttemptAt,
        createdAt: d.createdAt,
        deliveredAt: d.deliveredAt,
      }));
    },
  };
}

export interface DeliverResult {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
