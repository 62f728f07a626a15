// 办事指南 (docs/api.md, 办事指南): the public page /g/{id} and a window's list /g/?code=, the public JSON
// and QR, the administrators' edits with their history, and the 二维码墙 print sheet of a department.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { MissingData, PageData } from '../../../shared/api/citizen-page.js';
import { errors, IdParam } from '../../../shared/api/common.js';
import {
  Guide,
  GuideBody,
  GuideList,
  GuideListQuery,
  GuideUpdateBody,
  GuideVersionParam,
  GuideVersions,
} from '../../../shared/api/guides.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import { etagMatches } from '../codes/print.routes.js';
import { type CitizenPageTemplate, missingPage, pageTitle } from '../ratings/citizen-page.js';
import type { SettingsService } from '../settings/settings.service.js';
import { GUIDE_WALL_CSS, GUIDE_WALL_CSS_PATH } from './guide-wall.js';
import type { GuidesService } from './guides.service.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function guidesRoutes(
  fastify: FastifyInstance,
  {
    guides,
    settings,
    pages,
  }: { guides: GuidesService; settings: Pick<SettingsService, 'get' | 'forDepartment'>; pages: CitizenPageTemplate },
): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'guides');

  app.get(
    '/api/guides',
    {
      schema: {
        tags: ['guides'],
        summary: '办事指南列表（无需登录；可按部门或窗口筛选，默认全部）',
        querystring: GuideListQuery,
        response: { 200: GuideList, ...errors(400) },
      },
    },
    async (request) => guides.list(request.query),
  );

  app.get(
    '/api/guides/:id',
    { schema: { tags: ['guides'], summary: '一项办事指南（无需登录）', params: IdParam, response: { 200: Guide, ...errors(400, 404) } } },
    async (request) => guides.get(request.params.id),
  );

  app.get(
    '/api/guides/:id/qr.svg',
    {
      schema: {
        tags: ['guides'],
        summary: '办事指南二维码（SVG，内容为 {PUBLIC_BASE_URL}/g/{id}）',
        params: IdParam,
        response: { 200: Type.String({ description: '图片' }), 304: Type.Null(), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const image = await guides.qrSvg(request.params.id);
      reply.header('etag', image.etag).header('cache-control', IMMUTABLE).header('cross-origin-resource-policy', 'cross-origin');
      if (etagMatches(request.headers['if-none-match'], image.etag)) return reply.code(304).send(null);
      return reply.type('image/svg+xml; charset=utf-8').send(image.body);
    },
  );

  app.post(
    '/api/guides',
    staff({ summary: '新建办事指南', body: GuideBody, response: { 201: Guide, ...errors(400, 401, 403) } }, ['admin']),
    async (request, reply) => reply.status(201).send(await guides.create(actorOf(request), request.body)),
  );

  app.put(
    '/api/guides/:id',
    staff(
      {
        summary: '修改办事指南（保存为新版本；基于的版本已被他人修改时 409）',
        params: IdParam,
        body: GuideUpdateBody,
        response: { 200: Guide, ...errors(400, 401, 403, 404, 409) },
      },
      ['admin'],
    ),
    async (request) => guides.update(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/guides/:id/versions',
    staff({ summary: '办事指南的历史版本（最新在前）', params: IdParam, response: { 200: GuideVersions, ...errors(400, 401, 403, 404) } }, [
      'admin',
    ]),
    async (request) => guides.versions(actorOf(request), request.params.id),
  );

  app.post(
    '/api/guides/:id/versions/:version/restore',
    staff(
      {
        summary: '恢复办事指南的某个历史版本（另存为最新版本）',
        params: GuideVersionParam,
        response: { 200: Guide, ...errors(400, 401, 403, 404, 409) },
      },
      ['admin'],
    ),
    async (request) => guides.restore(actorOf(request), request.params.id, request.params.version),
  );

  app.get(
    GUIDE_WALL_CSS_PATH,
    { schema: { tags: ['guides'], summary: '二维码墙打印样式', response: { 200: Type.String() } } },
    async (_request, reply) => reply.header('cache-control', IMMUTABLE).type('text/css; charset=utf-8').send(GUIDE_WALL_CSS),
  );

  app.get(
    '/api/departments/:id/guide-wall',
    {
      ...staff({
        summary: '部门办事指南二维码墙（A4 打印页）',
        params: IdParam,
        response: { 200: Type.String(), ...errors(400, 401, 404) },
      }),
      // The global CSP forbids inline styles: the sheet's <style> gets a per-reply nonce.
      helmet: { enableCSPNonces: true },
    },
    async (request, reply) => {
      const html = await guides.wall(actorOf(request), request.params.id, { styleNonce: reply.cspNonce.style });
      return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(html);
    },
  );

  // ---- The citizen's pages: the status bundle (client/mobile/status.tsx), inlined like /r/. ----

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
  const sendMissing = (reply: FastifyReply, data: MissingData) =>
    sendPage(reply, 404, data, pageTitle([data.title, data.departmentName, data.location], data.authority));

  // The rating page's service worker, also kept for /g/: a guide read once opens again without signal.
  app.get('/g/sw.js', { schema: { hide: true } }, async (_request, reply) => {
    if (!pages.serviceWorker) return reply.status(404).send({ error: 'NotFound', message: '前端尚未构建' });
    return reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(pages.serviceWorker);
  });

  const CodeQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 64 })) });

  // A window's guides, linked from its rating page.
  for (const path of ['/g', '/g/']) {
    app.get(path, { schema: { hide: true, querystring: CodeQuery } }, async (request, reply) => {
      const info = request.query.code ? await guides.window(request.query.code) : null;
      if (!info) return sendMissing(reply, missingPage('unknown', settings.get().citizen, { code: request.query.code?.slice(0, 64) }));
      const { authority } = (await settings.forDepartment(info.departmentId)).citizen;
      const list = await guides.list({ code: info.code });
      return sendPage(
        reply,
        200,
        {
          kind: 'guides',
          authority,
          code: info.code,
          departmentName: info.departmentName,
          location: info.location,
          guides: list.guides.map(({ id, taskName, promisedDays }) => ({ id, taskName, promisedDays })),
        },
        pageTitle(['办事指南', info.departmentName, info.location], authority),
      );
    });
  }

  app.get(
    '/g/:id',
    { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }), querystring: CodeQuery } },
    async (request, reply) => {
      const id = /^\d{1,9}$/.test(request.params.id) ? Number(request.params.id) : 0;
      const guide = id ? await guides.find(id) : null;
      if (!guide) return sendMissing(reply, missingPage('guide', settings.get().citizen));
      const { authority } = (await settings.forDepartment(guide.departmentId)).citizen;
      const asked = request.query.code?.trim().toUpperCase();
      const code = guide.windows.find((w) => w.code === asked)?.code ?? guide.windows[0]?.code ?? '';
      return sendPage(reply, 200, { kind: 'guide', authority, guide, code }, pageTitle(['办事指南', guide.taskName], authority));
    },
  );
}
