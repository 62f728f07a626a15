import { type Static, Type } from 'typebox';
import { COMMENT_MAX, ENTERED_CHANNELS, PAPER_ENTRIES_MAX } from '../domain.js';
import { Id, LiteralUnion, Nullable, PageFields } from './common.js';

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
      promise: Type.Optional(
        Type.String({
          description:
            '对市民的承诺：留了电话的“我们将在 1 个工作日内（11月27日前）联系您，12月17日前办结”；匿名的“您未留电话，我们不会回访；部门将核实并整改，12月17日前办结，可凭受理编号查看进度”',
        }),
      ),
    }),
  ),
});
export type RatingCreated = Static<typeof RatingCreated>;
/** What a 差评's citizen is told: the case number, its deadlines and where to follow it. */
export type FollowUp = NonNullable<RatingCreated['followUp']>;

/**
 * docs/api.md: POST /api/ratings/paper — questionnaires typed in by staff (纸质问卷, 12345 回访). Types here;
 * every rule of an entry (its date, its reasons) is checked in the service, which names each bad entry.
 */
export const PaperEntry = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意' }),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 12 })),
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX })),
    date: Type.String({ maxLength: 10, description: 'YYYY-MM-DD：问卷填写（或回访）的日期，北京时间' }),
  },
  { additionalProperties: false },
);
export const PaperBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, description: '评议码（窗口）' }),
    channel: Type.Optional(LiteralUnion(ENTERED_CHANNELS, { description: 'paper 纸质问卷（默认）· 12345 12345热线回访（对约定的扩展）' })),
    entries: Type.Array(PaperEntry, { minItems: 1, maxItems: PAPER_ENTRIES_MAX }),
  },
  { additionalProperties: false },
);
export type PaperBodyT = Static<typeof PaperBody>;
/** GET /api/ratings/paper/form?code=: what the entry page needs of a window before typing starts. */
export const PaperFormQuery = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) });
export const PaperForm = Type.Object({
  code: Type.String(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  location: Type.String(),
  staffName: Nullable(Type.String()),
  active: Type.Boolean(),
  tags: Type.Object({ good: Type.Array(Type.String()), bad: Type.Array(Type.String()) }, { description: '该县区的评价理由' }),
  earliest: Type.String({ description: 'YYYY-MM-DD：最早可录入的问卷日期' }),
  latest: Type.String({ description: 'YYYY-MM-DD：最晚可录入的问卷日期（今天，或停用之日）' }),
  entriesMax: Type.Integer({ description: '每次最多录入多少条' }),
});
export type PaperForm = Static<typeof PaperForm>;
export const PaperCreated = Type.Object({
  ids: Type.Array(Type.Integer(), { description: '每条问卷的评价编号，与 entries 同序' }),
  cases: Type.Array(Type.Object({ index: Type.Integer({ description: 'entries 中的位置（从 0 起）' }), caseNo: Type.String() }), {
    description: '差评各自立的差评必查案件（对约定的扩展）',
  }),
});
export type PaperCreated = Static<typeof PaperCreated>;
/** A 400 of POST /api/ratings/paper: every bad entry, by its place and field (nothing was stored). */
export const PaperEntryError = Type.Object({
  index: Type.Integer({ description: 'entries 中的位置（从 0 起）' }),
  field: Type.String({ description: 'score / tags / comment / date' }),
  message: Type.String(),
});
export type PaperEntryError = Static<typeof PaperEntryError>;
export const PaperRejected = Type.Object({
  error: Type.String(),
  message: Type.String(),
  entries: Type.Optional(Type.Array(PaperEntryError)),
});

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

/** docs/api.md: GET /api/ratings/held — the review queue of held ratings. */
export const HeldRatingsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: PageFields.offset,
  departmentId: Type.Optional(Id),
  codeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  groupId: Type.Optional(Id),
  network: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '网络标识（队列给出的散列，原样）' })),
  device: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: '设备标识（队列给出的散列，原样）' })),
  from: Type.Optional(Type.String({ description: 'YYYY-MM-DD（北京时间当日起）或 ISO 8601 时间' })),
  to: Type.Optional(Type.String({ description: 'YYYY-MM-DD（含当日）或 ISO 8601 时间（不含）' })),
});
export type HeldRatingsQuery = Static<typeof HeldRatingsQuery>;

export const HeldRating = Type.Object({
  id: Type.Integer(),
  codeId: Type.String(),
  location: Type.String(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  score: Type.Integer(),
  tags: Type.Array(Type.String()),
  comment: Nullable(Type.String()),
  realName: Type.Boolean(),
  createdAt: Type.Integer(),
  flagReason: Nullable(Type.String()),
  /** The rules' names in Chinese, in the order of flagReason. */
  flagLabels: Type.Array(Type.String()),
  groupId: Nullable(Type.Integer()),
  /** The keyed network / device hash (never the address; the same for every rating of it). */
  network: Nullable(Type.String()),
  device: Nullable(Type.String()),
});
export type HeldRating = Static<typeof HeldRating>;

export const HeldRatingsResponse = Type.Object({ ratings: Type.Array(HeldRating), total: Type.Integer() });
export type HeldRatingsResponse = Static<typeof HeldRatingsResponse>;

export const HoldGroupsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: PageFields.offset,
  departmentId: Type.Optional(Id),
});
export type HoldGroupsQuery = Static<typeof HoldGroupsQuery>;

export const HoldGroup = Type.Object({
  id: Type.Integer(),
  rule: Type.String(),
  ruleLabel: Type.String(),
  subjectKind: Type.Union([Type.Literal('network'), Type.Literal('device')]),
  subject: Type.String({ description: '网络 / 设备标识（散列，可作 network / device 筛选条件）' }),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  firstAt: Type.Integer(),
  lastAt: Type.Integer(),
  ratingCount: Type.Integer({ description: '这一批被暂扣过的评价数' }),
  heldCount: Type.Integer({ description: '仍待裁决的评价数' }),
  caseId: Nullable(Type.Integer({ description: '集中差评合并到的工单' })),
  caseNo: Nullable(Type.String({ description: '集中差评合并到的工单号' })),
});
export type HoldGroup = Static<typeof HoldGroup>;

export const HoldGroupsResponse = Type.Object({
  groups: Type.Array(HoldGroup),
  total: Type.Integer({ description: '有待裁决评价的批次数' }),
  held: Type.Integer({ description: '范围内待裁决的评价总数' }),
});
export type HoldGroupsResponse = Static<typeof HoldGroupsResponse>;

/** docs/api.md: POST /api/ratings/decisions — release or exclude held ratings, by id, burst or filter. */
export const RatingDecisionBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
    groupIds: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
    filter: Type.Optional(
      Type.Object(
        {
          departmentId: HeldRatingsQuery.properties.departmentId,
          codeId: HeldRatingsQuery.properties.codeId,
          network: HeldRatingsQuery.properties.network,
          device: HeldRatingsQuery.properties.device,
          from: HeldRatingsQuery.properties.from,
          to: HeldRatingsQuery.properties.to,
        },
        { additionalProperties: false },
      ),
    ),
    decision: Type.Union([Type.Literal('release'), Type.Literal('exclude')], { description: 'release 计入 · exclude 排除' }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type RatingDecisionBody = Static<typeof RatingDecisionBody>;

export const RatingDecisionResponse = Type.Object({ affected: Type.Integer() });
