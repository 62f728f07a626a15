import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { actorOf } from '../../plugins/auth.js';
import { bearer, errors, IdParam, Nullable } from '../../../shared/api/common.js';
import { NOTIFY_EVENTS, WEBHOOK_KINDS } from './formats.js';
import type { NotificationsService } from './notifications.service.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const WebhookView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: lit(WEBHOOK_KINDS),
  url: Type.String(),
  events: Type.Array(Type.String()),
  orgUnitId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  createdAt: Type.Integer(),
});

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  kind: lit(WEBHOOK_KINDS),
  url: Type.String({ minLength: 10, maxLength: 1000, description: '企业微信群机器人或钉钉机器人的 Webhook 地址' }),
  events: Type.Array(lit(NOTIFY_EVENTS), { minItems: 1, maxItems: NOTIFY_EVENTS.length, description: 'bad_rating 新差评；case_overdue 案件超期' }),
  active: Type.Boolean(),
};
const CreateBody = Type.Object(
  { ...Fields, active: Type.Optional(Fields.active), orgUnitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    name: Type.Optional(Fields.name),
    kind: Type.Optional(Fields.kind),
    url: Type.Optional(Fields.url),
    events: Type.Optional(Fields.events),
    active: Type.Optional(Fields.active),
  },
  { additionalProperties: false, minProperties: 1 },
);
const DeliveryView = Type.Object({
  id: Type.Integer(),
  event: Type.String(),
  caseId: Nullable(Type.Integer()),
  status: lit(['pending', 'delivered', 'failed'] as const),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.Integer()),
  createdAt: Type.Integer(),
  deliveredAt: Nullable(Type.Integer()),
});

type Id = Static<typeof IdParam>;

export async function notificationsRoutes(app: FastifyInstance, opts: { notifications: NotificationsService }): Promise<void> {
  const { notifications } = opts;
  const admin = app.authorize(['admin']);

  app.get(
    '/api/webhooks',
    {
      onRequest: admin,
      schema: { tags: ['notifications'], summary: '消息推送（企业微信 / 钉钉机器人）', security: bearer, response: { 200: Type.Object({ webhooks: Type.Array(WebhookView) }), ...errors(401, 403) } },
    },
    async (request) => ({ webhooks: notifications.listWebhooks(actorOf(request)) }),
  );

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/api/webhooks',
    {
      onRequest: admin,
      schema: { tags: ['notifications'], summary: '新建消息推送（管理员）', security: bearer, body: CreateBody, response: { 201: WebhookView, ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => reply.status(201).send(notifications.createWebhook(actorOf(request), request.body)),
  );

  app.patch<{ Params: Id; Body: Static<typeof PatchBody> }>(
    '/api/webhooks/:id',
    {
      onRequest: admin,
      schema: { tags: ['notifications'], summary: '修改 / 停用消息推送', security: bearer, params: IdParam, body: PatchBody, response: { 200: WebhookView, ...errors(400, 401, 403, 404) } },
    },
    async (request) => notifications.updateWebhook(actorOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: Id }>(
    '/api/webhooks/:id',
    {
      onRequest: admin,
      schema: { tags: ['notifications'], summary: '删除消息推送（连同其发送记录）', security: bearer, params: IdParam, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      notifications.deleteWebhook(actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Id }>(
    '/api/webhooks/:id/deliveries',
    {
      onRequest: admin,
      schema: { tags: ['notifications'], summary: '发送记录（最近 100 条）', security: bearer, params: IdParam, response: { 200: Type.Object({ deliveries: Type.Array(DeliveryView) }), ...errors(400, 401, 403, 404) } },
    },
    async (request) => ({ deliveries: notifications.listDeliveries(actorOf(request), request.params.id) }),
  );
}
