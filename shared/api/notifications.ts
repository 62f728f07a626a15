// Request/response schemas of the webhook notices (企业微信 / 钉钉 group robots), and their vocabulary.
import { type Static, Type } from 'typebox';
import { DELIVERY_STATUSES, NOTIFY_EVENTS, WEBHOOK_KINDS } from '../domain.js';
import { Id, LiteralUnion as lit, Nullable } from './common.js';

export type { NotifyEvent, WebhookKind } from '../domain.js';
export { DELIVERY_STATUSES, NOTIFY_EVENTS, WEBHOOK_KINDS };

export const WebhookView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: lit(WEBHOOK_KINDS),
  url: Type.String(),
  events: Type.Array(Type.String()),
  orgUnitId: Nullable(Type.Integer()),
  active: Type.Boolean(),
  /** Whether a DingTalk 加签 secret is set; the secret itself is never answered. */
  signed: Type.Boolean({ description: '是否已设置钉钉加签密钥（密钥本身从不返回）' }),
  createdAt: Type.Integer(),
});
export type WebhookView = Static<typeof WebhookView>;

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  kind: lit(WEBHOOK_KINDS),
  url: Type.String({ minLength: 10, maxLength: 1000, description: '企业微信群机器人或钉钉机器人的 Webhook 地址' }),
  events: Type.Array(lit(NOTIFY_EVENTS), {
    minItems: 1,
    maxItems: NOTIFY_EVENTS.length,
    description: 'bad_rating 新差评；case_overdue 案件超期',
  }),
  active: Type.Boolean(),
  // The format (SEC…) is checked by the service, with a message that says where to find the secret.
  secret: Nullable(Type.String({ maxLength: 200, description: '钉钉机器人“加签”密钥（SEC 开头）；只写不读，null 为删除，不传则不变' })),
};

export const CreateWebhookBody = Type.Object(
  {
    ...Fields,
    active: Type.Optional(Fields.active),
    secret: Type.Optional(Fields.secret),
    orgUnitId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type WebhookInput = Static<typeof CreateWebhookBody>;

export const PatchWebhookBody = Type.Object(
  {
    name: Type.Optional(Fields.name),
    kind: Type.Optional(Fields.kind),
    url: Type.Optional(Fields.url),
    events: Type.Optional(Fields.events),
    active: Type.Optional(Fields.active),
    secret: Type.Optional(Fields.secret),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type WebhookPatch = Static<typeof PatchWebhookBody>;

export const DeliveryView = Type.Object({
  id: Type.Integer(),
  event: Type.String(),
  caseId: Nullable(Type.Integer()),
  status: lit(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.Integer()),
  createdAt: Type.Integer(),
  deliveredAt: Nullable(Type.Integer()),
});
export type DeliveryView = Static<typeof DeliveryView>;
