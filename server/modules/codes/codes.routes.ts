import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import {
  BulkCreateBody,
  CodeList,
  CodeListQuery,
  CodeParam,
  CreatedCodes,
  FunnelQuery,
  FunnelSeries,
  PatchCodeBody,
  PublicCodeView,
  StaffCodeView,
} from '../../../shared/api/codes.js';
import { bearer, errors, IdParam } from '../../../shared/api/common.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { CodesService } from './codes.service.js';
import { printRoutes } from './print.routes.js';

type CodeParams = Static<typeof CodeParam>;

export async function codesRoutes(fastify: FastifyInstance, { codes }: { codes: CodesService }): Promise<void> {
  const { app } = moduleRoutes(fastify, 'codes');

  app.get(
    '/api/codes/:code',
    {
      schema: {
        tags: ['codes'],
        summary: '评议码公开信息（停用的码 active=false）',
        params: CodeParam,
        response: { 200: PublicCodeView, ...errors(400, 404) },
      },
    },
    async (request) => codes.requirePublicInfo(request.params.code),
  );

  // The landing page's scan-funnel beacon. navigator.sendBeacon posts text/plain, a Blob of any type
  // or nothing at all, so this scope takes any body and ignores it.
  await app.register(async (beacon) => {
    beacon.removeAllContentTypeParsers();
    beacon.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4096 }, (_req, _body, done) => done(null, undefined));
    beacon.post<{ Params: CodeParams }>(
      '/api/codes/:code/opened',
      {
        schema: {
          tags: ['codes'],
          summary: '评议页打开（扫码漏斗计数，供 sendBeacon 调用）',
          params: CodeParam,
          response: { 204: Type.Null({ description: '已记录' }), ...errors(404, 410, 413, 429) },
        },
        config: {
          // Generous for a hall behind one NAT address, but it keeps one client from inflating the funnel.
          rateLimit: {
            max: 120,
            timeWindow: '1 minute',
            errorResponseBuilder: () => ({ statusCode: 429, error: 'TooManyRequests', message: '请求过于频繁，请稍后再试' }),
          },
        },
      },
      async (request, reply) => {
        await codes.recordOpen(request.params.code);
        return reply.code(204).send();
      },
    );
  });

  app.get(
    '/api/codes',
    {
      onRequest: app.authorize(),
      schema: {
        tags: ['codes'],
        summary: '评议码列表与扫码漏斗（本人范围内；带 limit 时分页）',
        security: bearer,
        querystring: CodeListQuery,
        response: { 200: CodeList, ...errors(400, 401, 404) },
      },
    },
    async (request) => codes.list(actorOf(request), request.query),
  );

  app.get(
    '/api/codes/:code/funnel',
    {
      onRequest: app.authorize(),
      schema: {
        tags: ['codes'],
        summary: '单个评议码的每日扫码与评价数',
        security: bearer,
        params: CodeParam,
        querystring: FunnelQuery,
        response: { 200: FunnelSeries, ...errors(400, 401, 404) },
      },
    },
    async (request) => codes.funnelSeries(actorOf(request), request.params.code, request.query),
  );

  app.patch(
    '/api/codes/:code',
    {
      onRequest: app.authorize(['admin']),
      schema: {
        tags: ['codes'],
        summary: '停用/启用、修改位置（管理员；所属部门不可改）',
        security: bearer,
        params: CodeParam,
        body: PatchCodeBody,
        response: { 200: StaffCodeView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => codes.update(actorOf(request), request.params.code, request.body),
  );

  app.post(
    '/api/departments/:id/codes',
    {
      onRequest: app.authorize(['admin']),
      schema: {
        tags: ['codes'],
        summary: '为部门批量新建评议码（管理员）',
        security: bearer,
        params: IdParam,
        body: BulkCreateBody,
        response: { 201: CreatedCodes, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send({ codes: await codes.createBulk(actorOf(request), request.params.id, request.body) }),
  );

  await app.register(printRoutes, { codes });
}
