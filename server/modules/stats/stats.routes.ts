import type { FastifyInstance } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { bearer, errors } from '../../../shared/api/common.js';
import { CredibilityQuery, CredibilityResponse } from '../../../shared/api/credibility.js';
import {
  CasesResponse,
  CodeStatsQuery,
  CodesResponse,
  CommentsQuery,
  CommentsResponse,
  CsvQuery,
  DepartmentsResponse,
  DeptRangeQuery,
  FileResponse,
  HeatmapResponse,
  MatterFiguresQuery,
  PublicRankingsQuery,
  PublicRankingsResponse,
  RangeQuery,
  RatingsQuery,
  RatingsResponse,
  StaffFiguresResponse,
  SummaryResponse,
  TagsResponse,
  TaskFiguresResponse,
  TrendQuery,
  TrendResponse,
  VerifyResponse,
} from '../../../shared/api/stats.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { Actor } from '../auth/actor.js';
import type { ExportFile, StatsService } from './stats.service.js';

/** RFC 6266 / RFC 5987: an ASCII fallback name and the Chinese name as UTF-8 filename*. */
export function contentDisposition(asciiName: string, utf8Name: string): string {
  const encoded = encodeURIComponent(utf8Name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export async function statsRoutes(fastify: FastifyInstance, { stats }: { stats: StatsService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'stats');

  /** A scoped GET: query schema → any staff role → one service call. */
  function scoped<Q extends TSchema, R extends TSchema>(
    path: string,
    summary: string,
    query: Q,
    response: R,
    run: (actor: Actor, q: Static<Q>) => Promise<Static<R>>,
  ) {
    app.get(
      path,
      // `run` returns R's Static type, checked at every call of scoped(); the provider cannot resolve a
      // generic R, so here the schema is seen as any schema.
      staff({ summary, querystring: query, response: { 200: response as TSchema, ...errors(400, 401, 404) } }),
      async (request) => await run(actorOf(request), request.query as Static<Q>),
    );
  }

  /** A download: like a scoped GET, answered with a file streamed under its name, never cached. */
  function download<Q extends TSchema>(
    path: string,
    summary: string,
    query: Q,
    contentType: string,
    run: (actor: Actor, q: Static<Q>) => Promise<ExportFile>,
  ) {
    app.get(
      path,
      staff({ summary, querystring: query, produces: [contentType.split(';')[0]!], response: { 200: FileResponse, ...errors(400, 401) } }),
      async (request, reply) => {
        const file = await run(actorOf(request), request.query as Static<Q>);
        return reply
          .header('content-type', contentType)
          .header('content-disposition', contentDisposition(file.asciiFilename, file.filename))
          .header('cache-control', 'no-store')
          .send(file.stream);
      },
    );
  }

  scoped('/api/stats/departments', '各部门指标与排名（本人范围内）', RangeQuery, DepartmentsResponse, (a, q) => stats.departments(a, q));
  scoped('/api/stats/summary', '范围合计与各组织单位指标', DeptRangeQuery, SummaryResponse, (a, q) => stats.summary(a, q));
  scoped('/api/stats/trend', '趋势（按日/周/月）', TrendQuery, TrendResponse, (a, q) => stats.trend(a, q));
  scoped('/api/stats/codes', '各评议码（窗口）指标（可分页、排序）', CodeStatsQuery, CodesResponse, (a, q) => stats.codes(a, q));
  scoped('/api/stats/tags', '评价标签统计', DeptRangeQuery, TagsResponse, (a, q) => stats.tags(a, q));
  scoped('/api/stats/heatmap', '星期 × 时段 评价分布（北京时间）', DeptRangeQuery, HeatmapResponse, (a, q) => stats.heatmap(a, q));
  scoped('/api/stats/cases', '差评处理指标', DeptRangeQuery, CasesResponse, (a, q) => stats.cases(a, q));
  scoped('/api/stats/comments', '最新留言', CommentsQuery, CommentsResponse, (a, q) => stats.comments(a, q));
  scoped('/api/stats/ratings', '指标背后的评价（手机号脱敏）', RatingsQuery, RatingsResponse, (a, q) => stats.ratings(a, q));
  scoped('/api/stats/matters/staff', '一个部门区间内办结的办件：按经办人', MatterFiguresQuery, StaffFiguresResponse, (a, q) =>
    stats.matterStaff(a, q),
  );
  scoped('/api/stats/matters/tasks', '一个部门区间内办结的办件：按事项', MatterFiguresQuery, TaskFiguresResponse, (a, q) =>
    stats.matterTasks(a, q),
  );

  app.get(
    '/api/stats/credibility',
    staff(
      {
        summary: '评价可信度：各窗口的引导评价线索（督查、管理员；本人范围内）',
        description:
          '每个窗口区间内保存的全部评价（计入与否）与本部门基线对比：待核查占比、绑定办件占比、有理由或留言占比、无理由五星占比，' +
          '以及三个信号（无理由五星远高于本部门、同一设备紧随办结评价多件办件、差评骤失）。只是线索，不是结论，也不暂扣评价。',
        querystring: CredibilityQuery,
        response: { 200: CredibilityResponse, ...errors(400, 401, 403, 404) },
      },
      ['supervisor', 'admin'],
    ),
    async (request) => await stats.credibility(actorOf(request), request.query),
  );

  download(
    '/api/stats/export.xlsx',
    '导出 Excel（部门指标 + 评价明细，手机号脱敏）',
    RangeQuery,
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    (a, q) => stats.exportXlsx(a, q),
  );
  download('/api/stats/export.csv', '导出 CSV（UTF-8 带 BOM；sheet=ratings 为评价明细）', CsvQuery, 'text/csv; charset=utf-8', (a, q) =>
    stats.exportCsv(a, q),
  );

  app.post(
    '/api/stats/verify',
    {
      onRequest: app.authorize(['admin']),
      schema: {
        tags: ['stats'],
        summary: '核对统计汇总与原始评价是否一致（管理员）',
        security: bearer,
        response: { 200: VerifyResponse, ...errors(401, 403) },
      },
    },
    async () => await stats.verifyRollups(),
  );

  app.get(
    '/api/public/rankings',
    {
      schema: {
        tags: ['public'],
        summary: '部门排名公示（无需登录；不含任何个人信息）',
        querystring: PublicRankingsQuery,
        response: { 200: PublicRankingsResponse, ...errors(400, 404, 429) },
      },
      config: { rateLimit: { max: 300, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return await stats.publicRankings(request.query);
    },
  );
}
