import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ComplaintBody,
  ComplaintCreated,
  ComplaintFiguresResponse,
  ReportCreated,
  ReportFiguresQuery,
  WorkOrderBody,
} from '../../../shared/api/cases.js';
import { errors } from '../../../shared/api/common.js';
import { actorOf, callerOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { CasesService } from './cases.service.js';

/** 投诉 (docs/domain.md 4.8): staff entry, the 12345 work-order push, and the figures. */
export async function complaintsRoutes(
  fastify: FastifyInstance,
  { cases, maxRequestsPerMinute }: { cases: CasesService; maxRequestsPerMinute: number },
): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'cases');

  app.post(
    '/api/cases/complaints',
    staff(
      {
        summary: '录入投诉（投诉电话、12345工单、意见箱·信箱、来信来访）：立一件投诉案件',
        body: ComplaintBody,
        response: { 201: ComplaintCreated, ...errors(400, 401, 403, 409) },
      },
      ['supervisor', 'admin', 'dept_head'],
    ),
    async (request, reply) => {
      const { id, caseNo, statusUrl } = await cases.enterComplaint(actorOf(request), request.body);
      return reply.status(201).send({ id, caseNo, statusUrl });
    },
  );

  // Per integration key (a staff member: per user), like the 办件 pushes; counted across instances on PostgreSQL.
  const rateLimit = {
    max: maxRequestsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => {
      const c = req.caller;
      return c?.kind === 'integration' ? `work-orders:${c.integration.id}` : `work-orders-staff:${c?.actor.id ?? req.ip}`;
    },
    errorResponseBuilder: () => ({
      statusCode: 429,
      error: 'IntegrationRateLimit',
      message: `调用过于频繁：每个密钥每分钟最多 ${maxRequestsPerMinute} 次，请稍后再试`,
    }),
  };

  app.post(
    '/api/work-orders',
    {
      onRequest: app.authorizeCaller(['supervisor', 'admin']),
      config: { rateLimit },
      schema: {
        tags: ['cases'],
        summary: '12345 工单（集成密钥，或督查、管理员）：新建 201；同一工单编号再推送 200，返回同一案件',
        security: [{ apiKey: [] }, { bearerAuth: [] }],
        body: WorkOrderBody,
        response: { 200: ReportCreated, 201: ReportCreated, ...errors(400, 401, 403, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const { created, caseNo, statusUrl } = await cases.openWorkOrder(callerOf(request), request.body);
      return reply.status(created ? 201 : 200).send({ caseNo, statusUrl });
    },
  );

  app.get(
    '/api/stats/complaints',
    staff({
      summary: '投诉统计：按渠道、按部门的投诉件数、办结、按时办结率、群众满意',
      querystring: ReportFiguresQuery,
      response: { 200: ComplaintFiguresResponse, ...errors(400, 401) },
    }),
    async (request) => cases.complaintFigures(actorOf(request), request.query),
  );
}
