// app.close() on a listening server, with the connections a browser leaves behind: it lets the
// request in flight finish (its rating stored and answered), then ends every connection and returns.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { firstRow } from '../../db/client.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';

let t: TestApp | undefined;
afterEach(async () => {
  // A failed test must not leave the server open (close() is idempotent).
  await t?.app.close();
  t = undefined;
});

async function listening(closeGraceMs?: number) {
  t = await makeTestApp({ closeGraceMs });
  const w = await makeWorld(t.db);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  return { t, w, port };
}

async function open(port: number): Promise<Socket & { received: () => string; ended: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let data = '';
  socket.setEncoding('utf8').on('data', (d: string) => (data += d));
  socket.on('error', () => {});
  const ended = once(socket, 'close').then(() => undefined);
  return Object.assign(socket, { received: () => data, ended });
}

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

describe('app.close() on a listening server', () => {
  it('finishes the request in flight, then closes idle, unused and answered connections', async () => {
    const { t, w, port } = await listening();
    // A keep-alive connection that has had its answer, and one opened ahead of time and never used.
    const idle = await open(port);
    idle.write(`GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n`);
    await until(() => idle.received().includes('\r\n\r\n'));
    const unused = await open(port);
    // A rating whose headers have arrived and whose body is still on its way when close begins.
    const body = JSON.stringify({ score: 5, clientId: 'device00000001', idempotencyKey: 'key-close-0001' });
    const inFlight = await open(port);
    inFlight.write(
      `POST /api/codes/${w.codeA.id}/ratings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    await new Promise((r) => setTimeout(r, 50));

    const closed = t.app.close();
    inFlight.write(body);
    await closed;

    await Promise.all([idle.ended, unused.ended, inFlight.ended]);
    expect(inFlight.received()).toMatch(/^HTTP\/1\.1 201 /);
    expect((await firstRow<{ n: number }>(t.db, sql`SELECT count(*) AS n FROM ratings`))!.n).toBe(1);
    expect(unused.received()).toBe('');
  });

  it('cuts a request that never completes once the grace period is over', async () => {
    const { t, port } = await listening(100);
    const stuck = await open(port);
    stuck.write(`POST /api/codes/ABC234/ratings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sco`);
    await new Promise((r) => setTimeout(r, 50));
    await t.app.close();
    await stuck.ended;
    expect(stuck.received()).toBe('');
  });
});
