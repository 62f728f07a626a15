import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errors, IdParam } from '../../../shared/api/common.js';
import { CreateWebhookBody, DeliveryView, PatchWebhookBody, WebhookView } from '../../../shared/api/notifications.js';
import { actorOf } from '../../plugins/auth.js';
import { moduleRoutes } from '../../plugins/staff-route.js';
import type { NotificationsService } from './notifications.service.js';

const ADMIN = ['admin'] as const;

export async function notificationsRoutes(
  fastify: FastifyInstance,
  { notifications }: { notifications: NotificationsService },
): Promise<void> {
  const { app, staff } = moduleRoutes(fastify, 'notifications');

  app.get(
    '/api/webhooks',
    staff(
      {
        summary: '消息推送（企业微信 / 钉钉机器人）',
        response: { 200: Type.Object({ webhooks: Type.Array(WebhookView) }), ...errors(401, 403) },
      },
      ADMIN,
    ),
    async (request) => ({ webhooks: await notifications.listWebhooks(actorOf(request)) }),
  );

  app.post(
    '/api/webhooks',
    staff(
      { summary: '新建消息推送（管理员）', body: CreateWebhookBody, response: { 201: WebhookView, ...errors(400, 401, 403, 404) } },
      ADMIN,
    ),
    async (request, reply) => reply.status(201).send(await notifications.createWebhook(actorOf(request), request.body)),
  );

  app.patch(
    '/api/webhooks/:id',
    staff(
      {
        summary: '修改 / 停用消息推送',
        params: IdParam,
        body: PatchWebhookBody,
        response: { 200: WebhookView, ...errors(400, 401, 403, 404) },
      },
      ADMIN,
    ),
    async (request) => await notifications.updateWebhook(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/webhooks/:id',
    staff(
      { summary: '删除消息推送（连同其发送记录）', params: IdParam, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
      ADMIN,
    ),
    async (request, reply) => {
      await notifications.deleteWebhook(actorOf(request), request.params.id);
      // A 204 has no body whatever is passed; null is what its schema (Type.Null) types.
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    staff(
      {
        summary: '发送记录（最近 100 条）',
        params: IdParam,
        response: { 200: Type.Object({ deliveries: Type.Array(DeliveryView) }), ...errors(400, 401, 403, 404) },
      },
      ADMIN,
    ),
    async (request) => ({ deliveries: await notifications.listDeliveries(actorOf(request), request.params.id) }),
  );
}
