// Which SQL a route spends its time in: wraps the connection's prepare() so that every statement
// prepared afterwards reports its run time and parameters; EXPLAIN QUERY PLAN of the slowest ones
// tells why a route misses its goal. Used only after the timed runs (it adds a little overhead).
import type Database from 'better-sqlite3';

export interface StatementCost {
  sql: string;
  calls: number;
  totalMs: number;
  plan: string[];
}

type Fn = (...args: unknown[]) => unknown;

export function sqlProfiler(sqlite: Database.Database) {
  const costs = new Map<string, { calls: number; totalMs: number; params: unknown[] }>();
  const original = sqlite.prepare.bind(sqlite) as (source: string) => Database.Statement;
  let on = false;
  (sqlite as unknown as { prepare: Fn }).prepare = (source: unknown) => {
    const stmt = original(source as string);
    for (const m of ['all', 'get', 'run', 'iterate'] as const) {
      const fn = (stmt as unknown as Record<string, Fn>)[m]!.bind(stmt);
      (stmt as unknown as Record<string, Fn>)[m] = (...args: unknown[]) => {
        if (!on) return fn(...args);
        const t = performance.now();
        const out = fn(...args);
        // iterate() is lazy: its cost lands on the caller, so it is counted as a call only.
        const c = costs.get(stmt.source) ?? { calls: 0, totalMs: 0, params: args };
        c.calls++;
        c.totalMs += performance.now() - t;
        costs.set(stmt.source, c);
        return out;
      };
    }
    return stmt;
  };
  return {
    start() {
      costs.clear();
      on = true;
    },
    /** Time spent in SQL since start(), and the `top` most expensive statements with their plans. */
    stop(top = 2): { totalMs: number; statements: StatementCost[] } {
      on = false;
      const totalMs = Math.round([...costs.values()].reduce((n, c) => n + c.totalMs, 0) * 100) / 100;
      const statements = [...costs]
        .sort((a, b) => b[1].totalMs - a[1].totalMs)
        .slice(0, top)
        .map(([sql, c]) => ({
          sql: sql.replace(/\s+/g, ' ').trim(),
          calls: c.calls,
          totalMs: Math.round(c.totalMs * 100) / 100,
          plan: explain(sqlite, original, sql, c.params),
        }));
      return { totalMs, statements };
    },
    restore() {
      (sqlite as unknown as { prepare: unknown }).prepare = original;
    },
  };
}

function explain(sqlite: Database.Database, prepare: (s: string) => Database.Statement, sql: string, params: unknown[]): string[] {
  try {
    const rows = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as unknown[])) as { id: number; parent: number; detail: string }[];
    const depth = new Map<number, number>([[0, -1]]);
    return rows.map((r) => {
      const d = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    });
  } catch (err) {
    void sqlite;
    return [`(no plan: ${(err as Error).message})`];
  }
}
