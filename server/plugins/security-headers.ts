// Security headers (CSP, HSTS, nosniff, frame and referrer policies…) from helmet on every response.
// @fastify/helmet builds helmet's middleware anew for each request (~5 % of the rating route's CPU in
// bench/); for routes without their own helmet options the headers never change, so they are computed
// once at start and set as they are. Routes with options (the poster sheets' CSP nonces) still go
// through @fastify/helmet.
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

export const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
  // The QR images are embedded by other origins' printed material tools; everything else stays same-origin.
  crossOriginResourcePolicy: { policy: 'same-site' },
} satisfies HelmetOptions;

/** The headers helmet sets for these options, as a plain map (lower-case names). */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  // Not global: it only serves routes that declare `helmet: {…}` (and the reply.cspNonce decorator).
  await app.register(fastifyHelmet, { ...HELMET_OPTIONS, global: false });
  const headers = helmetHeaders(HELMET_OPTIONS);
  app.addHook('onRequest', (request, reply, done) => {
    // @fastify/helmet moves a route's `helmet` option into its config.
    if ((request.routeOptions.config as { helmet?: unknown } | undefined)?.helmet === undefined) reply.headers(headers);
    done();
  });
}
