// Connections, not requests: what keeps a few thousand slow or idle connections from one address
// from holding every file descriptor of the process (issue 12, finding 1). The timeouts that cut a
// slow connection are Node's own (Fastify options in app.ts, `serverTimeouts`); here the caps on how
// many may be open at once.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { NetLimits } from '../config.js';
import { throttledWarning } from '../lib/logger.js';

/** Node's http server options for the timeouts of config.net, and Fastify's own three. */
export function serverTimeouts(net: NetLimits) {
  return {
    http: {
      headersTimeout: net.headersTimeoutMs,
      requestTimeout: net.requestTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default, so that a 10 s timeout
      // could take 40 s to cut a connection): a quarter of the shorter one, within 0.1–1 s.
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(net.headersTimeoutMs / 4))),
    },
    // Fastify sets these on the server after creating it: its default requestTimeout 0 would turn
    // Node's off, which is how a body trickling one byte every 5 s was never cut.
    requestTimeout: net.requestTimeoutMs,
    keepAliveTimeout: net.keepAliveTimeoutMs,
    connectionTimeout: net.idleTimeoutMs,
  };
}

/** Whether an address (IPv4, IPv6 or IPv4-mapped IPv6, as sockets report it) is in one of the ranges. */
export function addressMatcher(list: readonly string[]): (address: string) => boolean {
  const ranges = list.map((entry): [ipaddr.IPv4 | ipaddr.IPv6, number] => {
    if (entry.includes('/')) return ipaddr.parseCIDR(entry);
    const one = ipaddr.process(entry);
    return [one, one.kind() === 'ipv4' ? 32 : 128];
  });
  return (address) => {
    if (!ipaddr.isValid(address)) return false;
    const a = ipaddr.process(address);
    return ranges.some(([range, bits]) => a.kind() === range.kind() && a.match(range, bits));
  };
}

export interface ConnectionCaps {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** TRUST_PROXY: every citizen comes through these, so they are never capped per address. */
  trusted: readonly string[] | false;
}

/**
 * Caps open connections: in all (Node's maxConnections), and per client address, counted on the
 * server's `connection` event; a connection beyond the cap is closed before it is read.
 */
export function registerConnectionCaps(app: FastifyInstance, caps: ConnectionCaps): void {
  if (caps.maxConnections > 0) app.server.maxConnections = caps.maxConnections;
  const max = caps.maxConnectionsPerAddress;
  if (max <= 0) return;
  const trusted = caps.trusted ? addressMatcher(caps.trusted) : () => false;
  const open = new Map<string, number>();
  // One line per 10 s, not one per connection.
  const warnRefused = throttledWarning();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || trusted(address)) return;
    const n = open.get(address) ?? 0;
    if (n >= max) {
      socket.destroy();
      warnRefused((refused) =>
        app.log.warn({ address, refused, maxConnectionsPerAddress: max }, 'too many connections from one address: closed'),
      );
      return;
    }
    open.set(address, n + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
