import type { FastifyInstance } from 'fastify';
import {
  AddDepartmentBody,
  AssignBody,
  AssigneesResponse,
  CaseDetailSchema,
  CaseListQuery,
  CaseListResponse,
  CaseLookupBody,
  CaseLookupResponse,
  DrawBody,
  DrawListResponse,
  DrawResponse,
  ObservationBody,
  ObservationCreated,
  ObservationFigures,
  ObservationList,
  ObservationOptions,
  PartBody,
  PhoneResponse,
  PublicStatusSchema,
  RatingHistorySchema,
  ReportBody,
  ReportCreated,
  ReportFiguresQuery,
  ReportFiguresResponse,
  TokenParam,
  TransitionBody,
} from '../../../shared/api/cases.js';
import { errors, IdParam } from '../../../shared/api/common.js';
import type { CaseStatus } from '../../../shared/domain.js';
import { NotFound } from '../../errors.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { CasesService } from './cases.service.js';

const STAFF = ['admin', 'supervisor', 'dept_head'] as const;
/** Who files observation reports: 特邀监督员, and staff walking the process (一把手走流程). */
const OBSERVERS = ['observer', 'admin', 'supervisor', 'dept_head'] as const;

export async function casesRoutes(fastify: FastifyInstance, { cases }: { cases: CasesService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'cases');

  app.get(
    '/api/cases',
    staff({
      summary: '案件列表（本人范围内；sort=queue 时超期在前，再按期限）',
      querystring: CaseListQuery,
      response: { 200: CaseListResponse, ...errors(400, 401) },
    }),
    async (request) => {
      const { status, ...rest } = request.query;
      return await cases.list(actorOf(request), {
        ...rest,
        status: status ? ([...new Set(status.split(','))] as CaseStatus[]) : undefined,
      });
    },
  );

  app.get(
    '/api/cases/:id',
    staff({
      summary: '案件详情：评价、时间线（最早在前）与可执行的操作',
      params: IdParam,
      response: { 200: CaseDetailSchema, ...errors(400, 401, 404) },
    }),
    async (request) => cases.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/cases/:id/transitions',
    staff(
      {
        summary: '案件流转（回访、整改、申诉复核、反馈、办结）',
        description: '不允许的流转返回 409 且不做任何改动；角色不允许返回 403；缺少字段返回 400。',
        params: IdParam,
        body: TransitionBody,
        response: { 200: CaseDetailSchema, ...errors(400, 401, 403, 404, 409) },
      },
      STAFF,
    ),
    async (request) => cases.transition(actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/departments',
    staff(
      {
        summary: '不好办：增加协办部门（承办部门负责人、督查）',
        params: IdParam,
        body: AddDepartmentBody,
        response: { 200: CaseDetailSchema, ...errors(400, 401, 403, 404, 409) },
      },
      ['supervisor', 'dept_head'],
    ),
    async (request) => cases.addDepartment(actorOf(request), request.params.id, request.body.departmentId),
  );

  app.post(
    '/api/cases/:id/parts',
    staff(
      {
        summary: '不好办：协办部门记录本部门的办理情况（该部门负责人、督查）',
        params: IdParam,
        body: PartBody,
        response: { 200: CaseDetailSchema, ...errors(400, 401, 403, 404, 409) },
      },
      ['supervisor', 'dept_head'],
    ),
    async (request) => cases.recordPart(actorOf(request), request.params.id, request.body.departmentId, request.body.note),
  );

  app.get(
    '/api/stats/cannot-handle',
    staff({
      summary: '办不成事统计：反映件数、办结、解决率，按部门与事项',
      querystring: ReportFiguresQuery,
      response: { 200: ReportFiguresResponse, ...errors(400, 401) },
    }),
    async (request) => cases.reportFigureTables(actorOf(request), request.query),
  );

  app.post(
    '/api/public/reports',
    {
      config: {
        // Per network, like the rating routes (a hall shares one Wi-Fi address), on its own counter.
        rateLimit: {
          max: () => cases.networkPerMinute(),
          timeWindow: 60_000,
          keyGenerator: (req: { ip: string }) => `report:${req.ip}`,
          errorResponseBuilder: () => ({ statusCode: 429, error: 'NetworkLimit', message: '当前网络提交过于频繁，请稍后再试' }),
        },
      },
      schema: {
        tags: ['citizen'],
        summary: '办不成事：群众反映（无需登录）',
        description:
          '在评议码所属部门立一件“办不成事”案件，返回受理编号和进度查询页。手机号可选，须同时 consent: true。' +
          '也可以不给 code 而给 matterToken（不予受理办件的反映链接 /e/{token}）：案件立在办件的部门和窗口，绑定办件编号，每件办件只能反映一次（再次 409）。',
        body: ReportBody,
        response: { 201: ReportCreated, ...errors(400, 404, 409, 410, 413, 415, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(await cases.openReport(request.body)),
  );

  app.post(
    '/api/cases/:id/assign',
    staff(
      {
        summary: '指派 / 改派经办人（督查、管理员）',
        params: IdParam,
        body: AssignBody,
        response: { 200: CaseDetailSchema, ...errors(400, 401, 403, 404, 409) },
      },
      ['supervisor', 'admin'],
    ),
    async (request) => cases.assign(actorOf(request), request.params.id, request.body.officerId),
  );

  app.get(
    '/api/cases/:id/assignees',
    staff({ summary: '可指派的经办人', params: IdParam, response: { 200: AssigneesResponse, ...errors(400, 401, 403, 404) } }, [
      'supervisor',
      'admin',
    ]),
    async (request) => ({ users: await cases.assignees(actorOf(request), request.params.id) }),
  );

  app.get(
    '/api/cases/:id/phone',
    staff({
      summary: '查看完整手机号（督查或本案经办人；每次查看均记入审计日志）',
      params: IdParam,
      response: { 200: PhoneResponse, ...errors(400, 401, 403, 404, 410) },
    }),
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return cases.viewPhone(actorOf(request), request.params.id);
    },
  );

  app.get(
    '/api/ratings/:id/history',
    staff({
      summary: '评价的处理记录：认定（如申诉复核后不计入统计）与相关案件时间线',
      params: IdParam,
      response: { 200: RatingHistorySchema, ...errors(400, 401, 404) },
    }),
    async (request) => cases.ratingHistory(actorOf(request), request.params.id),
  );

  app.get(
    '/api/public/cases/:token',
    {
      // The token is unguessable; the limit only keeps scanners from hammering the route.
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        summary: '群众查询差评处理进度（无需登录）',
        params: TokenParam,
        response: { 200: PublicStatusSchema, ...errors(400, 404, 429) },
      },
    },
    async (request) => {
      const status = await cases.publicStatus(request.params.token);
      if (!status) throw new NotFound('未找到该案件，请核对链接是否完整', 'CaseNotFound');
      return status;
    },
  );

  app.post(
    '/api/cases/lookup',
    {
      config: {
        // Per network, in the store every instance shares; the wrong tries per case number are
        // counted in the service (5 a day, whichever network sends them).
        rateLimit: {
          max: 30,
          timeWindow: 3600_000,
          keyGenerator: (req: { ip: string }) => `case-lookup:${req.ip}`,
          errorResponseBuilder: () => ({ statusCode: 429, error: 'TooManyRequests', message: '查询过于频繁，请一小时后再试' }),
        },
      },
      schema: {
        tags: ['public'],
        summary: '群众找回进度查询链接：受理编号 + 手机号后四位（无需登录）',
        description:
          '只查实名差评的案件（匿名评价没有手机号）。不论受理编号不存在、后四位不符还是匿名案件，都回答同一个 404。同一受理编号每天最多 5 次错误，之后 429（无论从哪个网络）；同一网络每小时最多 30 次。每次查询写入审计日志。',
        body: CaseLookupBody,
        response: { 200: CaseLookupResponse, ...errors(400, 404, 429) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return cases.lookup({ ...request.body, ip: request.ip });
    },
  );

  app.post(
    '/api/spot-checks/draw',
    staff(
      {
        summary: '好评抽查：按月抽取实名好评（督查）',
        description:
          '只从本月此前各次抽取未考虑过的好评中抽；每个部门全月按比例向上取整（至少 minPerDepartment 条），减去此前已抽的数量；同一 seed、同样数据抽出同样的评价。',
        body: DrawBody,
        response: { 201: DrawResponse, ...errors(400, 401, 403) },
      },
      ['supervisor'],
    ),
    async (request, reply) => reply.status(201).send(await cases.drawSpotChecks(actorOf(request), request.body)),
  );

  app.get(
    '/api/spot-checks',
    staff({ summary: '好评抽查记录', response: { 200: DrawListResponse, ...errors(401, 403) } }, ['supervisor', 'admin']),
    async (request) => ({ draws: await cases.listSpotCheckDraws(actorOf(request)) }),
  );

  app.get(
    '/api/observations/options',
    staff({ summary: '监督报告可选的部门与窗口（本人范围内）', response: { 200: ObservationOptions, ...errors(401, 403) } }, OBSERVERS),
    async (request) => cases.observationOptions(actorOf(request)),
  );

  app.post(
    '/api/observations',
    staff(
      {
        summary: '提交监督报告（特邀监督员；工作人员提交的为一把手走流程）',
        body: ObservationBody,
        response: { 201: ObservationCreated, ...errors(400, 401, 403, 410) },
      },
      OBSERVERS,
    ),
    async (request, reply) => reply.status(201).send(await cases.fileObservation(actorOf(request), request.body)),
  );

  app.get(
    '/api/observations',
    staff({ summary: '我提交的监督报告及其进展', response: { 200: ObservationList, ...errors(401, 403) } }, OBSERVERS),
    async (request) => cases.myObservations(actorOf(request)),
  );

  app.get(
    '/api/stats/observations',
    staff({
      summary: '监督报告统计：按部门的件数（含一把手走流程）与办结数',
      querystring: ReportFiguresQuery,
      response: { 200: ObservationFigures, ...errors(400, 401, 403) },
    }),
    async (request) => cases.observationFigures(actorOf(request), request.query),
  );
}
