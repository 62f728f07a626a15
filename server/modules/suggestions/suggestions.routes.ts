// 金点子 (docs/api.md, 金点子): submit (no login, per network limit), staff's list and answers, the
// public list of answers with the figures.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { PageData } from '../../../shared/api/citizen-page.js';
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
  SuggestionPeriodFigures,
  SuggestionPeriodQuery,
} from '../../../shared/api/suggestions.js';
import { SUBMITTER_TYPES, SUGGESTION_CATEGORIES } from '../../../shared/domain.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import { type CitizenPageTemplate, missingPage, pageTitle } from '../ratings/citizen-page.js';
import type { SettingsService } from '../settings/settings.service.js';
import type { SuggestionsService } from './suggestions.service.js';

const STAFF = ['admin', 'supervisor', 'dept_head'] as const;
const CHOICES = { categories: [...SUGGESTION_CATEGORIES], submitterTypes: [...SUBMITTER_TYPES] };

export async function suggestionsRoutes(
  fastify: FastifyInstance,
  {
    suggestions,
    settings,
    pages,
  }: { suggestions: SuggestionsService; settings: Pick<SettingsService, 'get' | 'forDepartment'>; pages: CitizenPageTemplate },
): Promise<void> {
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
    '/api/stats/suggestions',
    staff(
      {
        summary: '金点子统计：区间内收到的建议按部门的件数、答复与采纳率（本人范围内）',
        querystring: SuggestionPeriodQuery,
        response: { 200: SuggestionPeriodFigures, ...errors(400, 401, 403) },
      },
      STAFF,
    ),
    async (request) => suggestions.periodFigures(actorOf(request), request.query),
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

  // ---- The citizen's form (GET /i/{code}, GET /i/): the status bundle, inlined like /b/. ----

  function sendPage(reply: FastifyReply, status: number, data: PageData, title: string) {
    const page = pages.render(data, title);
    if (page === null) return reply.status(503).type('text/plain; charset=utf-8').send('前端尚未构建：请运行 npm run build');
    return reply
      .status(status)
      .header('content-security-policy', page.csp)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(page.html);
  }

  for (const path of ['/i', '/i/']) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => {
      const { authority } = settings.get().citizen;
      const departments = await suggestions.formDepartments();
      return sendPage(
        reply,
        200,
        { kind: 'suggest', authority, code: '', departmentName: '', location: '', departments, ...CHOICES },
        pageTitle(['金点子'], authority),
      );
    });
  }

  app.get('/i/:code', { schema: { hide: true, params: Type.Object({ code: Type.String() }) } }, async (request, reply) => {
    const raw = request.params.code;
    const info = raw.length <= 64 ? await suggestions.pageWindow(raw) : null;
    if (!info) {
      const data = missingPage('unknown', settings.get().citizen, { code: raw.trim().toUpperCase().slice(0, 64) });
      return sendPage(reply, 404, data, pageTitle([data.title], data.authority));
    }
    const { authority } = (await settings.forDepartment(info.departmentId)).citizen;
    return sendPage(
      reply,
      200,
      {
        kind: 'suggest',
        authority,
        code: info.code,
        departmentName: info.departmentName,
        location: info.location,
        departments: [],
        ...CHOICES,
      },
      pageTitle(['金点子', info.departmentName, info.location], authority),
    );
  });
}
