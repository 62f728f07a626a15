// Stopping the server the way operators start it: `npm run serve` (npm start = build, then the same
// command). npm's script shell execs node, so the tree is npm → node (→ esbuild, tsx's transformer).
// A stop signal may reach npm alone (docker stop on `CMD npm start`, a service manager that signals its
// main process) or every process of the group at once (systemd's default KillMode=control-group, Ctrl-C
// in a terminal); then node receives it twice, from the sender and forwarded by npm. Either way the
// port closes, the ratings in flight are answered and committed, and no process of the tree is left.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { descendants, processExists, processGone, startServerProcess, useServerProcesses } from '../helpers/server-process.js';

const { tempDir } = useServerProcesses();

interface Pending {
  finish: () => void;
  answer: Promise<string>;
}

/** A rating whose headers the server has parsed (it answered 100 Continue) and whose body is not sent yet. */
async function ratingInFlight(port: number, code: string, i: number): Promise<Pending> {
  const body = JSON.stringify({ score: 5, clientId: `stop-client-000${i}`, idempotencyKey: `stop-key-0000${i}` });
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let data = '';
  socket.setEncoding('utf8').on('data', (d: string) => (data += d));
  socket.on('error', () => {});
  const closed = once(socket, 'close');
  socket.write(
    `POST /api/codes/${code}/ratings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
  );
  while (!data.includes('100 Continue')) {
    if (socket.destroyed) throw new Error(`no 100 Continue: ${data}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    finish: () => socket.end(body),
    answer: closed.then(() => data),
  };
}

function countRatings(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('stopping the server started with npm run serve', () => {
  it.each([
    ['SIGTERM', 'npm alone'],
    ['SIGTERM', 'the whole process group'],
    ['SIGINT', 'the whole process group'],
    ['SIGTERM', 'the whole process group, again while it stops'],
    ['SIGINT', 'the whole process group, again while it stops'],
  ] as const)(
    '%s to %s: the port closes, the ratings in flight are committed, nothing is left',
    async (signal, target) => {
      const dbFile = join(tempDir('mspy-stop-'), 'app.db');
      const server = await startServerProcess({ DB_FILE: dbFile }, { viaNpm: true });
      const tree = descendants(server.pid);
      // Below npm: the node it runs (the script's shell exec'd it), and whatever node started.
      const commands = tree.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
      expect(commands).toContainEqual(expect.stringMatching(/^node --import tsx server\/main\.ts/));
      const port = Number(new URL(server.url).port);
      const db = new Database(dbFile, { readonly: true });
      const code = (db.prepare('SELECT id FROM codes LIMIT 1').get() as { id: string }).id;
      db.close();

      const before = await fetch(`${server.url}/api/codes/${code}/ratings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ score: 4, clientId: 'stop-client-before' }),
      });
      expect(before.status).toBe(201);
      const inFlight = await Promise.all([0, 1, 2].map((i) => ratingInFlight(port, code, i)));

      if (target === 'npm alone') process.kill(server.pid, signal);
      else server.kill(signal);
      // Nobody listens any more while the three requests are still waiting for their bodies.
      await server.waitUntilPortClosed();
      // A second Ctrl-C, a repeated stop, or npm's forwarded copy arriving after node took the first.
      if (target.endsWith('again while it stops')) server.kill(signal);
      for (const r of inFlight) r.finish();
      const answers = await Promise.all(inFlight.map((r) => r.answer));
      for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 201 /);

      expect(await server.exited).toBe(0);
      for (const pid of [server.pid, ...tree]) expect(await processGone(pid)).toBe(true);
      expect(processExists(-server.pid)).toBe(false);
      expect(countRatings(dbFile)).toBe(4);
    },
    120_000,
  );
});
