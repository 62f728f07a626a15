import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startServerProcess, useServerProcesses } from '../helpers/server-process.js';

const { tempDir } = useServerProcesses();

describe('lifecycle of the real server', () => {
  it('on SIGTERM finishes the request in flight, closes the database and exits 0; a restart keeps the data and does not reseed', async () => {
    const dir = tempDir('mspy-life-');
    const dbFile = join(dir, 'app.db');
    const server = await startServerProcess({ DB_FILE: dbFile });
    expect(server.output()).toContain('已创建示例县');
    expect(server.output()).toMatch(/市民评价页:\s+http:\/\/localhost:\d+\/r\/[2-9A-HJKMNP-Z]{6}/);
    const db = new Database(dbFile, { readonly: true });
    const code = (db.prepare('SELECT id FROM codes LIMIT 1').get() as { id: string }).id;
    db.close();

    // A request whose body is still arriving when SIGTERM comes must still be answered.
    const { port } = new URL(server.url);
    const body = JSON.stringify({ score: 5, clientId: 'lifecycle-client-1' });
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let answer = '';
    socket.on('data', (d) => (answer += String(d)));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.write(
      `POST /api/codes/${code}/ratings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 200));
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    socket.end(body.slice(5));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(await server.exited).toBe(0);

    const again = await startServerProcess({ DB_FILE: dbFile });
    expect(again.output()).not.toContain('已创建示例县');
    const check = new Database(dbFile, { readonly: true });
    expect((check.prepare('SELECT count(*) AS n FROM departments').get() as { n: number }).n).toBe(40);
    expect((check.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n).toBe(1);
    check.close();
    again.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, 120_000);
});
