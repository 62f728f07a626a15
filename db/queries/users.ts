import { asc, eq } from 'drizzle-orm';
import { type DbOrTx, first, only, statement } from '../client.js';
import { users } from '../schema.js';

export type UserRow = typeof users.$inferSelect;

export async function insertUser(db: DbOrTx, values: typeof users.$inferInsert): Promise<UserRow> {
  return only(db.insert(users).values(values).returning());
}

export async function findUserByUsername(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  return first(db.select().from(users).where(eq(users.username, username)));
}

export async function getUser(db: DbOrTx, id: number): Promise<UserRow | undefined> {
  return first(db.select().from(users).where(eq(users.id, id)));
}

export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.id));
}

// ---- Sessions: the token check of every staff request, revocation, failed logins ----

/** What a request's token resolves to: the user, if the token is still good. */
export interface SessionUserRow {
  id: number;
  username: string;
  displayName: string;
  role: UserRow['role'];
  orgUnitId: number | null;
}

// Runs on every staff request: one prepared statement, by primary keys only.
const SESSION_USER = `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.org_unit_id AS "orgUnitId"
  FROM users u
  WHERE u.id = @id AND u.active = 1 AND u.token_version = @version
    AND NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = @jti)`;

/** The active user a token names, unless the token was signed before a revocation or logged out. */
export async function sessionUser(db: DbOrTx, id: number, version: number, jti: string): Promise<SessionUserRow | undefined> {
  return statement(db, SESSION_USER).get<SessionUserRow>({ id, version, jti });
}

const BUMP_TOKEN_VERSION = 'UPDATE users SET token_version = token_version + 1 WHERE id = ? RETURNING token_version AS "tokenVersion"';

/** Ends every token of a user signed so far; returns the version new tokens carry. */
export async function revokeUserTokens(tx: DbOrTx, id: number): Promise<number> {
  const row = await statement(tx, BUMP_TOKEN_VERSION).get<{ tokenVersion: number }>([id]);
  if (!row) throw new Error(`no user ${id}`);
  return row.tokenVersion;
}

/** Sets a user's password hash and ends every token signed so far; returns the version new tokens carry. */
export async function setPasswordHash(tx: DbOrTx, id: number, passwordHash: string): Promise<number> {
  await tx.update(users).set({ passwordHash }).where(eq(users.id, id));
  return revokeUserTokens(tx, id);
}

export async function setUserActive(tx: DbOrTx, id: number, active: boolean): Promise<UserRow> {
  return only(tx.update(users).set({ active }).where(eq(users.id, id)).returning());
}

/** Ends one token (logout) until it would have expired anyway. */
export async function revokeToken(tx: DbOrTx, jti: string, expiresAt: number): Promise<void> {
  await statement(tx, 'INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING').run([jti, expiresAt]);
}

export interface LoginFailureRow {
  key: string;
  failures: number;
  unlocksAt: number;
}

/** The failure counts of these keys that have a row. */
export async function loginFailureRows(db: DbOrTx, keys: readonly string[]): Promise<LoginFailureRow[]> {
  return statement(
    db,
    'SELECT key, failures, unlocks_at AS "unlocksAt" FROM login_failures WHERE key IN (SELECT value FROM json_each(@keys))',
  ).all<LoginFailureRow>({ keys: JSON.stringify(keys) });
}

// A failure in a window that has ended starts a new one; the failure that reaches `max` locks the key
// until `lockedUntil` and starts the next window then (failures during a lock are never counted: a
// locked key is refused before its password is checked).
const COUNT_FAILURE = `INSERT INTO login_failures (key, window_start, failures, unlocks_at)
  VALUES (@key, @now, 1, @firstUnlocksAt)
  ON CONFLICT (key) DO UPDATE SET
    failures = CASE
      WHEN login_failures.window_start <= @windowEndedBefore THEN 1
      WHEN login_failures.failures + 1 >= @max THEN 0
      ELSE login_failures.failures + 1 END,
    unlocks_at = CASE
      WHEN login_failures.window_start > @windowEndedBefore AND login_failures.failures + 1 >= @max THEN @lockedUntil
      ELSE login_failures.unlocks_at END,
    window_start = CASE
      WHEN login_failures.window_start <= @windowEndedBefore THEN @now
      WHEN login_failures.failures + 1 >= @max THEN @lockedUntil
      ELSE login_failures.window_start END
  RETURNING unlocks_at AS "unlocksAt"`;

/**
 * Counts one failed login under `key` in a window of `windowMs`; the `max`-th locks it for `lockMs`.
 * Returns when the key unlocks (0 or a past time: not locked). One statement: instances count together.
 */
export async function countLoginFailure(
  tx: DbOrTx,
  key: string,
  p: { now: number; max: number; windowMs: number; lockMs: number },
): Promise<number> {
  const row = await statement(tx, COUNT_FAILURE).get<{ unlocksAt: number }>({
    key,
    now: p.now,
    max: p.max,
    windowEndedBefore: p.now - p.windowMs,
    lockedUntil: p.now + p.lockMs,
    firstUnlocksAt: p.max <= 1 ? p.now + p.lockMs : 0,
  });
  return row!.unlocksAt;
}

export async function clearLoginFailures(tx: DbOrTx, key: string): Promise<void> {
  await statement(tx, 'DELETE FROM login_failures WHERE key = ?').run([key]);
}

/** Forgets logged-out tokens past their expiry and failure counts whose window and lock have ended. */
export async function pruneSessions(tx: DbOrTx, now: number, windowMs: number): Promise<void> {
  await statement(tx, 'DELETE FROM revoked_tokens WHERE expires_at < ?').run([now]);
  await statement(tx, 'DELETE FROM login_failures WHERE unlocks_at < ? AND window_start < ?').run([now, now - windowMs]);
}
