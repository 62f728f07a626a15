import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CodeParam } from '../../../shared/api/codes.js';
import { errors, IdParam } from '../../../shared/api/common.js';
import { KioskCreated, KioskInfo, KioskList, KioskRatingBody, KioskTokenParam } from '../../../shared/api/kiosks.js';
import { MatterRatingCreated } from '../../../shared/api/ratings.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { KioskEvent } from './kiosk-feed.js';
import type { KioskState, KiosksService } from './kiosks.service.js';

const ADMIN = ['admin'] as const;

/**
 * A stream that has sent nothing for this long may have been dropped by a proxy or NAT on the way:
 * a comment line every 15 s keeps every hop's idle timer (nginx's proxy_read_timeout is 60 s) alive.
 */
const HEARTBEAT_MS = 15_000;
/**
 * The stream's own socket timeout, in place of IDLE_TIMEOUT_MS (which may be set below the heartbeat
 * against slow clients): the heartbeats keep it from firing while the tablet is connected.
 */
const STREAM_SOCKET_TIMEOUT_MS = 4 * HEARTBEAT_MS;
/** A stream ends after this long and the tablet reconnects at once (EventSource does): a restarted or added instance gets its share. */
const STREAM_MAX_MS = 30 * 60_000;
/** How long the tablet waits before reconnecting (the SSE `retry` field). */
const RECONNECT_MS = 2_000;

/** One server-sent event (an event name and one line of JSON). */
function frame(event: KioskEvent): string {
  if (event.type === 'matter') return `event: matter\ndata: ${JSON.stringify(event.matter)}\n\n`;
  if (event.type === 'cleared') return `event: cleared\ndata: ${JSON.stringify({ projectNo: event.projectNo })}\n\n`;
  return `event: closed\ndata: ${JSON.stringify({ reason: event.reason })}\n\n`;
}

const PAGE_STATUS: Record<KioskState, number> = { ok: 200, unknown: 401, revoked: 401, disabled: 410 };

export async function kiosksRoutes(
  fastify: FastifyInstance,
  { kiosks, clientDir }: { kiosks: KiosksService; clientDir: string },
): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'kiosks');

  app.post(
    '/api/codes/:code/kiosk',
    staff(
      {
        summary: '为窗口开通评价器（管理员）：返回平板打开的地址（含其凭据，只显示这一次）',
        params: CodeParam,
        response: { 201: KioskCreated, ...errors(400, 401, 403, 404, 409) },
      },
      ADMIN,
    ),
    async (request, reply) => reply.status(201).send(await kiosks.provision(actorOf(request), request.params.code)),
  );

  app.get(
    '/api/codes/:code/kiosks',
    staff({ summary: '窗口的评价器（含已撤销的）', params: CodeParam, response: { 200: KioskList, ...errors(400, 401, 403, 404) } }, ADMIN),
    async (request) => kiosks.list(actorOf(request), request.params.code),
  );

  app.delete(
    '/api/kiosks/:id',
    staff(
      {
        summary: '撤销评价器：其页面、事件流与评价立即答复 401',
        params: IdParam,
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
      ADMIN,
    ),
    async (request, reply) => {
      await kiosks.revoke(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/k/:token',
    {
      schema: {
        tags: ['kiosks'],
        summary: '评价器：所在窗口与可选理由（凭地址中的令牌，无需登录）',
        params: KioskTokenParam,
        response: { 200: KioskInfo, ...errors(401, 410) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send(await kiosks.info(await kiosks.authenticate(request.params.token))),
  );

  // Open streams, for the one heartbeat timer and for ending them all when the server closes.
  const open = new Set<{ write(chunk: string): void; end(): void }>();
  let heartbeat: NodeJS.Timeout | null = null;
  const beat = () => {
    for (const s of open) s.write(': \n\n');
  };

  app.get(
    '/api/k/:token/events',
    {
      // Written straight to the socket (below): nothing is compressed or buffered, every event leaves at once.
      compress: false,
      logLevel: 'warn',
      schema: {
        tags: ['kiosks'],
        summary: '评价器事件流（text/event-stream）：本窗口刚办结的办件（matter）、已评或过时（cleared）、评价器被撤销（closed）',
        params: KioskTokenParam,
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errors(401, 410) },
      },
    },
    async (request, reply) => {
      const kiosk = await kiosks.authenticate(request.params.token);
      const info = await kiosks.info(kiosk);
      reply.hijack();
      const res = reply.raw;
      const socket = request.raw.socket;
      const idleTimeout = fastify.server.timeout;
      socket.setTimeout(STREAM_SOCKET_TIMEOUT_MS);
      // The headers other hooks set on the reply (security headers) go out too.
      const headers: Record<string, string | number | string[]> = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store, no-transform',
        // nginx: pass each event on as it comes instead of buffering the answer.
        'x-accel-buffering': 'no',
      });
      let ended = false;
      const stream = {
        write: (chunk: string) => {
          if (!ended) res.write(chunk);
        },
        end: () => {
          if (ended) return;
          ended = true;
          cleanUp();
          res.end();
        },
      };
      const unsubscribe = kiosks.subscribe(kiosk, { send: (event) => stream.write(frame(event)), end: stream.end });
      const lifetime = setTimeout(stream.end, STREAM_MAX_MS);
      lifetime.unref();
      function cleanUp() {
        ended = true;
        unsubscribe();
        clearTimeout(lifetime);
        open.delete(stream);
        if (open.size === 0 && heartbeat) {
          clearInterval(heartbeat);
          heartbeat = null;
        }
        // The connection may serve other requests after the stream: the server's own idle timeout again.
        if (!socket.destroyed) socket.setTimeout(idleTimeout);
      }
      res.on('close', cleanUp);
      open.add(stream);
      if (!heartbeat) {
        heartbeat = setInterval(beat, HEARTBEAT_MS);
        heartbeat.unref();
      }
      stream.write(`retry: ${RECONNECT_MS}\n\n`);
      stream.write(`event: kiosk\ndata: ${JSON.stringify(info)}\n\n`);
    },
  );

  // Before the server waits for its connections to end: a stream never ends by itself.
  fastify.addHook('preClose', (done) => {
    kiosks.closeStreams();
    for (const s of [...open]) s.end();
    done();
  });

  app.post(
    '/api/k/:token/ratings',
    {
      logLevel: 'warn',
      compress: false,
      schema: {
        tags: ['kiosks'],
        summary: '在评价器上评价本窗口刚办结的办件（渠道 kiosk）',
        params: KioskTokenParam,
        body: KioskRatingBody,
        response: { 200: MatterRatingCreated, 201: MatterRatingCreated, ...errors(400, 401, 404, 409, 410, 413, 415, 429, 503) },
      },
      config: {
        // One tablet, one window: a few ratings a minute at most. Generous, per tablet.
        rateLimit: {
          max: 60,
          timeWindow: 60_000,
          // The token's digest, not the token: on PostgreSQL the counters are rows of rate_limit_hits.
          keyGenerator: (req: { params: unknown }) =>
            `kiosk:${createHash('sha256')
              .update(String((req.params as { token?: string }).token))
              .digest('base64url')}`,
          errorResponseBuilder: () => ({ statusCode: 429, error: 'TooManyRequests', message: '提交过于频繁，请稍后再试' }),
        },
      },
    },
    async (request, reply) => {
      const result = await kiosks.rate(request.params.token, request.body, request.ip, request.headers['user-agent'] ?? '');
      return reply
        .status(result.created ? 201 : 200)
        .send({ id: result.id, assessNumber: result.assessNumber ?? 1, followUp: result.followUp });
    },
  );

  // The tablet's page (client/kiosk): the same built page whatever the state, answered with the state's
  // status; it asks GET /api/k/{token} and shows the idle screen, or why this address no longer works.
  // Read on each visit (a tablet loads it once a day or so), never answered 304: a 401 must say why.
  const pageFile = join(clientDir, 'kiosk', 'index.html');
  app.get('/k/:token', { schema: { hide: true, params: Type.Object({ token: Type.String() }) } }, async (request, reply) => {
    const html = await readFile(pageFile, 'utf8').catch(() => null);
    if (html === null) return reply.status(503).type('text/plain; charset=utf-8').send('前端尚未构建：请运行 npm run build');
    const state = await kiosks.state(request.params.token);
    return reply.status(PAGE_STATUS[state]).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });
}
