import type { FastifyInstance } from 'fastify';
import { errors } from '../../../shared/api/common.js';
import {
  HeldRecordsResponse,
  OutboxStatusResponse,
  ReconcileQuery,
  ReconcileResponse,
  ReportFileResponse,
  ReportQuery,
  ResendBody,
  ResendResponse,
} from '../../../shared/api/reporting.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import { contentDisposition } from '../stats/stats.routes.js';
import type { ReportFile, ReportingService } from './reporting.service.js';

const ROLES = ['admin', 'supervisor'] as const;

export async function reportingRoutes(fastify: FastifyInstance, { reporting }: { reporting: ReportingService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'reporting');

  function download(path: string, summary: string, contentType: string, run: typeof reporting.jsonl) {
    app.get(
      path,
      staff(
        {
          summary,
          querystring: ReportQuery,
          produces: [contentType.split(';')[0]!],
          response: { 200: ReportFileResponse, ...errors(400, 401, 403, 404) },
        },
        ROLES,
      ),
      async (request, reply) => {
        const file: ReportFile = await run(actorOf(request), request.query);
        return reply
          .header('content-type', contentType)
          .header('content-disposition', contentDisposition(file.asciiFilename, file.filename))
          .header('x-held-records', String(file.held))
          .header('cache-control', 'no-store')
          .send(file.stream);
      },
    );
  }

  download(
    '/api/reports/records.jsonl',
    '上报记录（JSON Lines，一行一条：评价记录，再是当月办结的差评整改结果；暂缓上报的不在内，条数见 X-Held-Records）',
    'application/x-ndjson; charset=utf-8',
    (a, q) => reporting.jsonl(a, q),
  );
  download(
    '/api/reports/records.xlsx',
    '上报记录（Excel：评价记录、整改结果、暂缓上报）',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    (a, q) => reporting.xlsx(a, q),
  );

  app.get(
    '/api/reports/held',
    staff(
      {
        summary: '暂缓上报的记录：条数、各原因条数、前 50 条',
        querystring: ReportQuery,
        response: { 200: HeldRecordsResponse, ...errors(400, 401, 403, 404) },
      },
      ROLES,
    ),
    async (request) => await reporting.held(actorOf(request), request.query),
  );

  app.get(
    '/api/reports/outbox',
    staff(
      {
        summary: '数据上报运行情况：积压、每天推送与确认、接收方最近的错误、暂缓记录及原因、死信（管理员）',
        response: { 200: OutboxStatusResponse, ...errors(401, 403) },
      },
      ['admin'],
    ),
    async (request) => await reporting.outboxStatus(actorOf(request)),
  );

  app.post(
    '/api/reports/outbox/resend',
    staff(
      {
        summary: '重发死信（全部，或指定 recordIds），记录内容不变（管理员）',
        body: ResendBody,
        response: { 200: ResendResponse, ...errors(400, 401, 403) },
      },
      ['admin'],
    ),
    async (request) => await reporting.resend(actorOf(request), request.body),
  );

  app.get(
    '/api/reports/reconcile',
    staff(
      {
        summary: '每日对账：存储的评价、应上报的、接收方已确认的及其余去向（默认近 31 天，管理员）',
        querystring: ReconcileQuery,
        response: { 200: ReconcileResponse, ...errors(400, 401, 403) },
      },
      ['admin'],
    ),
    async (request) => await reporting.reconcile(actorOf(request), request.query),
  );
}
