import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { driverUnderTest } from '../helpers/app.js';
import { runCli, startServerProcess, useServerProcesses } from '../helpers/server-process.js';

const { tempDir } = useServerProcesses();

// The backup and restore CLIs copy SQLite files (the online backup API, integrity_check): SQLite only.
describe.skipIf(driverUnderTest === 'pg')('backup and restore', () => {
  it('backs up the live database while ratings arrive; the copy holds every rating committed before it began', async () => {
    const dir = tempDir('mspy-backup-');
    const dbFile = join(dir, 'app.db');
    const server = await startServerProcess({ DB_FILE: dbFile, TRUST_PROXY: '127.0.0.1' });
    const setup = new Database(dbFile, { readonly: true });
    const codes = (setup.prepare('SELECT id FROM codes').all() as { id: string }[]).map((c) => c.id);
    setup.close();

    const acknowledged: Array<{ id: number; at: number }> = [];
    let stop = false;
    let n = 0;
    async function driver(): Promise<void> {
      while (!stop) {
        const i = n++;
        const res = await fetch(`${server.url}/api/codes/${codes[i % codes.length]}/ratings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${i % 250}.2` },
          body: JSON.stringify({ score: (i % 5) + 1, clientId: `backupclient${i}` }),
        });
        if (res.status === 201) acknowledged.push({ id: ((await res.json()) as { id: number }).id, at: Date.now() });
      }
    }
    const drivers = Array.from({ length: 8 }, () => driver());
    await new Promise((r) => setTimeout(r, 700));
    const began = Date.now();
    const before = acknowledged.filter((a) => a.at < began).map((a) => a.id);
    const backupFile = join(dir, 'copy.db');
    const result = await runCli('server/cli/backup.ts', [backupFile], { DB_FILE: dbFile });
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(drivers);
    expect(result.code, result.out).toBe(0);
    expect(before.length).toBeGreaterThan(10);

    const copy = new Database(backupFile, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = new Set((copy.prepare('SELECT id FROM ratings').all() as { id: number }[]).map((r) => r.id));
    for (const id of before) expect(ids.has(id), `rating ${id}`).toBe(true);
    copy.close();

    // restore: refuse garbage, install a good copy (the server is stopped first), keep the old file aside
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const garbage = join(dir, 'garbage.db');
    const g = new Database(garbage);
    g.exec('CREATE TABLE x (y)');
    g.close();
    const refused = await runCli('server/cli/restore.ts', [garbage], { DB_FILE: dbFile });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('missing tables');
    const restored = await runCli('server/cli/restore.ts', [backupFile], { DB_FILE: dbFile });
    expect(restored.code, restored.out).toBe(0);
    const live = new Database(dbFile, { readonly: true });
    expect((live.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n).toBe(ids.size);
    live.close();
    expect(restored.out).toMatch(/previous database kept at (\S+)/);
    expect(existsSync(/previous database kept at (\S+)/.exec(restored.out)![1]!)).toBe(true);
  }, 120_000);
});
