// Where a webhook may send: only to public addresses, unless WEBHOOK_ALLOW_PRIVATE=true. A webhook
// URL is typed by an administrator, and the server would POST to it from inside the network: to
// 127.0.0.1 (its own admin API, a database port), 10.x / 192.168.x (the hall's intranet), 169.254.169.254
// (a cloud's metadata service). Checked twice: when the URL is saved (its host, and the addresses the
// name resolves to then) and at every delivery, on the very addresses the connection is made to (the
// resolver runs inside the request's own lookup), so a name that later resolves to 127.0.0.1 (DNS
// rebinding) is refused too.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (the system resolver, as a connection would). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolveHost: ResolveHost = (hostname) =>
  new Promise((ok, fail) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? fail(err) : ok(addresses))));

/** A delivery to a private address, refused: permanent until the URL or the setting changes. */
export class AddressRefused extends Error {
  override name = 'AddressRefused';
}

/** Null for a public (global unicast) address; otherwise the range it belongs to (loopback, private…). */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  // process(): an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it is.
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : range;
}

/** The URL's host as an IP address when it is one (brackets of an IPv6 literal removed), else null. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(host) ? host : null;
}

/** Names that always mean this machine (RFC 6761), whatever a resolver says. */
const isLocalName = (hostname: string) => hostname === 'localhost' || hostname.endsWith('.localhost');

function refusal(what: string, address: string, range: string): AddressRefused {
  return new AddressRefused(
    `推送地址 ${what} 指向本机或内网地址 ${address}（${range}），不允许推送；如确需推送到内网，请由运维设置 WEBHOOK_ALLOW_PRIVATE=true`,
  );
}

/**
 * For saving a webhook: the reason its URL is refused, or null. A literal address or a local name is
 * judged as it is; another name by what it resolves to now (a name that does not resolve, or not within
 * `timeoutMs`, is accepted: every delivery checks again).
 */
export async function refusedHost(url: URL, resolve: ResolveHost, timeoutMs = 2_000): Promise<string | null> {
  const literal = literalAddress(url);
  if (literal !== null) {
    const range = nonPublicRange(literal);
    return range ? refusal(url.hostname, literal, range).message : null;
  }
  if (isLocalName(url.hostname)) return refusal(url.hostname, url.hostname, 'loopback').message;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolve(url.hostname).catch(() => [] as LookupAddress[]),
    new Promise<LookupAddress[]>((ok) => {
      timer = setTimeout(() => ok([]), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  for (const a of addresses) {
    const range = nonPublicRange(a.address);
    if (range) return refusal(url.hostname, a.address, range).message;
  }
  return null;
}

/** A `lookup` for a connection: resolves with `resolve` and fails if any address is not public. */
function guardedLookup(resolve: ResolveHost, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((all) => {
        if (!allowPrivate) {
          if (isLocalName(hostname)) throw refusal(hostname, hostname, 'loopback');
          for (const a of all) {
            const range = nonPublicRange(a.address);
            if (range) throw refusal(hostname, a.address, range);
          }
        }
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (wanted.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, ''));
  };
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  resolve: ResolveHost;
}

/** The answer's size kept at most (a robot answers a few dozen bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs a JSON body; resolves with the status and (up to 64 KiB of) the answer. Redirects are not
 * followed (a 3xx is just a status). Rejects with AddressRefused for a non-public address, with an
 * error named TimeoutError after `timeoutMs`.
 */
export function postJson(url: string, json: string, opts: PostOptions): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  if (!opts.allowPrivate) {
    // A literal address never goes through lookup.
    const literal = literalAddress(u);
    const range = literal === null ? null : nonPublicRange(literal);
    if (literal !== null && range) return Promise.reject(refusal(u.hostname, literal, range));
  }
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((ok, fail) => {
    const req = request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) },
        lookup: guardedLookup(opts.resolve, opts.allowPrivate),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES) });
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), opts.timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    req.end(json);
  });
}
