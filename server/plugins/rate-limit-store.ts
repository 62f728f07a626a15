// The store of the HTTP rate limits (@fastify/rate-limit) when several instances share a PostgreSQL
// database: each request is counted in rate_limit_hits, so a limit holds across instances instead of
// being multiplied by their number. The requests that arrive in one event-loop turn are counted in one
// statement (one round trip for all of them, not one each). One SQLite process uses the plugin's memory.
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../../db/client.js';
import { hitRateLimits } from '../../db/queries/coordination.js';

type Incremented = (err: Error | null, res?: { current: number; ttl: number }) => void;

interface RouteParams {
  routeInfo?: { method?: string | string[]; url?: string };
}

/** The requests waiting for the next statement, per window length, then per key (in arrival order). */
type Pending = Map<number, Map<string, Incremented[]>>;

/** A store class for `@fastify/rate-limit`'s `store` option, counting in the database. */
export function databaseRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  let pending: Pending = new Map();
  let scheduled = false;

  function flush(): void {
    const batch = pending;
    pending = new Map();
    scheduled = false;
    const now = Date.now();
    for (const [windowMs, byKey] of batch) {
      hitRateLimits(
        db,
        [...byKey].map(([key, callbacks]) => ({ key, n: callbacks.length })),
        now,
        windowMs,
      ).then(
        (counts) => {
          for (const [key, callbacks] of byKey) {
            const hit = counts.get(key);
            if (!hit) {
              for (const cb of callbacks) cb(new Error(`rate limit ${key} was not counted`));
              continue;
            }
            const ttl = Math.max(0, hit.windowStart + windowMs - now);
            // The requests of one key in this statement are its last ones, in arrival order.
            callbacks.forEach((cb, i) => {
              cb(null, { current: hit.count - callbacks.length + 1 + i, ttl });
            });
          }
        },
        (err: Error) => {
          for (const callbacks of byKey.values()) for (const cb of callbacks) cb(err);
        },
      );
    }
  }

  return class DatabaseRateLimitStore {
    constructor(
      _globalParams: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, cb: Incremented, timeWindow: number): void {
      let byKey = pending.get(timeWindow);
      if (!byKey) {
        byKey = new Map();
        pending.set(timeWindow, byKey);
      }
      const full = `${this.prefix}${key}`;
      const callbacks = byKey.get(full);
      if (callbacks) callbacks.push(cb);
      else byKey.set(full, [cb]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    }

    // The plugin passes the route's merged limit parameters, with the route under `routeInfo`.
    child(options: unknown): DatabaseRateLimitStore {
      const params = options as RouteParams;
      const method = Array.isArray(params.routeInfo?.method) ? params.routeInfo.method.join(',') : (params.routeInfo?.method ?? '');
      return new DatabaseRateLimitStore(params, `${method} ${params.routeInfo?.url ?? ''}|`);
    }
  };
}
