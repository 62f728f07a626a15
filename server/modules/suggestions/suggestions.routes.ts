// 金点子 (docs/api.md, 金点子): submit (no login, per network limit), staff's list and answers, the
// public list of answers with the figures.
import type { FastifyInstance } from 'fastify';
import { errors, IdParam } from '../../../shared/api/common.js';
import {
  AnswerBody,
  ContactResponse,
  PublicSuggestions,
  PublicSuggestionsQuery,
  StaffSuggestion,
  StaffSuggestionList,
  SuggestionBody,
  SuggestionCreated,
  SuggestionListQuery,
} from '../../../shared/api/suggestions.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { SuggestionsService } from './suggestions.service.js';

const STAFF = ['admin', 'supervisor', 'dept_head'] as const;

export async function suggestionsRoutes(fastify: FastifyInstance, { suggestions }: { suggestions: SuggestionsService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'suggestions');

  app.post(
    '/api/public/suggestions',
    {
      config: {
        // Per network, like the rating and report routes, on its own counter.
        rateLimit: {
          max: () => suggestions.networkPerMinute(),
          timeWindow: 60_000,
          keyGenerator: (req: { ip: string }) => `suggestion:${req.ip}`,
          errorResponseBuilder: () => ({ statusCode: 429, error: 'NetworkLimit', message: '当前网络提交过于频繁，请稍后再试' }),
        },
      },
      schema: {
        tags: ['citizen'],
        summary: '金点子：提出建议（无需登录）',
        description: '从窗口评议码（code）或指定部门（departmentId）提出建议，返回建议编号。联系方式可选，须同时 consent: true。',
        body: SuggestionBody,
        response: { 201: SuggestionCreated, ...errors(400, 404, 410, 413, 415, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(await suggestions.submit(request.body)),
  );

  app.get(
    '/api/public/suggestions',
    {
      schema: {
        tags: ['public'],
        summary: '金点子公示：已答复的建议与各部门采纳情况（无需登录；不含任何个人信息）',
        querystring: PublicSuggestionsQuery,
        response: { 200: PublicSuggestions, ...errors(400, 429) },
      },
      config: { rateLimit: { max: 300, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return await suggestions.publicList(request.query);
    },
  );

  app.get(
    '/api/suggestions',
    staff(
      {
        summary: '金点子列表（本人范围内，最新在前）',
        querystring: SuggestionListQuery,
        response: { 200: StaffSuggestionList, ...errors(400, 401, 403) },
      },
      STAFF,
    ),
    async (request) => suggestions.list(actorOf(request), request.query),
  );

  app.get(
    '/api/suggestions/:id',
    staff({ summary: '一条金点子', params: IdParam, response: { 200: StaffSuggestion, ...errors(400, 401, 403, 404) } }, STAFF),
    async (request) => suggestions.get(actorOf(request), request.params.id),
  );

  app.post(
    '/api/suggestions/:id/answer',
    staff(
      {
        summary: '答复金点子：采纳 / 部分采纳 / 暂不采纳（可修改，每次答复记入审计日志）',
        params: IdParam,
        body: AnswerBody,
        response: { 200: StaffSuggestion, ...errors(400, 401, 403, 404) },
      },
      STAFF,
    ),
    async (request) => suggestions.answer(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/suggestions/:id/contact',
    staff(
      {
        summary: '查看完整联系方式（每次查看均记入审计日志）',
        params: IdParam,
        response: { 200: ContactResponse, ...errors(400, 401, 403, 404, 410) },
      },
      STAFF,
    ),
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return suggestions.viewContact(actorOf(request), request.params.id);
    },
  );
}
