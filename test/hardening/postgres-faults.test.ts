// Faults of a PostgreSQL deployment (docs/operations.md): kill -9 of one of two instances under load
// loses no acknowledged rating while the other keeps serving; a PostgreSQL restart during load makes
// the app answer 503 with the error body (neither hanging nor crashing) and recover by itself.
// Each test runs its own throw-away cluster, so stopping it never disturbs the rest of the suite.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, useServerProcesses } from '../helpers/server-process.js';
import { type PgCluster, postgresBinDir, startPgCluster } from '../with-postgres.js';

useServerProcesses();
const bin = postgresBinDir();
let cluster: PgCluster | null = null;
afterEach(() => {
  cluster?.destroy();
  cluster = null;
});

const SECRETS = { JWT_SECRET: 'x'.repeat(40), DATA_KEY: 'ab'.repeat(32), TRUST_PROXY: '127.0.0.1' };

async function query<T>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

function rate(base: string, code: string, i: number, signal?: AbortSignal) {
  return fetch(`${base}/api/codes/${code}/ratings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${i % 250}.1` },
    body: JSON.stringify({ score: i % 5 === 0 ? 1 : 5, clientId: `pgfault${i}`, idempotencyKey: `pgfault${i}` }),
    signal,
  });
}

describe.skipIf(!process.env.TEST_DATABASE_URL || !bin)('PostgreSQL faults', () => {
  it('kill -9 of one of two instances under load loses no acknowledged rating; the other keeps serving', async () => {
    cluster = await startPgCluster(bin!);
    const url = cluster.url;
    const first = await startServerProcess({ ...SECRETS, DATABASE_URL: url });
    const second = await startServerProcess({ ...SECRETS, DATABASE_URL: url, SEED_DEMO: 'false' });
    const codes = (await query<{ id: string }>(url, 'SELECT id FROM codes WHERE active = 1 ORDER BY id')).map((r) => r.id);
    expect(codes).toHaveLength(308);

    const acknowledged = new Map<number, number>();
    const answeredBySecond: number[] = [];
    let stop = false;
    let n = 0;
    async function driver(base: string, mine: number[] | null): Promise<void> {
      while (!stop) {
        const i = n++;
        try {
          const res = await rate(base, codes[i % codes.length]!, i);
          mine?.push(res.status);
          if (res.status === 201 || res.status === 200) acknowledged.set(((await res.json()) as { id: number }).id, i % 5 === 0 ? 1 : 5);
        } catch {
          // the killed instance's connections die with it: not acknowledged
          if (base === first.url) await new Promise((r) => setTimeout(r, 20));
        }
      }
    }
    const drivers = [
      ...Array.from({ length: 6 }, () => driver(first.url, null)),
      ...Array.from({ length: 6 }, () => driver(second.url, answeredBySecond)),
    ];
    await new Promise((r) => setTimeout(r, 1500));
    first.kill('SIGKILL');
    await first.exited;
    const beforeKill = answeredBySecond.length;
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(drivers);

    // The second instance went on answering ratings after the first died, all of them 201.
    const afterKill = answeredBySecond.slice(beforeKill);
    expect(afterKill.length).toBeGreaterThan(20);
    expect(afterKill.every((s) => s === 201)).toBe(true);

    const stored = new Map(
      (await query<{ id: string; score: number }>(url, 'SELECT id, score FROM ratings')).map((r) => [Number(r.id), r.score]),
    );
    expect(acknowledged.size).toBeGreaterThan(40);
    for (const [id, score] of acknowledged) expect(stored.get(id), `rating ${id}`).toBe(score);
    const [orphans] = await query<{ n: string }>(
      url,
      // Every 差评 has its case, or (held in a flood: the load comes from one address) its burst's grouped case.
      `SELECT count(*) AS n FROM ratings r WHERE r.score <= 2
        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.rating_id = r.id AND c.kind = 'bad_rating')
        AND NOT EXISTS (SELECT 1 FROM rating_hold_groups g JOIN cases c ON c.id = g.case_id WHERE g.id = r.hold_group_id AND r.held = 1)`,
    );
    expect(Number(orphans!.n)).toBe(0);
    const [rollup] = await query<{ n: string }>(url, 'SELECT coalesce(sum(submissions), 0) AS n FROM daily_code_stats');
    expect(Number(rollup!.n)).toBe(stored.size);
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);

  it('a PostgreSQL restart makes ratings answer 503 with the error body, and the app recovers by itself', async () => {
    cluster = await startPgCluster(bin!);
    const server = await startServerProcess({ ...SECRETS, DATABASE_URL: cluster.url });
    const [{ id: code } = { id: '' }] = await query<{ id: string }>(
      cluster.url,
      'SELECT id FROM codes WHERE active = 1 ORDER BY id LIMIT 1',
    );
    expect((await rate(server.url, code, 1)).status).toBe(201);

    cluster.stop('fast');
    const down = await rate(server.url, code, 2, AbortSignal.timeout(15_000));
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ error: 'DatabaseUnavailable', message: '服务暂时不可用，请稍后再试' });
    // The process is still there and still answers what needs no database.
    expect((await fetch(`${server.url}/r/sw.js`)).status).toBeLessThan(500);

    cluster.start();
    const deadline = Date.now() + 30_000;
    let status = 0;
    for (let i = 3; Date.now() < deadline; i++) {
      status = (await rate(server.url, code, i, AbortSignal.timeout(15_000))).status;
      if (status === 201) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(201);
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 120_000);
});
