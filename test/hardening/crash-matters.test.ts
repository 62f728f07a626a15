// Issue 13: kill -9 between a finished 办件 and its rating loses neither. A business system pushes
// 办件, asks for their links and citizens rate them, while the server is killed; whatever was answered
// 2xx is stored, every stored rating is bound to its 办件 with a consistent assess number, the rollups
// equal a recount, and after the restart every link still works.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startServerProcess, useServerProcesses } from '../helpers/server-process.js';

const { tempDir } = useServerProcesses();
const json = { 'content-type': 'application/json' };

describe('crash safety of 办件 and their ratings: kill -9 in the middle', () => {
  it('keeps every acknowledged 办结 and rating, consistent, and the links work after the restart', async () => {
    const dir = tempDir('mspy-crash-matters-');
    const dbFile = join(dir, 'app.db');
    const server = await startServerProcess({ DB_FILE: dbFile, TRUST_PROXY: '127.0.0.1' });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'admin', password: 'bench-password-1' }),
    });
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${server.url}/api/integrations`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: '一窗受理系统' }),
    });
    const { apiKey } = (await created.json()) as { apiKey: string };
    const setup = new Database(dbFile, { readonly: true });
    const codes = (setup.prepare('SELECT id FROM codes WHERE active = 1').all() as { id: string }[]).map((c) => c.id);
    setup.close();

    const finished = new Set<string>(); // acknowledged 办结 (projectNo)
    const links = new Map<string, string>(); // projectNo → link token
    const rated = new Map<number, string>(); // acknowledged rating id → projectNo
    let stop = false;
    let n = 0;
    const key = { ...json, 'x-api-key': apiKey };
    async function businessSystemAndCitizen(): Promise<void> {
      while (!stop) {
        const i = n++;
        const projectNo = `CRASH${String(i).padStart(6, '0')}`;
        try {
          const now = Date.now();
          const put = await fetch(`${server.url}/api/matters/${projectNo}`, {
            method: 'PUT',
            headers: key,
            body: JSON.stringify({
              code: codes[i % codes.length],
              taskCode: 'T-0001',
              taskName: '个体工商户设立登记',
              status: 'finished',
              acceptedAt: new Date(now - 3600_000).toISOString(),
              finishedAt: new Date(now - 1000).toISOString(),
            }),
          });
          if (put.status !== 201) continue;
          finished.add(projectNo);
          const link = await fetch(`${server.url}/api/matters/${projectNo}/rating-link`, {
            method: 'POST',
            headers: { 'x-api-key': apiKey },
          });
          if (link.status !== 200) continue;
          const linkToken = ((await link.json()) as { token: string }).token;
          links.set(projectNo, linkToken);
          const rating = await fetch(`${server.url}/api/e/${linkToken}/ratings`, {
            method: 'POST',
            headers: { ...json, 'x-forwarded-for': `10.1.${i % 250}.9` },
            body: JSON.stringify({ score: i % 4 === 0 ? 2 : 5, idempotencyKey: `crash-rating-${i}` }),
          });
          if (rating.status === 201) rated.set(((await rating.json()) as { id: number }).id, projectNo);
        } catch {
          // the connection died with the server: not acknowledged
        }
      }
    }
    const clients = Array.from({ length: 8 }, () => businessSystemAndCitizen());
    try {
      await new Promise((r) => setTimeout(r, 2000));
      server.kill('SIGKILL');
      await server.exited;
      await server.waitUntilPortClosed();
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    expect(rated.size).toBeGreaterThan(5);

    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const status = db.prepare('SELECT status FROM matters WHERE project_no = ?');
    for (const p of finished) expect((status.get(p) as { status: string } | undefined)?.status, p).toBe('finished');
    const ratingOf = db.prepare(
      'SELECT m.project_no AS p, r.assess_number AS a, r.channel AS c FROM ratings r JOIN matters m ON m.id = r.matter_id WHERE r.id = ?',
    );
    for (const [id, projectNo] of rated) expect(ratingOf.get(id), `rating ${id}`).toEqual({ p: projectNo, a: 1, c: 'link' });
    // Each 办件's count of ratings is the ratings stored for it: the claim and the insert commit together.
    const skew = db
      .prepare(
        `SELECT count(*) AS n FROM matters m
         WHERE m.rating_count <> (SELECT count(*) FROM ratings r WHERE r.matter_id = m.id)
            OR m.rated <> (CASE WHEN EXISTS (SELECT 1 FROM ratings r WHERE r.matter_id = m.id AND r.channel <> 'default') THEN 1 ELSE 0 END)`,
      )
      .get() as { n: number };
    expect(skew.n).toBe(0);
    db.close();
    const recount = await runCli('server/cli/recount.ts', [], { DB_FILE: dbFile });
    expect(recount.code, recount.out).toBe(0);

    // After the restart every link still rates its 办件: a rating whose answer was lost is its first
    // or, if it was stored, the 追评 — never refused, never lost.
    const again = await startServerProcess({ DB_FILE: dbFile });
    const sample = [...links].slice(-5);
    for (const [projectNo, linkToken] of sample) {
      const res = await fetch(`${again.url}/api/e/${linkToken}/ratings`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ score: 4 }),
      });
      expect(res.status, projectNo).toBe(201);
      expect([1, 2]).toContain(((await res.json()) as { assessNumber: number }).assessNumber);
    }
    again.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 120_000);
});
