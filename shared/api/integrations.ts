// Request/response schemas of the integrations (business systems pushing 办件 with an API key). The key
// itself is in an answer only twice: when it is made (POST) and when it is replaced (rotate).
import { type Static, Type } from 'typebox';
import { Nullable } from './common.js';

export const INTEGRATION_NAME_MAX = 60;

export const CreateIntegrationBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: INTEGRATION_NAME_MAX,
      description: '对接系统的名称，如“一窗受理系统”“网上办事大厅”',
    }),
  },
  { additionalProperties: false },
);
export type CreateIntegrationInput = Static<typeof CreateIntegrationBody>;

export const IntegrationView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  keyPrefix: Type.String({ description: '密钥的开头几位，用来区分密钥（完整密钥只在新建和更换时显示一次）' }),
  orgUnitId: Nullable(Type.Integer({ description: '管理范围：新建它的管理员的组织单位' })),
  orgUnitName: Type.String(),
  createdBy: Type.Object({ id: Type.Integer(), displayName: Type.String() }),
  createdAt: Type.Integer(),
  rotatedAt: Nullable(Type.Integer()),
  revokedAt: Nullable(Type.Integer({ description: '撤销时间；撤销后该密钥的调用一律 401' })),
  lastCallAt: Nullable(Type.Integer()),
  calls: Type.Integer({ description: '调用次数' }),
  errors: Type.Integer({ description: '回答 4xx 的调用次数' }),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Type.Integer()),
});
export type IntegrationView = Static<typeof IntegrationView>;

export const IntegrationWithKey = Type.Object({
  ...IntegrationView.properties,
  apiKey: Type.String({ description: '完整密钥：只显示这一次，服务器只保存其 SHA-256' }),
});
export type IntegrationWithKey = Static<typeof IntegrationWithKey>;

export const IntegrationList = Type.Object({ integrations: Type.Array(IntegrationView) });
export type IntegrationList = Static<typeof IntegrationList>;
