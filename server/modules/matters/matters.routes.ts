import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../../shared/api/common.js';
import { MatterList, MatterListQuery, MatterView, ProjectNoParam, PutMatterBody, RatingLinkView } from '../../../shared/api/matters.js';
import type { Role } from '../../../shared/domain.js';
import { actorOf, callerOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { MattersService } from './matters.service.js';

/** The routes business systems call take an integration key or a staff token (docs/api.md §11). */
const security: Array<Record<string, string[]>> = [{ apiKey: [] }, { bearerAuth: [] }];

export async function mattersRoutes(
  fastify: FastifyInstance,
  { matters, maxRequestsPerMinute }: { matters: MattersService; maxRequestsPerMinute: number },
): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'matters');

  // Per integration key (a staff member: per user), per route; counted across instances on PostgreSQL.
  const rateLimit = {
    max: maxRequestsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => {
      const c = req.caller;
      return c?.kind === 'integration' ? `integration:${c.integration.id}` : `staff:${c?.actor.id ?? req.ip}`;
    },
    errorResponseBuilder: () => ({
      statusCode: 429,
      error: 'IntegrationRateLimit',
      message: `调用过于频繁：每个密钥每分钟最多 ${maxRequestsPerMinute} 次，请稍后再试`,
    }),
  };
  const callers = (roles: readonly Role[]) => ({ onRequest: app.authorizeCaller(roles), config: { rateLimit } });

  app.put(
    '/api/matters/:projectNo',
    {
      ...callers(['admin']),
      schema: {
        tags: ['matters'],
        summary: '推送办件（集成密钥，或管理员）：新建 201、更新 200；同样的推送再来一次不改变任何东西',
        security,
        params: ProjectNoParam,
        body: PutMatterBody,
        response: { 200: MatterView, 201: MatterView, ...errors(400, 401, 403, 404, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const { created, matter } = await matters.put(callerOf(request), request.params.projectNo, request.body);
      return reply.status(created ? 201 : 200).send(matter);
    },
  );

  app.get(
    '/api/matters/:projectNo',
    {
      ...callers(['admin', 'supervisor', 'dept_head']),
      schema: {
        tags: ['matters'],
        summary: '办件及其评价（集成密钥，或范围内的工作人员）',
        security,
        params: ProjectNoParam,
        response: { 200: MatterView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => await matters.get(callerOf(request), request.params.projectNo),
  );

  app.post(
    '/api/matters/:projectNo/rating-link',
    {
      ...callers(['admin', 'supervisor']),
      schema: {
        tags: ['matters'],
        summary: '已办结办件的一次性评价链接（有效期内再次请求返回同一链接），附二维码和短信内容',
        security,
        params: ProjectNoParam,
        response: { 200: RatingLinkView, ...errors(400, 401, 403, 404, 409, 410, 429) },
      },
    },
    async (request) => await matters.ratingLink(callerOf(request), request.params.projectNo),
  );

  app.post(
    '/api/matters/:projectNo/report-link',
    {
      ...callers(['admin', 'supervisor']),
      schema: {
        tags: ['matters'],
        summary: '不予受理办件的办不成事反映链接（有效期内再次请求返回同一链接），附二维码和短信内容',
        security,
        params: ProjectNoParam,
        response: { 200: RatingLinkView, ...errors(400, 401, 403, 404, 409, 410, 429) },
      },
    },
    async (request) => await matters.reportLink(callerOf(request), request.params.projectNo),
  );

  app.get(
    '/api/matters',
    staff({
      summary: '办件列表（范围内，最新在前；可按部门、状态、办结日期筛选）',
      querystring: MatterListQuery,
      response: { 200: MatterList, ...errors(400, 401, 404) },
    }),
    async (request) => await matters.list(actorOf(request), request.query),
  );
}
