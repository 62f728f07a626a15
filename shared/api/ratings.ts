import { type Static, Type } from 'typebox';
import { COMMENT_MAX } from '../domain.js';
import { Nullable } from './common.js';

export const CodeParam = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });

/** docs/api.md: POST /api/codes/{code}/ratings. Field rules beyond types are checked in the service. */
export const RatingBody = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意' }),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 12 })),
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    consent: Type.Optional(Type.Boolean()),
    clientId: Type.Optional(Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: true },
);
export type RatingBodyT = Static<typeof RatingBody>;

export const RatingCreated = Type.Object({
  id: Type.Integer(),
  followUp: Nullable(
    Type.Object({
      caseNo: Type.String(),
      dueDate: Type.String({ description: 'YYYY-MM-DD：整个案件的办结期限（工作日）' }),
      contactDueDate: Type.Optional(Type.String()),
      statusUrl: Type.String({ description: '市民查看处理进度的链接（无需登录）' }),
    }),
  ),
});
export type RatingCreated = Static<typeof RatingCreated>;
/** What a 差评's citizen is told: the case number, its deadlines and where to follow it. */
export type FollowUp = NonNullable<RatingCreated['followUp']>;

/** docs/api.md: a 办件's one-time link token (`/e/{token}`); any other string is an unknown link (404). */
export const LinkTokenParam = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) });

/** docs/api.md: POST /api/e/{token}/ratings — a 办件's rating: 1 its first, 2 its 追评. */
export const MatterRatingCreated = Type.Object({
  id: Type.Integer(),
  assessNumber: Type.Integer({ minimum: 1, maximum: 2, description: '1 首次评价 · 2 追评' }),
  followUp: RatingCreated.properties.followUp,
});
export type MatterRatingCreated = Static<typeof MatterRatingCreated>;

export const FlaggedRating = Type.Object({
  id: Type.Integer(),
  codeId: Type.String(),
  departmentId: Type.Integer(),
  score: Type.Integer(),
  createdAt: Type.Integer(),
  flagReason: Nullable(Type.String()),
  excluded: Type.Boolean(),
});
export type FlaggedRating = Static<typeof FlaggedRating>;
