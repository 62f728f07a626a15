// Integrations (docs/domain.md, 办件): a business system's API key, made by an administrator and acting
// within that administrator's scope. Only the key's SHA-256 is stored; every call looks the key up in
// the database (a revocation or rotation holds at once, on every instance), and its calls and 4xx
// answers are counted for the admin page, written in batches off the request's path.
import { createHash } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/integrations.js';
import type { CreateIntegrationInput, IntegrationView, IntegrationWithKey } from '../../../shared/api/integrations.js';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Actor } from '../auth/actor.js';
import type { OrgService } from '../org/org.service.js';
import type { Caller } from './caller.js';

/** Every key starts with this, so that one found in a log or a config file is recognised. */
export const API_KEY_PREFIX = 'mspy_';
/** 32 random bytes (256 bits), base64url: 43 characters after the prefix. */
const KEY_BYTES = 32;
const KEY_SHAPE = /^mspy_[A-Za-z0-9_-]{43}$/;
/** What the admin page shows of a key: the prefix and 7 characters (42 bits: enough to tell keys apart). */
const SHOWN_LENGTH = API_KEY_PREFIX.length + 7;
/** How long counted calls wait in memory before they are written (one statement per integration). */
const USAGE_FLUSH_MS = 1000;
const LAST_ERROR_MAX = 300;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function createIntegrationsService(deps: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  org: Pick<OrgService, 'orgUnitIdsInScope' | 'departmentIdsInScope'>;
  log: Logger;
}) {
  const { db, clock, random, org, log } = deps;

  function newKey(): { apiKey: string; keyHash: string; keyPrefix: string } {
    const apiKey = `${API_KEY_PREFIX}${Buffer.from(random.bytes(KEY_BYTES)).toString('base64url')}`;
    return { apiKey, keyHash: hashApiKey(apiKey), keyPrefix: apiKey.slice(0, SHOWN_LENGTH) };
  }

  function toView(r: q.IntegrationListRow): IntegrationView {
    return {
      id: r.id,
      name: r.name,
      keyPrefix: r.keyPrefix,
      orgUnitId: r.orgUnitId,
      orgUnitName: r.orgUnitName ?? '',
      createdBy: { id: r.createdBy, displayName: r.createdByName },
      createdAt: r.createdAt,
      rotatedAt: r.rotatedAt,
      revokedAt: r.revokedAt,
      lastCallAt: r.lastCallAt,
      calls: r.calls,
      errors: r.errors,
      lastError: r.lastError,
      lastErrorAt: r.lastErrorAt,
    };
  }

  function requireAdmin(actor: Actor): void {
    if (actor.role !== 'admin') throw new Forbidden('只有管理员可以管理系统对接');
  }

  /** The org units whose integrations the admin manages. */
  async function unitsOf(actor: Actor): Promise<number[]> {
    requireAdmin(actor);
    return org.orgUnitIdsInScope(actor);
  }

  async function viewOf(actor: Actor, id: number): Promise<IntegrationView> {
    const found = (await q.listIntegrations(db, await unitsOf(actor))).find((r) => r.id === id);
    if (!found) throw new NotFound('对接系统不存在', 'IntegrationNotFound');
    return toView(found);
  }

  /** An integration the admin manages, or NotFound (never revealing one of another scope). */
  async function owned(actor: Actor, id: number): Promise<q.IntegrationRow> {
    const units = await unitsOf(actor);
    const row = await q.getIntegration(db, id);
    if (!row || row.orgUnitId === null || !units.includes(row.orgUnitId)) throw new NotFound('对接系统不存在', 'IntegrationNotFound');
    return row;
  }

  // ---- Usage counters: summed in memory per integration, written at most once a second. ----
  let pending = new Map<number, q.UsageDelta>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();
  /** After close(): nothing more is counted or retried (the database is going away). */
  let closed = false;

  async function writeUsage(batch: Map<number, q.UsageDelta>): Promise<void> {
    if (batch.size === 0) return;
    try {
      await db.transaction((tx) => q.addUsage(tx, [...batch.values()]));
    } catch (err) {
      log.warn({ err }, 'integration usage counters not written');
      // Counters only: kept for the next write rather than lost (the database may be back by then).
      if (!closed) for (const d of batch.values()) mergeUsage(d);
    }
  }

  function mergeUsage(d: q.UsageDelta): void {
    if (closed) return;
    const p = pending.get(d.id);
    if (!p) {
      pending.set(d.id, { ...d });
    } else {
      p.calls += d.calls;
      p.errors += d.errors;
      p.lastCallAt = Math.max(p.lastCallAt, d.lastCallAt);
      if (d.lastErrorAt !== null && (p.lastErrorAt === null || d.lastErrorAt >= p.lastErrorAt)) {
        p.lastError = d.lastError;
        p.lastErrorAt = d.lastErrorAt;
      }
    }
    timer ??= setTimeout(() => void flushUsage(), USAGE_FLUSH_MS).unref();
  }

  /** Writes the counted calls now (the admin list, and closing the server, wait for it). */
  function flushUsage(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = new Map();
    flushing = flushing.then(() => writeUsage(batch));
    return flushing;
  }

  return {
    flushUsage,

    /** Writes what is counted and stops counting: the server closes (before its database does). */
    async close(): Promise<void> {
      await flushUsage();
      closed = true;
    },

    /**
     * The integration a call's `X-Api-Key` names, with its scope; null for a key that is malformed,
     * unknown, rotated out or revoked. Read from the database on every call (no cache to outlive a
     * revocation).
     */
    async resolveKey(key: string): Promise<Caller | null> {
      if (!KEY_SHAPE.test(key)) return null;
      const row = await q.integrationByKeyHash(db, hashApiKey(key));
      if (!row || row.revokedAt !== null) return null;
      // Scope: the departments under the creating administrator's org unit (as that admin's own).
      const departmentIds =
        row.orgUnitId === null ? [] : await org.departmentIdsInScope({ id: 0, role: 'admin', orgUnitId: row.orgUnitId });
      return {
        kind: 'integration',
        integration: { id: row.id, name: row.name, orgUnitId: row.orgUnitId },
        departmentIds: new Set(departmentIds),
      };
    },

    /** A call answered: counted, and a 4xx counted as an error with its message (in memory; written within a second). */
    recordCall(integrationId: number, statusCode: number, message: string | null): void {
      const now = clock.now();
      const error = statusCode >= 400 && statusCode < 500;
      mergeUsage({
        id: integrationId,
        calls: 1,
        errors: error ? 1 : 0,
        lastCallAt: now,
        lastError: error ? `${statusCode} ${message ?? ''}`.trim().slice(0, LAST_ERROR_MAX) : null,
        lastErrorAt: error ? now : null,
      });
    },

    async list(actor: Actor): Promise<IntegrationView[]> {
      const units = await unitsOf(actor);
      await flushUsage();
      return (await q.listIntegrations(db, units)).map(toView);
    },

    /** A new integration in the admin's scope; its key is in this answer only. */
    async create(actor: Actor, input: CreateIntegrationInput): Promise<IntegrationWithKey> {
      requireAdmin(actor);
      if (actor.orgUnitId === null) throw new Forbidden('您没有管理范围，不能新建对接', 'NoScope');
      const name = input.name.trim();
      if (!name) throw new BadRequest('名称（name）不能为空', 'InvalidField');
      const key = newKey();
      const now = clock.now();
      const row = await db.transaction(async (tx) => {
        const created = await q.insertIntegration(tx, {
          name,
          keyHash: key.keyHash,
          keyPrefix: key.keyPrefix,
          orgUnitId: actor.orgUnitId,
          createdBy: actor.id,
          createdAt: now,
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'integration.create',
          targetType: 'integration',
          targetId: String(created.id),
          detail: { name, keyPrefix: key.keyPrefix, orgUnitId: actor.orgUnitId },
        });
        return created;
      });
      return { ...(await viewOf(actor, row.id)), apiKey: key.apiKey };
    },

    /** A new key for the integration; the old one answers 401 from the commit on. */
    async rotate(actor: Actor, id: number): Promise<IntegrationWithKey> {
      const row = await owned(actor, id);
      if (row.revokedAt !== null) throw new Conflict('该对接已撤销，不能更换密钥', 'IntegrationRevoked');
      const key = newKey();
      const now = clock.now();
      await db.transaction(async (tx) => {
        await q.updateIntegration(tx, id, { keyHash: key.keyHash, keyPrefix: key.keyPrefix, rotatedAt: now });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'integration.rotate',
          targetType: 'integration',
          targetId: String(id),
          detail: { name: row.name, oldKeyPrefix: row.keyPrefix, keyPrefix: key.keyPrefix },
        });
      });
      return { ...(await viewOf(actor, id)), apiKey: key.apiKey };
    },

    /** Revokes the integration: its calls answer 401 from the commit on. Revoking it again changes nothing. */
    async revoke(actor: Actor, id: number): Promise<void> {
      const row = await owned(actor, id);
      if (row.revokedAt !== null) return;
      const now = clock.now();
      await db.transaction(async (tx) => {
        await q.updateIntegration(tx, id, { revokedAt: now });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'integration.revoke',
          targetType: 'integration',
          targetId: String(id),
          detail: { name: row.name, keyPrefix: row.keyPrefix },
        });
      });
    },
  };
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;
