import type { FastifyInstance } from 'fastify';
import { errors } from '../../../shared/api/common.js';
import { HomeResponse } from '../../../shared/api/home.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { HomeService } from './home.js';

export async function homeRoutes(fastify: FastifyInstance, { home }: { home: HomeService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'cases');

  app.get(
    '/api/home',
    staff({
      summary: '首页待办：待我处理（超期）、今天和下一个工作日到期、上次登录以来的新差评、待核查评价、待抽查月份、出错的对接',
      response: { 200: HomeResponse, ...errors(401) },
    }),
    async (request) => await home.summary(actorOf(request)),
  );
}
