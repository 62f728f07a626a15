// Integrations: business systems that push 办件 with an API key (only the key's SHA-256 is stored).
import { eq, sql } from 'drizzle-orm';
import { type DbOrTx, first, inIdList, only, rows, statement } from '../client.js';
import { integrations } from '../schema.js';

export type IntegrationRow = typeof integrations.$inferSelect;

export async function insertIntegration(db: DbOrTx, values: typeof integrations.$inferInsert): Promise<IntegrationRow> {
  return only(db.insert(integrations).values(values).returning());
}

export async function getIntegration(db: DbOrTx, id: number): Promise<IntegrationRow | undefined> {
  return first(db.select().from(integrations).where(eq(integrations.id, id)));
}

/** An integration as the admin page lists it: with its creator's and its org unit's names. */
export type IntegrationListRow = IntegrationRow & { createdByName: string; orgUnitName: string | null };

/** The integrations of these org units (null: every integration), newest first. */
export async function listIntegrations(db: DbOrTx, orgUnitIds: readonly number[] | null): Promise<IntegrationListRow[]> {
  return rows<IntegrationListRow>(
    db,
    sql`
    SELECT i.id, i.name, i.key_hash AS "keyHash", i.key_prefix AS "keyPrefix", i.org_unit_id AS "orgUnitId", i.created_by AS "createdBy",
      i.created_at AS "createdAt", i.rotated_at AS "rotatedAt", i.revoked_at AS "revokedAt", i.last_call_at AS "lastCallAt",
      i.calls, i.errors, i.last_error AS "lastError", i.last_error_at AS "lastErrorAt",
      u.display_name AS "createdByName", o.name AS "orgUnitName"
    FROM integrations i JOIN users u ON u.id = i.created_by LEFT JOIN org_units o ON o.id = i.org_unit_id
    ${orgUnitIds === null ? sql`` : sql`WHERE ${inIdList(db, sql`i.org_unit_id`, orgUnitIds)}`}
    ORDER BY i.id DESC`,
  );
}

export async function updateIntegration(
  db: DbOrTx,
  id: number,
  patch: Partial<Pick<typeof integrations.$inferInsert, 'keyHash' | 'keyPrefix' | 'rotatedAt' | 'revokedAt'>>,
): Promise<void> {
  await db.update(integrations).set(patch).where(eq(integrations.id, id));
}

/** What a call's key resolves to: read on every integration call (never cached: a revocation holds at once). */
export interface KeyOwner {
  id: number;
  name: string;
  orgUnitId: number | null;
  revokedAt: number | null;
}

const BY_KEY = `SELECT id, name, org_unit_id AS "orgUnitId", revoked_at AS "revokedAt" FROM integrations WHERE key_hash = ?`;

export async function integrationByKeyHash(db: DbOrTx, keyHash: string): Promise<KeyOwner | undefined> {
  return statement(db, BY_KEY).get<KeyOwner>([keyHash]);
}

/** What calls added to an integration's counters since the last write. */
export interface UsageDelta {
  id: number;
  calls: number;
  errors: number;
  lastCallAt: number;
  lastError: string | null;
  lastErrorAt: number | null;
}

// Typed parameters: PostgreSQL cannot infer the type of one that is only compared with NULL.
const ADD_USAGE = `UPDATE integrations SET calls = calls + CAST(@calls AS BIGINT), errors = errors + CAST(@errors AS BIGINT),
    last_call_at = CASE WHEN last_call_at IS NULL OR last_call_at < CAST(@lastCallAt AS BIGINT) THEN CAST(@lastCallAt AS BIGINT) ELSE last_call_at END,
    last_error = CASE WHEN CAST(@lastErrorAt AS BIGINT) IS NOT NULL AND (last_error_at IS NULL OR last_error_at <= CAST(@lastErrorAt AS BIGINT))
      THEN CAST(@lastError AS TEXT) ELSE last_error END,
    last_error_at = CASE WHEN CAST(@lastErrorAt AS BIGINT) IS NOT NULL AND (last_error_at IS NULL OR last_error_at <= CAST(@lastErrorAt AS BIGINT))
      THEN CAST(@lastErrorAt AS BIGINT) ELSE last_error_at END
  WHERE id = CAST(@id AS BIGINT)`;

/** Adds the counted calls of each integration (one statement per integration, in id order). */
export async function addUsage(tx: DbOrTx, deltas: readonly UsageDelta[]): Promise<void> {
  for (const d of [...deltas].sort((a, b) => a.id - b.id)) await statement(tx, ADD_USAGE).run({ ...d });
}
