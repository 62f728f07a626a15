// Images and print material of codes: QR SVG/PNG (public, immutable), poster sheets and the SVG zip.
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CodeParam, PngQuery } from '../../../shared/api/codes.js';
import { bearer, errors, FileBytes, IdParam } from '../../../shared/api/common.js';
import { QR_PNG_SIZES, type QrPngSize } from '../../../shared/domain.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import { POSTER_CSS, POSTER_CSS_PATH } from './codes.images.js';
import type { CodePrint } from './print.js';

// A code's image never changes (its URL is printed on paper), so caches may keep it forever.
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

function sendImage(request: FastifyRequest, reply: FastifyReply, image: { body: string | Buffer; etag: string }, type: string) {
  reply
    .header('etag', image.etag)
    .header('cache-control', IMMUTABLE)
    // Public images: county portals and print tools of other origins may embed them.
    .header('cross-origin-resource-policy', 'cross-origin');
  if (etagMatches(request.headers['if-none-match'], image.etag)) return reply.code(304).send();
  return reply.type(type).send(image.body);
}

const imageResponses = {
  200: Type.String({ description: '图片' }),
  304: Type.Null({ description: '未修改（If-None-Match）' }),
  ...errors(400, 404, 429),
};

/**
 * PNGs a minute per address, for each size by what an uncached image costs a worker to draw (≈11 ms
 * at 256 px, 21 ms at 600, 80 ms at 1200, 230 ms at 2048): about 3.5 s of drawing a minute per size,
 * so a large image costs its sender as much of the limit as it costs the server.
 */
export const PNG_PER_MINUTE: Readonly<Record<QrPngSize, number>> = { 256: 300, 600: 150, 1200: 40, 2048: 15 };

const pngSize = (request: FastifyRequest) => (request.query as { size: QrPngSize }).size;

const sheetResponses = { 200: Type.String({ description: 'A4 打印页（HTML）' }), ...errors(400, 401, 404) };

export async function printRoutes(fastify: FastifyInstance, { codes }: { codes: CodePrint }): Promise<void> {
  const { app } = moduleRoutes(fastify, 'codes');

  app.get(
    '/api/codes/:code/qr.svg',
    {
      schema: { tags: ['codes'], summary: '二维码（SVG）', params: CodeParam, response: imageResponses },
    },
    async (request, reply) => sendImage(request, reply, await codes.qrSvg(request.params.code), 'image/svg+xml; charset=utf-8'),
  );

  app.get(
    '/api/codes/:code/qr.png',
    {
      schema: {
        tags: ['codes'],
        summary: `二维码（PNG，size 取 ${QR_PNG_SIZES.join('、')}，默认 600）`,
        params: CodeParam,
        querystring: PngQuery,
        response: { ...imageResponses, ...errors(503) },
      },
      config: {
        // Counted per address and size, after validation (preHandler) so that the size is known.
        rateLimit: {
          hook: 'preHandler',
          keyGenerator: (request) => `qr${pngSize(request)}:${normalizeIP(request.ip)}`,
          max: (request) => PNG_PER_MINUTE[pngSize(request)],
          timeWindow: '1 minute',
          errorResponseBuilder: (request, context) => ({
            statusCode: 429,
            error: 'TooManyRequests',
            message: `${pngSize(request)} 像素的二维码图片每分钟最多 ${context.max} 张，请稍后再试`,
          }),
        },
      },
    },
    async (request, reply) => sendImage(request, reply, await codes.qrPng(request.params.code, request.query.size), 'image/png'),
  );

  app.get(
    POSTER_CSS_PATH,
    { schema: { tags: ['codes'], summary: '海报打印样式', response: { 200: Type.String() } } },
    // Linked with ?v=<content hash>, so a new version has a new URL.
    async (_request, reply) => reply.header('cache-control', IMMUTABLE).type('text/css; charset=utf-8').send(POSTER_CSS),
  );

  // The global CSP forbids inline styles; these routes get a per-reply nonce for the sheet's <style>.
  const sheetHelmet = { enableCSPNonces: true } as const;
  const sendSheet = async (reply: FastifyReply, render: (nonce: string) => Promise<string>) => {
    const html = await render(reply.cspNonce.style);
    return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(html);
  };

  app.get(
    '/api/departments/:id/posters',
    {
      onRequest: app.authorize(),
      helmet: sheetHelmet,
      schema: {
        tags: ['codes'],
        summary: '部门评议码海报（A4 打印页，仅启用的码）',
        security: bearer,
        params: IdParam,
        response: sheetResponses,
      },
    },
    async (request, reply) =>
      sendSheet(reply, (styleNonce) => codes.departmentPosters(actorOf(request), request.params.id, { styleNonce })),
  );

  app.get(
    '/api/org-units/:id/posters',
    {
      onRequest: app.authorize(['admin', 'supervisor']),
      helmet: sheetHelmet,
      schema: {
        tags: ['codes'],
        summary: '县/区全部评议码海报（A4 打印页，仅启用的码）',
        security: bearer,
        params: IdParam,
        response: { ...sheetResponses, ...errors(403) },
      },
    },
    async (request, reply) => sendSheet(reply, (styleNonce) => codes.orgUnitPosters(actorOf(request), request.params.id, { styleNonce })),
  );

  app.get(
    '/api/departments/:id/codes.zip',
    {
      onRequest: app.authorize(),
      schema: {
        tags: ['codes'],
        summary: '部门评议码二维码打包下载（SVG + 清单 CSV）',
        security: bearer,
        params: IdParam,
        response: { 200: FileBytes('ZIP'), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { filename, body } = await codes.departmentSvgZip(actorOf(request), request.params.id);
      return reply
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="codes.zip"; filename*=UTF-8''${encodeURIComponent(filename)}`)
        .type('application/zip')
        .send(body);
    },
  );
}
