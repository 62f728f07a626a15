// Issue 12, finding 1: slow connections took the server down. With a real listening server and real
// sockets (bound to their own loopback source addresses; Linux routes all of 127/8 to lo): a request
// that trickles its headers or its body, or a connection that never sends a byte, is cut by the
// server while other clients' ratings are answered; one address cannot hold more than
// MAX_CONNECTIONS_PER_ADDRESS connections, a TRUST_PROXY address (every citizen behind it) can.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addressMatcher } from '../../server/plugins/connections.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { makeWorld } from '../helpers/factories.js';

const apps: TestApp[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const t of apps.splice(0)) await t.close();
});

async function listening(env: Record<string, string>) {
  const t = await makeTestApp({ env });
  apps.push(t);
  const w = await makeWorld(t.db);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return { t, w, port: address.port };
}

interface Outcome {
  /** What the server sent before the connection ended. */
  received: string;
  /** Bytes this client had written by then. */
  sent: number;
}

/**
 * A client from `from` that writes `head`, then one byte of `drip` every 100 ms for as long as the
 * connection lives. It never ends the connection itself: it resolves when the server has.
 */
function slowClient(port: number, from: string, head: string | null, drip: string | null): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    sockets.push(socket);
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const write = (s: string) => {
      if (socket.writable) {
        socket.write(s);
        sent += Buffer.byteLength(s);
      }
    };
    socket.on('connect', () => {
      if (head) write(head);
      if (drip) timer = setInterval(() => write(drip), 100);
    });
    socket.on('data', (d) => (received += String(d)));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, sent });
    });
  });
}

/** One GET on a fresh connection from `from`: the status line, or null when the server closed it unanswered. */
function requestFrom(port: number, from: string, path: string): Promise<{ status: number | null; socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    sockets.push(socket);
    let received = '';
    const done = () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve({ status: m ? Number(m[1]) : null, socket });
    };
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`));
    socket.on('data', (d) => {
      received += String(d);
      if (received.includes('\r\n\r\n')) done();
    });
    socket.on('error', () => {});
    socket.on('close', done);
  });
}

const ratingBody = (n: number) => ({ score: 5, clientId: `client-net-${n}`, idempotencyKey: `key-net-000${n}` });

describe('slow and piled-up connections', () => {
  it('cuts slow headers, a slow body and a silent connection within their timeouts while another client rates', async () => {
    const { w, port } = await listening({ HEADERS_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1500' });
    const code = w.codeA.id;
    const silent = slowClient(port, '127.0.0.11', null, null);
    const slowHeaders = slowClient(port, '127.0.0.12', `POST /api/codes/${code}/ratings HTTP/1.1\r\nHost: test\r\nX-Slow: `, 'a');
    const slowBody = slowClient(
      port,
      '127.0.0.13',
      `POST /api/codes/${code}/ratings HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 16000\r\n\r\n{`,
      ' ',
    );

    // Meanwhile another citizen rates, on a connection of its own.
    const res = await fetch(`http://127.0.0.1:${port}/api/codes/${code}/ratings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ratingBody(1)),
    });
    expect(res.status).toBe(201);

    // Each slow connection is answered 408 and closed by the server while its client was still sending
    // (at 10 bytes a second, the 16 000-byte body would take 27 minutes).
    for (const [name, outcome] of Object.entries({ silent, slowHeaders, slowBody })) {
      expect((await outcome).received, name).toMatch(/^HTTP\/1\.1 408 /);
    }
    expect((await slowBody).sent).toBeLessThan(16_000);
  }, 20_000);

  it('closes a keep-alive connection left idle after its answer (KEEP_ALIVE_TIMEOUT_MS)', async () => {
    const { w, port } = await listening({ KEEP_ALIVE_TIMEOUT_MS: '300' });
    const { status, socket } = await requestFrom(port, '127.0.0.14', `/api/codes/${w.codeA.id}`);
    expect(status).toBe(200);
    // The server ends it; this client never would (the test's own timeout is the bound).
    await new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
  }, 20_000);

  it('closes connections from one address beyond MAX_CONNECTIONS_PER_ADDRESS, never from a TRUST_PROXY address', async () => {
    const { w, port } = await listening({ MAX_CONNECTIONS_PER_ADDRESS: '3', TRUST_PROXY: '127.0.0.21' });
    const path = `/api/codes/${w.codeA.id}`;
    // Five at once from one client address: three are answered, two closed unanswered. The three
    // answered stay open (keep-alive) and keep counting.
    const direct = await Promise.all([1, 2, 3, 4, 5].map(() => requestFrom(port, '127.0.0.20', path)));
    expect(direct.map((r) => r.status).sort()).toEqual([200, 200, 200, null, null]);
    // The proxy's address is never capped: all its connections are answered, beside the three.
    const proxied = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => requestFrom(port, '127.0.0.21', path)));
    expect(proxied.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    // Another address has its own count.
    expect((await requestFrom(port, '127.0.0.22', path)).status).toBe(200);
    // Once the first address's connections close, it may connect again.
    for (const r of direct) r.socket.destroy();
    await expect.poll(async () => (await requestFrom(port, '127.0.0.20', path)).status, { timeout: 5_000 }).toBe(200);
  }, 20_000);
});

describe('TRUST_PROXY addresses as sockets report them', () => {
  it('matches addresses, CIDRs and IPv4-mapped IPv6 addresses, nothing else', () => {
    const trusted = addressMatcher(['10.0.0.2', '192.168.8.0/24', 'fd00::/8']);
    for (const a of ['10.0.0.2', '::ffff:10.0.0.2', '192.168.8.200', '::ffff:192.168.8.1', 'fd00::1']) expect(trusted(a), a).toBe(true);
    for (const a of ['10.0.0.3', '192.168.9.1', '::1', 'fe80::1', '', 'unix']) expect(trusted(a), a).toBe(false);
  });
});
