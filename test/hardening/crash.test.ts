import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { processExists, processGone, startServerProcess, useServerProcesses } from '../helpers/server-process.js';

const { tempDir } = useServerProcesses();

describe('crash safety: kill -9 under load', () => {
  it('keeps every rating that got a 2xx, with its case, and the file passes integrity_check', async () => {
    const dir = tempDir('mspy-crash-');
    const dbFile = join(dir, 'app.db');
    const server = await startServerProcess({ DB_FILE: dbFile, TRUST_PROXY: '127.0.0.1' });
    const setup = new Database(dbFile);
    const codes = (setup.prepare('SELECT id FROM codes WHERE active = 1').all() as { id: string }[]).map((c) => c.id);
    setup.close();

    const acknowledged = new Map<number, number>(); // rating id → score
    let stop = false;
    let n = 0;
    async function driver(): Promise<void> {
      while (!stop) {
        const i = n++;
        const score = i % 5 === 0 ? 1 : 5;
        try {
          const res = await fetch(`${server.url}/api/codes/${codes[i % codes.length]}/ratings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${i % 250}.1` },
            body: JSON.stringify({ score, clientId: `crashclient${i}`, idempotencyKey: `crashkey${i}` }),
          });
          if (res.status === 201 || res.status === 200) acknowledged.set(((await res.json()) as { id: number }).id, score);
        } catch {
          // connection died with the server: not acknowledged
        }
      }
    }
    const drivers = Array.from({ length: 16 }, () => driver());
    try {
      await new Promise((r) => setTimeout(r, 1500));
      server.kill('SIGKILL');
      await server.exited;
      // The process that listened is really gone: nobody answers on its port, its pid and its group no longer exist.
      await server.waitUntilPortClosed();
      expect(processExists(server.pid), `server pid ${server.pid}`).toBe(false);
      expect(await processGone(-server.pid), `process group ${server.pid}`).toBe(true);
    } finally {
      stop = true;
      await Promise.all(drivers);
    }
    const refused = await fetch(`${server.url}/api/codes/${codes[0]}`).then(
      (res) => `answered ${res.status}`,
      (err: Error & { cause?: { code?: string } }) => err.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(acknowledged.size).toBeGreaterThan(20);

    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Map(
      (db.prepare('SELECT id, score FROM ratings').all() as { id: number; score: number }[]).map((r) => [r.id, r.score]),
    );
    for (const [id, score] of acknowledged) expect(stored.get(id), `rating ${id}`).toBe(score);
    const orphanBad = db
      .prepare(
        // Every 差评 has its case, or (held in a flood: each address sends a 差评 every 250 requests) its
        // burst's grouped case.
        `SELECT count(*) AS n FROM ratings r WHERE r.score <= 2
          AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.rating_id = r.id AND c.kind = 'bad_rating')
          AND NOT EXISTS (SELECT 1 FROM rating_hold_groups g JOIN cases c ON c.id = g.case_id WHERE g.id = r.hold_group_id AND r.held = 1)`,
      )
      .get() as { n: number };
    expect(orphanBad.n).toBe(0);
    const rollup = db.prepare('SELECT coalesce(sum(submissions), 0) AS n FROM daily_code_stats').get() as { n: number };
    expect(rollup.n).toBe(stored.size);
    db.close();

    // and the server starts again on the same file, keeping everything
    const again = await startServerProcess({ DB_FILE: dbFile });
    const res = await fetch(`${again.url}/api/codes/${codes[0]}`);
    expect(res.status).toBe(200);
    again.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 120_000);
});
