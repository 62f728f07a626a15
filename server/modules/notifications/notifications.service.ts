// Webhook notifications: enqueued inside the transaction that causes them (so a rating never waits
// for, nor fails because of, a robot), delivered later by a job with a timeout and retries.

import type { Db, DbOrTx, Tx } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import { bumpCacheVersion } from '../../../db/queries/coordination.js';
import * as q from '../../../db/queries/notifications.js';
import type { DeliveryView, NotifyEvent, WebhookInput, WebhookPatch, WebhookView } from '../../../shared/api/notifications.js';
import { chinaDay } from '../../../shared/china-time.js';
import type { CaseKind } from '../../../shared/domain.js';
import { BadRequest, Forbidden, NotFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { DataCrypto } from '../../lib/crypto.js';
import type { Logger } from '../../lib/logger.js';
import type { Actor } from '../auth/actor.js';
import type { OrgService } from '../org/org.service.js';
import { buildPayload, DINGTALK_SECRET, signedDingTalkUrl } from './formats.js';
import { AddressRefused, postJson, type ResolveHost, refusedHost, systemResolveHost } from './outbound.js';

/** Attempts per delivery, and the wait before each retry (1 min, 5 min, 30 min, 2 h). */
export const MAX_ATTEMPTS = 5;
export const RETRY_BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000] as const;
const DELIVERY_TIMEOUT_MS = 5_000;
const BATCH = 50;
/** How long past the request timeout a claimed delivery stays claimed (its outcome is written well before). */
const CLAIM_MARGIN_MS = 60_000;

export function createNotificationsService(deps: {
  db: Db;
  clock: Clock;
  org: Pick<OrgService, 'orgUnitIdsInScope'>;
  /** Keeps the DingTalk 加签 secrets encrypted at rest. */
  crypto: Pick<DataCrypto, 'encryptSecret' | 'decryptSecret'>;
  /** Where delivery failures are reported (never with the URL: it carries the robot's key). */
  log: Logger;
  timeoutMs?: number;
  /** WEBHOOK_ALLOW_PRIVATE: webhooks may point at loopback and private addresses. */
  allowPrivate: boolean;
  /** How host names are resolved, at saving and for every delivery's connection (tests pass their own). */
  resolveHost?: ResolveHost;
}) {
  const { db, clock, org, crypto, log, allowPrivate } = deps;
  const timeoutMs = deps.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const resolveHost = deps.resolveHost ?? systemResolveHost;
  // Enqueueing runs on the rating route: the webhook list is cached and dropped on every change.
  let cache: q.WebhookRow[] | null = null;
  // Bumped by every change, so that a list read before a change's commit is never cached after it.
  let generation = 0;
  async function webhooks(c: DbOrTx): Promise<q.WebhookRow[]> {
    if (cache) return cache;
    const seen = generation;
    const rows = await q.listWebhooks(c);
    if (seen === generation) cache = rows;
    return rows;
  }
  function dropCache(): void {
    generation++;
    cache = null;
  }
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
      signed: w.secretEnc != null,
      createdAt: w.createdAt,
    };
  }

  function requireAdmin(actor: Actor): void {
    if (actor.role !== 'admin') throw new Forbidden('只有管理员可以管理消息推送');
  }

  /** The org units whose webhooks the actor manages. */
  async function scopeOf(actor: Actor): Promise<Set<number>> {
    return new Set(await org.orgUnitIdsInScope(actor));
  }

  function inScope(units: ReadonlySet<number>, w: q.WebhookRow): boolean {
    return w.orgUnitId != null && units.has(w.orgUnitId);
  }

  async function checkUrl(url: string): Promise<void> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new BadRequest('推送地址不是有效的网址', 'InvalidWebhookUrl');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:')
      throw new BadRequest('推送地址必须以 http:// 或 https:// 开头', 'InvalidWebhookUrl');
    if (allowPrivate) return;
    const refused = await refusedHost(u, resolveHost);
    if (refused) throw new BadRequest(refused, 'PrivateWebhookAddress');
  }

  /**
   * The stored form of a 加签 secret given for a webhook of `kind`: undefined when none is given
   * (unchanged), null to remove it, else the secret encrypted. Only a DingTalk robot signs.
   */
  function secretToStore(kind: string, secret: string | null | undefined): string | null | undefined {
    if (secret == null) return secret;
    if (kind !== 'dingtalk') throw new BadRequest('只有钉钉机器人使用加签密钥（secret）：企业微信推送不能设置', 'WebhookSecretNotAllowed');
    const s = secret.trim();
    if (!DINGTALK_SECRET.test(s))
      throw new BadRequest(
        '加签密钥（secret）格式不正确：应为钉钉机器人安全设置中“加签”一项显示的密钥，以 SEC 开头，只含字母和数字',
        'InvalidWebhookSecret',
      );
    return crypto.encryptSecret(s);
  }

  async function owned(actor: Actor, id: number): Promise<q.WebhookRow> {
    requireAdmin(actor);
    const w = await q.getWebhook(db, id);
    if (!w || !inScope(await scopeOf(actor), w)) throw new NotFound('推送配置不存在');
    return w;
  }

  async function attempt(d: q.DeliveryRow): Promise<'delivered' | 'retry' | 'failed'> {
    const hook = await q.getWebhook(db, d.webhookId);
    const attempts = d.attempts + 1;
    let error: string;
    if (!hook?.active) {
      await db.transaction((tx) =>
        q.updateDelivery(tx, d.id, { status: 'failed', attempts: d.attempts, lastError: '推送配置已停用', nextAttemptAt: null }),
      );
      return 'failed';
    }
    let refused = false;
    try {
      // A 加签 robot: signed now, for this attempt (DingTalk refuses a timestamp over an hour old).
      let url = hook.url;
      if (hook.kind === 'dingtalk' && hook.secretEnc != null) {
        let secret: string;
        try {
          secret = crypto.decryptSecret(hook.secretEnc);
        } catch {
          throw new SecretUnreadable('加签密钥无法解密（DATA_KEY 是否更换过？）：请重新填写该推送的加签密钥');
        }
        url = signedDingTalkUrl(hook.url, secret, clock.now());
      }
      const res = await postJson(url, JSON.stringify(d.payload), { timeoutMs, allowPrivate, resolve: resolveHost });
      const text = res.text;
      if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`);
      // Both robots answer 200 with { errcode, errmsg }: a non-zero errcode (bad key, rate limit) is a failure.
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      const errcode = (body as { errcode?: unknown } | null)?.errcode;
      if (typeof errcode === 'number' && errcode !== 0) {
        // 310000: DingTalk refused the 加签 signature (wrong secret, or this server's clock over an hour off).
        const hint = errcode === 310000 ? '钉钉加签校验未通过（请核对加签密钥和服务器时间）：' : '';
        throw new Error(`${hint}errcode ${errcode}: ${String((body as { errmsg?: unknown }).errmsg ?? '')}`.slice(0, 300));
      }
      const deliveredAt = clock.now();
      await db.transaction((tx) =>
        q.updateDelivery(tx, d.id, { status: 'delivered', attempts, lastError: null, nextAttemptAt: null, deliveredAt }),
      );
      return 'delivered';
    } catch (err) {
      // A private address is refused for good: retrying would only ask again. So is a secret that
      // does not decrypt.
      refused = err instanceof AddressRefused || err instanceof SecretUnreadable;
      error = err instanceof Error ? (err.name === 'TimeoutError' ? `超时（${timeoutMs} ms）` : err.message) : String(err);
    }
    const failed = refused || attempts >= MAX_ATTEMPTS;
    const wait = RETRY_BACKOFF_MS[Math.min(attempts - 1, RETRY_BACKOFF_MS.length - 1)];
    const nextAttemptAt = failed ? null : clock.now() + wait;
    await db.transaction((tx) =>
      q.updateDelivery(tx, d.id, {
        status: failed ? 'failed' : 'pending',
        attempts,
        lastError: error.slice(0, 500),
        nextAttemptAt,
      }),
    );
    log.warn(
      { webhookId: hook.id, deliveryId: d.id, event: d.event, attempt: attempts, maxAttempts: MAX_ATTEMPTS, error, gaveUp: failed },
      `webhook #${hook.id}「${hook.name}」delivery #${d.id} (${d.event}) attempt ${attempts}/${MAX_ATTEMPTS} failed: ${error}${failed ? ' — giving up' : ''}`,
    );
    return failed ? 'failed' : 'retry';
  }

  async function deliverBatch(): Promise<DeliverResult> {
    const result: DeliverResult = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const now = clock.now();
      const due = await db.transaction((tx) => q.claimDueDeliveries(tx, now, BATCH, now + timeoutMs + CLAIM_MARGIN_MS));
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
    async enqueueForCase(tx: Tx, event: NotifyEvent, c: { id: number; kind: CaseKind }): Promise<number> {
      if (event === 'bad_rating' && c.kind !== 'bad_rating') return 0;
      const candidates = (await webhooks(tx)).filter((w) => w.active && w.events.includes(event));
      if (candidates.length === 0) return 0;
      const facts = await q.caseNoticeFacts(tx, c.id);
      if (!facts) return 0;
      const units = new Set(await q.orgAncestorIds(tx, facts.orgUnitId));
      const now = clock.now();
      const today = chinaDay(now);
      let queued = 0;
      for (const w of candidates) {
        if (w.orgUnitId != null && !units.has(w.orgUnitId)) continue;
        if (await q.deliveryExists(tx, w.id, event, c.id)) continue;
        await q.insertDelivery(tx, {
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
    /** Drops the cached webhook list (another instance changed the webhooks). */
    forgetWebhooks(): void {
      dropCache();
    },

    deliverDue(): Promise<DeliverResult> {
      running ??= deliverBatch().finally(() => {
        running = null;
      });
      return running;
    },

    async listWebhooks(actor: Actor): Promise<WebhookView[]> {
      requireAdmin(actor);
      const units = await scopeOf(actor);
      return (await webhooks(db)).filter((w) => inScope(units, w)).map(toView);
    },

    async createWebhook(actor: Actor, input: WebhookInput): Promise<WebhookView> {
      requireAdmin(actor);
      await checkUrl(input.url);
      const orgUnitId = input.orgUnitId ?? actor.orgUnitId;
      if (orgUnitId == null || !(await org.orgUnitIdsInScope(actor)).includes(orgUnitId)) throw new NotFound('组织单位不存在');
      const secretEnc = secretToStore(input.kind, input.secret);
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        await bumpCacheVersion(tx, 'webhooks');
        const w = await q.insertWebhook(tx, {
          name: input.name.trim(),
          kind: input.kind,
          url: input.url,
          secretEnc: secretEnc ?? null,
          events: [...new Set(input.events)],
          orgUnitId,
          active: input.active ?? true,
          createdAt: now,
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'webhook.create',
          targetType: 'webhook',
          targetId: String(w.id),
          detail: { name: w.name, kind: w.kind, events: w.events, signed: w.secretEnc != null },
        });
        return w;
      });
      dropCache();
      return toView(row);
    },

    async updateWebhook(actor: Actor, id: number, patch: WebhookPatch): Promise<WebhookView> {
      const current = await owned(actor, id);
      if (patch.url !== undefined) await checkUrl(patch.url);
      const kind = patch.kind ?? current.kind;
      const secretEnc = secretToStore(kind, patch.secret);
      if (kind !== 'dingtalk' && secretEnc === undefined && current.secretEnc != null)
        throw new BadRequest('该推送设有钉钉加签密钥：改为企业微信时请同时删除密钥（secret: null）', 'WebhookSecretNotAllowed');
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        await bumpCacheVersion(tx, 'webhooks');
        const w = await q.updateWebhook(tx, id, {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          ...(secretEnc !== undefined ? { secretEnc } : {}),
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'webhook.update',
          targetType: 'webhook',
          targetId: String(id),
          // The secret itself never: only whether one was set or removed.
          detail: {
            fields: Object.keys(patch),
            ...(patch.secret !== undefined ? { secret: patch.secret === null ? 'removed' : 'set' } : {}),
          },
        });
        return w!;
      });
      dropCache();
      return toView(row);
    },

    async deleteWebhook(actor: Actor, id: number): Promise<void> {
      const w = await owned(actor, id);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await bumpCacheVersion(tx, 'webhooks');
        await q.deleteWebhook(tx, id);
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'webhook.delete',
          targetType: 'webhook',
          targetId: String(id),
          detail: { name: w.name },
        });
      });
      dropCache();
    },

    async listDeliveries(actor: Actor, webhookId: number, limit = 100): Promise<DeliveryView[]> {
      await owned(actor, webhookId);
      return (await q.listDeliveries(db, webhookId, limit)).map((d) => ({
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

/** A stored 加签 secret that does not decrypt (DATA_KEY changed): no retry will read it either. */
class SecretUnreadable extends Error {
  override name = 'SecretUnreadable';
}

export interface DeliverResult {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
