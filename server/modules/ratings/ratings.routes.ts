import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { REPORT_DESCRIPTION_MAX, REPORT_SUBJECT_MAX } from '../../../shared/api/cases.js';
import type { MissingData, PageData } from '../../../shared/api/citizen-page.js';
import { errors } from '../../../shared/api/common.js';
import {
  CodeParam,
  FlaggedRating,
  HeldRatingsQuery,
  HeldRatingsResponse,
  HoldGroupsQuery,
  HoldGroupsResponse,
  LinkTokenParam,
  MatterRatingCreated,
  PaperBody,
  PaperCreated,
  PaperForm,
  PaperFormQuery,
  PaperRejected,
  RatingBody,
  RatingCreated,
  RatingDecisionBody,
  RatingDecisionResponse,
} from '../../../shared/api/ratings.js';
import { COMMENT_MAX } from '../../../shared/domain.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { CasesService } from '../cases/cases.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { type CitizenPageTemplate, FAVICON_SVG, missingPage, pageTitle, WEB_MANIFEST } from './citizen-page.js';
import type { HeldRatings } from './held-ratings.js';
import type { CodeLookup, RatingsService } from './ratings.service.js';

/** The citizen's view of a case, from the cases module. */
export type CaseStatusLookup = Pick<CasesService, 'publicStatus'>;

export async function ratingsRoutes(
  fastify: FastifyInstance,
  {
    ratings,
    heldRatings,
    settings,
    codes,
    caseStatus,
    pages,
  }: {
    ratings: Pick<RatingsService, 'submit' | 'submitForMatter' | 'linkPage' | 'listFlagged' | 'enter' | 'entryForm'>;
    heldRatings: HeldRatings;
    settings: Pick<SettingsService, 'get' | 'forDepartment'>;
    codes: CodeLookup;
    caseStatus: CaseStatusLookup;
    pages: CitizenPageTemplate;
  },
): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'ratings');

  // Per network, and generous: a whole service hall shares one Wi-Fi address. The per-device rules
  // (once per code per 30 min, 20 a day) are domain rules, enforced in the service. One counter for
  // both rating routes (window codes and 办件 links).
  const networkRateLimit = {
    // Before the code is known: the platform's value (docs/domain.md, Settings).
    max: () => settings.get().limits.networkPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => `rate:${req.ip}`,
    errorResponseBuilder: () => ({ statusCode: 429, error: 'NetworkLimit', message: '当前网络提交过于频繁，请稍后再试' }),
  };

  app.post(
    '/api/codes/:code/ratings',
    {
      // The hottest route: two access-log lines per rating cost a quarter of its throughput (bench/).
      // Every rating is a row anyway; warnings and errors are still logged.
      logLevel: 'warn',
      // The answer is ~100 bytes: no compression hook. Bodies are decoded as on every route (a
      // Content-Encoding the server does not decode is 415, never read as plain JSON): the hook
      // only looks at one header when there is none.
      compress: false,
      schema: {
        tags: ['citizen'],
        summary: '提交评价（市民，无需登录）',
        params: CodeParam,
        body: RatingBody,
        response: { 200: RatingCreated, 201: RatingCreated, ...errors(400, 404, 410, 413, 415, 429, 503) },
      },
      config: { rateLimit: networkRateLimit },
    },
    async (request, reply) => {
      const result = await ratings.submit({
        code: request.params.code.toUpperCase(),
        body: request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      return reply.status(result.created ? 201 : 200).send({ id: result.id, followUp: result.followUp });
    },
  );

  app.post(
    '/api/e/:token/ratings',
    {
      logLevel: 'warn',
      compress: false,
      schema: {
        tags: ['citizen'],
        summary: '评价一件办件（一次一评：短信或二维码中的一次性评价链接）',
        params: LinkTokenParam,
        body: RatingBody,
        response: { 200: MatterRatingCreated, 201: MatterRatingCreated, ...errors(400, 404, 409, 410, 413, 415, 429, 503) },
      },
      config: { rateLimit: networkRateLimit },
    },
    async (request, reply) => {
      const result = await ratings.submitForMatter({
        token: request.params.token,
        channel: 'link',
        body: request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      return reply
        .status(result.created ? 201 : 200)
        .send({ id: result.id, assessNumber: result.assessNumber ?? 1, followUp: result.followUp });
    },
  );

  app.post(
    '/api/ratings/paper',
    staff(
      {
        summary: '录入纸质问卷、12345 回访评价（一次一个窗口、多条，全部成功或全部不录入）',
        description:
          '督查、管理员把纸质问卷（channel paper，默认）或 12345 回访（channel 12345）的评价录入到本人范围内的一个评议码：每条计入统计，差评立差评必查案件，录入人记在评价上；不受设备、网络限制，不暂扣。',
        body: PaperBody,
        response: { 201: PaperCreated, 400: PaperRejected, ...errors(401, 403, 404, 413, 415) },
      },
      ['supervisor', 'admin'],
    ),
    async (request, reply) => reply.status(201).send(await ratings.enter(actorOf(request), request.body)),
  );

  app.get(
    '/api/ratings/paper/form',
    staff(
      {
        summary: '录入问卷前：一个窗口的评价理由和可录入的日期范围',
        querystring: PaperFormQuery,
        response: { 200: PaperForm, ...errors(400, 401, 403, 404) },
      },
      ['supervisor', 'admin'],
    ),
    async (request) => ratings.entryForm(actorOf(request), request.query.code),
  );

  app.get(
    '/api/ratings/flagged',
    staff(
      {
        summary: '被标记待核查的评价（突发、刷评嫌疑）',
        response: { 200: Type.Object({ ratings: Type.Array(FlaggedRating) }), ...errors(401, 403) },
      },
      ['admin', 'supervisor'],
    ),
    async (request) => ({ ratings: await ratings.listFlagged(actorOf(request)) }),
  );

  app.get(
    '/api/ratings/held',
    staff(
      {
        summary: '暂扣待核查的评价（复核队列）',
        description: '被防刷规则暂扣的评价：不计入任何统计，直到督查裁决。分页、可筛选，附总数。',
        querystring: HeldRatingsQuery,
        response: { 200: HeldRatingsResponse, ...errors(400, 401, 403) },
      },
      ['admin', 'supervisor'],
    ),
    async (request) => heldRatings.list(actorOf(request), request.query),
  );

  app.get(
    '/api/ratings/held/groups',
    staff(
      {
        summary: '暂扣评价按批次（同一规则、同一网络或设备、同一部门）',
        querystring: HoldGroupsQuery,
        response: { 200: HoldGroupsResponse, ...errors(400, 401, 403) },
      },
      ['admin', 'supervisor'],
    ),
    async (request) => heldRatings.groups(actorOf(request), request.query),
  );

  app.post(
    '/api/ratings/decisions',
    staff(
      {
        summary: '裁决暂扣的评价：计入（release）或排除（exclude），可按条、按批次或按条件批量',
        body: RatingDecisionBody,
        response: { 200: RatingDecisionResponse, ...errors(400, 401, 403) },
      },
      ['supervisor'],
    ),
    async (request) => heldRatings.decide(actorOf(request), request.body),
  );

  function sendPage(reply: FastifyReply, status: number, data: PageData, title: string) {
    const page = pages.render(data, title);
    if (page === null) {
      return reply.status(503).type('text/plain; charset=utf-8').send('前端尚未构建：请运行 npm run build');
    }
    return reply
      .status(status)
      .header('content-security-policy', page.csp)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(page.html);
  }

  /** A page that cannot be rated, titled by what it says. */
  function sendMissing(reply: FastifyReply, status: number, data: MissingData) {
    return sendPage(reply, status, data, pageTitle([data.title, data.departmentName, data.location], data.authority));
  }

  // Before /r/:code and /e/:token in meaning (find-my-way prefers the static path): the page's service
  // worker, one script served in each scope it keeps pages of (a worker's scope is its own folder).
  for (const path of ['/r/sw.js', '/e/sw.js']) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => {
      if (!pages.serviceWorker) return reply.status(404).send({ error: 'NotFound', message: '前端尚未构建' });
      // Revalidated on every check, so a new build's worker replaces the old one at the next visit.
      return reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(pages.serviceWorker);
    });
  }

  // The icon and the web app manifest the citizen pages link to (citizen-page.ts); /favicon.ico for the
  // pages that name no icon (browsers ask for it anyway).
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(FAVICON_SVG),
    );
  }
  app.get('/manifest.webmanifest', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('application/manifest+json; charset=utf-8').send(WEB_MANIFEST),
  );

  /**
   * The window a citizen page names, with its county's settings; or null once the 404 page (unknown
   * code: the platform's words, it has no county) or the 410 page (disabled) has been sent.
   */
  async function activeWindow(raw: string, reply: FastifyReply) {
    const code = raw.trim().toUpperCase();
    const info = code.length <= 64 ? await codes.getPublicInfo(code) : null;
    if (!info) {
      await sendMissing(reply, 404, missingPage('unknown', settings.get().citizen, { code: code.slice(0, 64) }));
      return null;
    }
    const county = await settings.forDepartment(info.departmentId);
    if (!info.active) {
      await sendMissing(
        reply,
        410,
        missingPage('disabled', county.citizen, { code, departmentName: info.departmentName, location: info.location }),
      );
      return null;
    }
    return { code, info, county };
  }

  app.get('/r/:code', { schema: { hide: true, params: Type.Object({ code: Type.String() }) } }, async (request, reply) => {
    const window = await activeWindow(request.params.code, reply);
    if (!window) return reply;
    const { code, info, county } = window;
    const { authority } = county.citizen;
    return sendPage(
      reply,
      200,
      {
        kind: 'rate',
        authority,
        code,
        departmentName: info.departmentName,
        location: info.location,
        staffName: info.staffName,
        // The reasons and the per-code limit of the code's county.
        tags: county.tags,
        commentMax: COMMENT_MAX,
        perCodeMinutes: county.limits.perCodeMinutes,
      },
      pageTitle(['评价', info.departmentName, info.location], authority),
    );
  });

  // 办不成事 (docs/domain.md): the report form of a window's code, in the status bundle; ?task= prefills
  // the 事项 (a guide page or a rejected 办件 links here with it).
  app.get(
    '/b/:code',
    {
      schema: {
        hide: true,
        params: Type.Object({ code: Type.String() }),
        querystring: Type.Object({ task: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (request, reply) => {
      const window = await activeWindow(request.params.code, reply);
      if (!window) return reply;
      const { code, info, county } = window;
      const { authority } = county.citizen;
      return sendPage(
        reply,
        200,
        {
          kind: 'report',
          authority,
          code,
          departmentName: info.departmentName,
          location: info.location,
          subject: (request.query.task ?? '').trim().slice(0, REPORT_SUBJECT_MAX),
          subjectMax: REPORT_SUBJECT_MAX,
          descriptionMax: REPORT_DESCRIPTION_MAX,
        },
        pageTitle(['办不成事反映', info.departmentName, info.location], authority),
      );
    },
  );

  // A 办件's one-time rating link (一次一评), from the business system's SMS or the QR on the window's screen;
  // a rejected 办件's link is its 办不成事 form instead.
  app.get('/e/:token', { schema: { hide: true, params: Type.Object({ token: Type.String() }) } }, async (request, reply) => {
    const found = await ratings.linkPage(request.params.token);
    if (found.state === 'open') {
      const { page } = found;
      return sendPage(reply, 200, page, pageTitle(['评价', page.departmentName, page.location], page.authority));
    }
    if (found.state === 'report') {
      const { page } = found;
      return sendPage(reply, 200, page, pageTitle(['办不成事反映', page.departmentName, page.location], page.authority));
    }
    if (found.state === 'expired') {
      const { departmentName, location } = found;
      const county = await settings.forDepartment(found.departmentId);
      return sendMissing(reply, 410, missingPage('expired', county.citizen, { departmentName, location }));
    }
    return sendMissing(reply, 404, missingPage('link', settings.get().citizen));
  });

  // 找回进度查询链接: the lookup by case number and the phone's last 4 digits (POST /api/cases/lookup).
  for (const path of ['/s', '/s/']) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) => {
      const { authority, hotline } = settings.get().citizen;
      return sendPage(reply, 200, { kind: 'lookup', authority, hotline }, pageTitle(['查询处理进度'], authority));
    });
  }

  app.get('/s/:token', { schema: { hide: true, params: Type.Object({ token: Type.String() }) } }, async (request, reply) => {
    const found = request.params.token.length <= 64 ? await caseStatus.publicStatus(request.params.token) : null;
    if (!found) return sendMissing(reply, 404, missingPage('case', settings.get().citizen));
    const { departmentId, ...status } = found;
    const { authority } = (await settings.forDepartment(departmentId)).citizen;
    // The page shows times in Beijing time from ISO strings.
    return sendPage(
      reply,
      200,
      {
        kind: 'case',
        authority,
        ...status,
        createdAt: new Date(status.createdAt).toISOString(),
        events: status.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      },
      pageTitle(['处理进度', status.caseNo, status.departmentName], authority),
    );
  });
}
