// A webhook may not point inside the network (loopback, RFC 1918, link-local and the cloud metadata
// address, CGNAT, unique-local IPv6, unspecified) unless WEBHOOK_ALLOW_PRIVATE=true: refused when the
// URL is saved, and again at delivery on the addresses the connection is made to (DNS rebinding).
// Host names resolve through a fixed table given to the app instead of DNS (this machine may have
// none); the receiver is a real HTTP server on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import type { ResolveHost } from '../../server/modules/notifications/outbound.js';
import { bearerFor, writeSql } from '../helpers/app.js';
import { useTestWorld } from '../helpers/factories.js';
import { badCase } from './helpers.js';

const names = new Map<string, string>();
const resolveHost: ResolveHost = async (hostname) => {
  const address = names.get(hostname);
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

let receiver: { server: Server; port: number; bodies: string[] } | undefined;
async function listen(): Promise<{ port: number; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      bodies.push(raw);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  receiver = { server, port: (server.address() as AddressInfo).port, bodies };
  return receiver;
}
afterEach(async () => {
  names.clear();
  const r = receiver;
  receiver = undefined;
  if (r) await new Promise<void>((ok) => r.server.close(() => ok()));
});

const deliveries = (t: ReturnType<typeof useTestWorld>['t']) =>
  rows<{ status: string; attempts: number; last_error: string | null; next_attempt_at: number | null }>(
    t.db,
    sql`SELECT status, attempts, last_error, next_attempt_at FROM notification_deliveries ORDER BY id`,
  );

describe('webhook addresses (WEBHOOK_ALLOW_PRIVATE unset)', () => {
  const { t, w } = useTestWorld({ resolveHost });
  const save = (url: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: bearerFor(t.app, w.admin),
      payload: { name: '群', kind: 'wecom', url, events: ['bad_rating'] },
    });

  it('refuses, when saving, a URL whose host is or resolves to a loopback, private, link-local, CGNAT, unique-local or unspecified address', async () => {
    names.set('intranet.example.com', '10.1.2.3');
    names.set('metadata.example.com', '169.254.169.254');
    names.set('v6.example.com', 'fd12:3456::1');
    names.set('hooks.example.com', '93.184.216.34');
    const refused = [
      'http://127.0.0.1:8080/hook',
      'http://127.1/hook',
      'http://2130706433/hook',
      'http://0x7f.0.0.1/hook',
      'http://localhost:3000/api/settings',
      'http://app.localhost/hook',
      'http://10.0.0.5/hook',
      'http://172.16.8.1/hook',
      'https://192.168.1.10/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/hook',
      'http://0.0.0.0:3000/hook',
      'http://[::1]:3000/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::]/hook',
      'https://intranet.example.com/hook',
      'https://metadata.example.com/hook',
      'https://v6.example.com/hook',
    ];
    for (const url of refused) {
      const res = await save(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error, url).toBe('PrivateWebhookAddress');
      expect(res.json().message, url).toMatch(/本机或内网地址.*WEBHOOK_ALLOW_PRIVATE/);
    }
    // A public name, and one that does not resolve now (its deliveries are checked when they go out).
    const ok = await save('https://hooks.example.com/hook');
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await save('https://not-yet.example.com/hook')).statusCode).toBe(201);

    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${ok.json().id}`,
      headers: bearerFor(t.app, w.admin),
      payload: { url: 'http://192.168.0.1/hook' },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error).toBe('PrivateWebhookAddress');
    const list = await t.app.inject({ url: '/api/webhooks', headers: bearerFor(t.app, w.admin) });
    expect(
      list
        .json()
        .webhooks.map((h: { url: string }) => h.url)
        .sort(),
    ).toEqual(['https://hooks.example.com/hook', 'https://not-yet.example.com/hook']);
  });

  it('a name that resolves to 127.0.0.1 by the time of delivery (DNS rebinding) is refused: the delivery fails at once, nothing is sent', async () => {
    const r = await listen();
    names.set('rebind.example.com', '93.184.216.34');
    expect((await save(`http://rebind.example.com:${r.port}/hook`)).statusCode).toBe(201);
    names.set('rebind.example.com', '127.0.0.1');
    await badCase(t, w);
    expect(await t.services.notifications.deliverDue()).toEqual({ attempted: 1, delivered: 0, retrying: 0, failed: 1 });
    const [d] = await deliveries(t);
    expect(d).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect(d!.last_error).toContain('127.0.0.1');
    expect(r.bodies).toEqual([]);
  });

  it('a webhook saved before the check, with a literal private address, is refused at delivery', async () => {
    const r = await listen();
    names.set('hooks.example.com', '93.184.216.34');
    const id = (await save('https://hooks.example.com/hook')).json().id as number;
    await writeSql(t.db, sql`UPDATE webhooks SET url = ${`http://127.0.0.1:${r.port}/hook`} WHERE id = ${id}`);
    t.services.notifications.forgetWebhooks();
    await badCase(t, w);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 1, failed: 1 });
    expect((await deliveries(t))[0]!.last_error).toMatch(/本机或内网地址 127\.0\.0\.1/);
    expect(r.bodies).toEqual([]);
  });
});

describe('webhook addresses with WEBHOOK_ALLOW_PRIVATE=true', () => {
  const { t, w } = useTestWorld({ resolveHost, env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });

  it('a loopback address may be saved, and a name resolving to 127.0.0.1 is delivered to, on the address resolved', async () => {
    const r = await listen();
    names.set('intranet.example.com', '127.0.0.1');
    for (const url of [`http://127.0.0.1:${r.port}/hook`, `http://intranet.example.com:${r.port}/hook`]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: bearerFor(t.app, w.admin),
        payload: { name: url, kind: 'wecom', url, events: ['bad_rating'] },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await badCase(t, w);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 2, delivered: 2 });
    expect(r.bodies).toHaveLength(2);
  });
});
