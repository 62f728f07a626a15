// The store of the HTTP rate limits (@fastify/rate-limit) when several instances share a PostgreSQL
// database: each request is counted in rate_limit_hits (one statement), so a limit holds across
// instances instead of being multiplied by their number. One SQLite process uses the plugin's memory.
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Db } from '../../db/client.js';
import { hitRateLimit } from '../../db/queries/coordination.js';

type Incremented = (err: Error | null, res?: { current: number; ttl: number }) => void;

interface RouteParams {
  routeInfo?: { method?: string | string[]; url?: string };
}

/** A store class for `@fastify/rate-limit`'s `store` option, counting in the database. */
export function databaseRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  return class DatabaseRateLimitStore {
    constructor(
      _globalParams: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, cb: Incremented, timeWindow: number): void {
      const now = Date.now();
      hitRateLimit(db, `${this.prefix}${key}`, now, timeWindow).then(
        (hit) => cb(null, { current: hit.count, ttl: Math.max(0, hit.windowStart + timeWindow - now) }),
        (err: Error) => cb(err),
      );
    }

    // The plugin passes the route's merged limit parameters, with the route under `routeInfo`.
    child(options: unknown): DatabaseRateLimitStore {
      const params = options as RouteParams;
      const method = Array.isArray(params.routeInfo?.method) ? params.routeInfo.method.join(',') : (params.routeInfo?.method ?? '');
      return new DatabaseRateLimitStore(params, `${method} ${params.routeInfo?.url ?? ''}|`);
    }
  };
}
