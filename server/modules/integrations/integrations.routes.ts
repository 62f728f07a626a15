import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errors, IdParam } from '../../../shared/api/common.js';
import { CreateIntegrationBody, IntegrationList, IntegrationWithKey } from '../../../shared/api/integrations.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { IntegrationsService } from './integrations.service.js';

const ADMIN = ['admin'] as const;

export async function integrationsRoutes(fastify: FastifyInstance, { integrations }: { integrations: IntegrationsService }): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'integrations');

  app.get(
    '/api/integrations',
    staff({ summary: '系统对接（业务系统的集成密钥），本人范围内', response: { 200: IntegrationList, ...errors(401, 403) } }, ADMIN),
    async (request) => ({ integrations: await integrations.list(actorOf(request)) }),
  );

  app.post(
    '/api/integrations',
    staff(
      {
        summary: '新建对接：密钥只在此回答中显示一次（管理员）',
        body: CreateIntegrationBody,
        response: { 201: IntegrationWithKey, ...errors(400, 401, 403) },
      },
      ADMIN,
    ),
    async (request, reply) => reply.status(201).send(await integrations.create(actorOf(request), request.body)),
  );

  app.post(
    '/api/integrations/:id/rotate',
    staff(
      {
        summary: '更换密钥：新密钥只显示一次，旧密钥立即失效',
        params: IdParam,
        response: { 200: IntegrationWithKey, ...errors(400, 401, 403, 404, 409) },
      },
      ADMIN,
    ),
    async (request) => await integrations.rotate(actorOf(request), request.params.id),
  );

  app.delete(
    '/api/integrations/:id',
    staff(
      { summary: '撤销对接：其密钥立即失效（401）', params: IdParam, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
      ADMIN,
    ),
    async (request, reply) => {
      await integrations.revoke(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
