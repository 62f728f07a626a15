// What several app instances on one database coordinate through: periodic job runs and cache versions.
import { asc, sql } from 'drizzle-orm';
import { type DbOrTx, statement } from '../client.js';
import { cacheVersions } from '../schema.js';

const CLAIM = `INSERT INTO job_runs (name, last_run_at) VALUES (@name, @now)
  ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at WHERE job_runs.last_run_at <= @due
  RETURNING name`;

/**
 * Claims this period's run of a job: true when its last run (by any instance) is at or before `due`,
 * and records `now` as its last run — one statement, so two instances cannot both claim a period.
 */
export async function claimJobRun(tx: DbOrTx, name: string, now: number, due: number): Promise<boolean> {
  return (await statement(tx, CLAIM).get({ name, now, due })) !== undefined;
}

const BUMP = `INSERT INTO cache_versions (name, version) VALUES (?, 1)
  ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1`;

/** Tells every instance that what the named cache holds has changed (in the changing transaction). */
export async function bumpCacheVersion(tx: DbOrTx, name: string): Promise<void> {
  await statement(tx, BUMP).run([name]);
}

export async function readCacheVersions(db: DbOrTx): Promise<Map<string, number>> {
  const found = await db
    .select({ name: cacheVersions.name, version: cacheVersions.version })
    .from(cacheVersions)
    .orderBy(asc(cacheVersions.name))
    .where(sql`true`);
  return new Map(found.map((r) => [r.name, r.version]));
}

const HITS = `INSERT INTO rate_limit_hits (key, window_start, count)
    SELECT j.key, @now, j.n FROM json_to_recordset(@hits::json) AS j(key text, n integer) ORDER BY j.key
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_limit_hits.window_start + @window <= @now THEN excluded.count ELSE rate_limit_hits.count + excluded.count END,
    window_start = CASE WHEN rate_limit_hits.window_start + @window <= @now THEN @now ELSE rate_limit_hits.window_start END
  RETURNING key, count, window_start AS "windowStart"`;

/**
 * Counts `n` requests under each key in its fixed window of `windowMs` (started by its first request),
 * every key in one statement; answers each key's count and window start after them. Each key at most
 * once in `hits`. The rows are locked in key order, so that two such statements with keys in common
 * (two instances, or two event-loop turns of one) wait for each other instead of deadlocking.
 * PostgreSQL only (the rate-limit store of several instances).
 */
export async function hitRateLimits(
  db: DbOrTx,
  hits: ReadonlyArray<{ key: string; n: number }>,
  now: number,
  windowMs: number,
): Promise<Map<string, { count: number; windowStart: number }>> {
  const found = await statement(db, HITS).all<{ key: string; count: number; windowStart: number }>({
    hits: JSON.stringify(hits),
    now,
    window: windowMs,
  });
  return new Map(found.map((r) => [r.key, { count: r.count, windowStart: r.windowStart }]));
}

/** Forgets the windows that ended before `before` (a daily clean-up). */
export async function dropRateLimitsBefore(db: DbOrTx, before: number): Promise<void> {
  await statement(db, 'DELETE FROM rate_limit_hits WHERE window_start < ?').run([before]);
}

const TRY = `INSERT INTO rate_limit_hits (key, window_start, count) VALUES (@key, @now, 1)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_limit_hits.window_start + @window <= @now THEN 1 ELSE rate_limit_hits.count + 1 END,
    window_start = CASE WHEN rate_limit_hits.window_start + @window <= @now THEN @now ELSE rate_limit_hits.window_start END
  RETURNING count`;

/**
 * Counts one try under `key` in its fixed window of `windowMs` (started by its first try) and answers
 * the count with it: one statement on either database, so tries from several instances at once are
 * each counted before any is judged. A try that turns out right is given back (`giveBackTry`).
 */
export async function countTry(tx: DbOrTx, key: string, now: number, windowMs: number): Promise<number> {
  return (await statement(tx, TRY).get<{ count: number }>({ key, now, window: windowMs }))!.count;
}

export async function giveBackTry(tx: DbOrTx, key: string): Promise<void> {
  await statement(tx, 'UPDATE rate_limit_hits SET count = count - 1 WHERE key = ? AND count > 0').run([key]);
}
