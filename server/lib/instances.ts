// Several app instances on one database (PostgreSQL): no decision may rest on what only one process
// knows. Periodic jobs run once per period across instances (each run claims its period in job_runs),
// and in-memory caches follow changes made elsewhere within a second (cache_versions).
import type { Db } from '../../db/client.js';
import { claimJobRun, dropRateLimitsBefore, readCacheVersions } from '../../db/queries/coordination.js';
import type { Clock } from './clock.js';

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown> | unknown;
  /** Runs on every instance (cache upkeep), not once per period across them. */
  perInstance?: boolean;
}

/**
 * Runs a job if this instance claims the current period: the last run, by any instance, is at least
 * 90 % of the period ago (timers drift). Returns whether it ran.
 */
export async function runJobOnce(db: Db, clock: Clock, job: Job): Promise<boolean> {
  if (!job.perInstance) {
    const now = clock.now();
    const claimed = await db.transaction((tx) => claimJobRun(tx, job.name, now, now - Math.floor(job.everyMs * 0.9)));
    if (!claimed) return false;
  }
  await job.run();
  return true;
}

/**
 * Polls the cache versions and calls each cache's `drop` when its version moved since the last poll
 * (the first poll only learns the versions: the caches were loaded at start).
 */
export function createCacheSync(db: Db, drops: Record<string, () => Promise<void> | void>) {
  let seen: Map<string, number> | null = null;
  return async function syncCaches(): Promise<string[]> {
    const now = await readCacheVersions(db);
    const dropped: string[] = [];
    if (seen) {
      for (const [name, drop] of Object.entries(drops)) {
        if ((now.get(name) ?? 0) !== (seen.get(name) ?? 0)) {
          await drop();
          dropped.push(name);
        }
      }
    }
    seen = now;
    return dropped;
  };
}

/** Forgets rate-limit windows that ended more than a day ago (they are only written on PostgreSQL). */
export function pruneRateLimits(db: Db, clock: Clock): Promise<void> {
  return db.transaction((tx) => dropRateLimitsBefore(tx, clock.now() - 86_400_000));
}
