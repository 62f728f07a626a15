import { type Static, Type } from 'typebox';
import { DateString, FileBytes, Id, MonthString, Nullable } from './common.js';

/** The month (Beijing time) and the org unit of an upward-report export. */
export const ReportQuery = Type.Object({
  month: MonthString,
  orgUnitId: Id,
});

export const ReportFileResponse = FileBytes('文件（流式下载）');

export const HeldRecordsResponse = Type.Object({
  total: Type.Integer({ description: '暂缓上报的记录数（缺少代码或省级系统会拒收）' }),
  reasons: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  records: Type.Array(Type.Object({ recordId: Type.String(), ratingId: Type.Integer(), reasons: Type.Array(Type.String()) }), {
    description: '前 50 条',
  }),
});
export type HeldRecordsResponse = Static<typeof HeldRecordsResponse>;

// ---- Delivery to the provincial system (REPORT_URL): the operator view, dead letters, reconciliation ----

const OutboxRecord = Type.Object({
  recordId: Type.String(),
  ratingId: Type.Integer(),
  departmentName: Type.String(),
  day: Type.String(),
  reason: Nullable(Type.String()),
  attempts: Type.Integer(),
  lastAnswer: Nullable(Type.String()),
  firstFailedAt: Nullable(Type.Integer({ description: '开始失败的时间（毫秒）' })),
  createdAt: Type.Integer(),
});

export const OutboxStatusResponse = Type.Object({
  enabled: Type.Boolean({ description: '是否配置了 REPORT_URL（未配置时不入队、不推送，可按月导出文件上传）' }),
  receiver: Nullable(
    Type.Object({
      host: Type.String({ description: '接收方地址（只显示协议、主机与路径）' }),
      appId: Type.String(),
      signature: Type.String(),
      deadAfterHours: Type.Integer(),
    }),
  ),
  backlog: Type.Object({
    pending: Type.Integer({ description: '待推送（含正在推送、等待重试）' }),
    waiting: Type.Integer({ description: '暂缓（缺少代码，或评价待审核）' }),
    dead: Type.Integer({ description: '死信：持续失败超过时限，需人工重发' }),
    acked: Type.Integer({ description: '接收方已确认' }),
    dropped: Type.Integer({ description: '不上报（评价已剔除）' }),
    oldestPendingAt: Nullable(Type.Integer({ description: '最早一条待推送记录的入队时间（毫秒）' })),
  }),
  lastPost: Nullable(Type.Object({ at: Type.Integer(), acked: Type.Boolean(), answer: Nullable(Type.String()) })),
  days: Type.Array(
    Type.Object({ day: Type.String(), posts: Type.Integer(), sent: Type.Integer(), acked: Type.Integer(), failed: Type.Integer() }),
    { description: '近 14 天每天：推送次数、推送记录数、已确认、失败' },
  ),
  lastErrors: Type.Array(
    Type.Object({ at: Type.Integer(), records: Type.Integer(), status: Nullable(Type.Integer()), answer: Nullable(Type.String()) }),
    { description: '接收方最近 10 次失败的应答' },
  ),
  waitingReasons: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  waiting: Type.Array(OutboxRecord, { description: '前 50 条暂缓记录' }),
  deadLetters: Type.Array(OutboxRecord, { description: '前 50 条死信' }),
});
export type OutboxStatusResponse = Static<typeof OutboxStatusResponse>;

export const ResendBody = Type.Object(
  {
    recordIds: Type.Optional(
      Type.Array(Type.String({ pattern: '^(rating|case)-\\d{1,15}$' }), { minItems: 1, maxItems: 1000, description: '不填：重发全部死信' }),
    ),
  },
  { additionalProperties: false },
);
export type ResendBody = Static<typeof ResendBody>;
export const ResendResponse = Type.Object({ resent: Type.Integer({ description: '重新排入推送的死信条数' }) });

export const ReconcileQuery = Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString) });
export type ReconcileQuery = Static<typeof ReconcileQuery>;

export const ReconcileRow = Type.Object({
  day: Type.String(),
  stored: Type.Integer({ description: '当天存储的评价' }),
  reportable: Type.Integer({ description: '应上报（未暂扣、未剔除）' }),
  acked: Type.Integer({ description: '接收方已确认' }),
  pending: Type.Integer({ description: '待推送' }),
  waiting: Type.Integer({ description: '暂缓' }),
  dead: Type.Integer({ description: '死信' }),
  notQueued: Type.Integer({ description: '应上报却不在队列中（如开启上报之前的评价）' }),
  balanced: Type.Boolean({ description: '应上报 = 已确认' }),
});
export type ReconcileRow = Static<typeof ReconcileRow>;
export const ReconcileResponse = Type.Object({
  enabled: Type.Boolean(),
  from: Type.String(),
  to: Type.String(),
  days: Type.Array(ReconcileRow),
});
export type ReconcileResponse = Static<typeof ReconcileResponse>;
