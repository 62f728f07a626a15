// Which SQL a route spends its time in, on PostgreSQL: wraps pg.Client.prototype.query (every query of
// this process's clients) to time each one from the call to its answer (the round trip included), and
// gives the slowest statements with EXPLAIN (ANALYZE, BUFFERS) run again with the same values (in a
// transaction rolled back). A statement the app runs as a named prepared statement (db/client.ts
// `statement`) may be run with PostgreSQL's generic plan after its fifth execution on a connection
// (plan_cache_mode = auto): its generic plan is shown too. Used only after the timed runs.
import pg from 'pg';
import type { StatementCost } from './sql-profile.js';

type QueryFn = (...args: unknown[]) => unknown;

export function pgProfiler(url: string) {
  const costs = new Map<string, { calls: number; totalMs: number; values: unknown[]; named: boolean }>();
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const record = (text: string, values: unknown[], named: boolean, t0: number) => {
    const c = costs.get(text) ?? { calls: 0, totalMs: 0, values, named };
    c.calls++;
    c.totalMs += performance.now() - t0;
    costs.set(text, c);
  };
  return {
    start() {
      costs.clear();
      proto.query = function (this: unknown, ...args: unknown[]) {
        const q = args[0];
        const text = typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '');
        const values = (Array.isArray(args[1]) ? args[1] : ((q as { values?: unknown[] } | undefined)?.values ?? [])) as unknown[];
        const named = typeof q === 'object' && q !== null && typeof (q as { name?: unknown }).name === 'string';
        const t0 = performance.now();
        // The pool answers through a callback, drizzle and db/client.ts through the promise.
        const cbAt = args.findIndex((a, i) => i > 0 && typeof a === 'function');
        if (cbAt > 0) {
          const cb = args[cbAt] as QueryFn;
          args[cbAt] = (...r: unknown[]) => {
            record(text, values, named, t0);
            return cb(...r);
          };
          return original.apply(this, args);
        }
        const out = original.apply(this, args);
        if (out && typeof (out as Promise<unknown>).then === 'function')
          (out as Promise<unknown>).then(
            () => record(text, values, named, t0),
            () => record(text, values, named, t0),
          );
        return out;
      };
    },
    /** Time spent in SQL since start(), and the `top` most expensive statements with their plans. */
    async stop(top = 2): Promise<{ totalMs: number; statements: StatementCost[] }> {
      proto.query = original;
      const totalMs = Math.round([...costs.values()].reduce((n, c) => n + c.totalMs, 0) * 100) / 100;
      const statements: StatementCost[] = [];
      for (const [sql, c] of [...costs].sort((a, b) => b[1].totalMs - a[1].totalMs).slice(0, top)) {
        statements.push({
          sql: sql.replace(/\s+/g, ' ').trim(),
          calls: c.calls,
          totalMs: Math.round(c.totalMs * 100) / 100,
          plan: await explain(url, sql, c.values, c.named),
        });
      }
      return { totalMs, statements };
    },
  };
}

async function explain(url: string, sql: string, values: unknown[], named: boolean): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const literal = (v: unknown): string =>
    v === null || v === undefined
      ? 'NULL'
      : typeof v === 'number' || typeof v === 'bigint'
        ? String(v)
        : typeof v === 'boolean'
          ? String(v)
          : client.escapeLiteral(typeof v === 'string' ? v : JSON.stringify(v));
  const plan = async (text: string, params: unknown[] = []) =>
    (await client.query(text, params)).rows.map((r: Record<string, string>) => `  ${r['QUERY PLAN']!}`);
  try {
    // Run again (ANALYZE executes it) inside a transaction that is rolled back, whatever it does.
    await client.query('BEGIN');
    const out = ['custom plan (these values):', ...(await plan(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values))];
    if (named) {
      await client.query(`PREPARE bench_generic AS ${sql}`);
      await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      const args = values.length ? `(${values.map(literal).join(', ')})` : '';
      out.push(
        'generic plan (a prepared statement may settle on it after 5 runs):',
        ...(await plan(`EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_generic${args}`)),
      );
    }
    await client.query('ROLLBACK');
    return out;
  } catch (err) {
    return [`(no plan: ${(err as Error).message})`];
  } finally {
    await client.end();
  }
}
