import { type Static, Type } from 'typebox';
import {
  CODE_SORTS,
  FUNNEL_ALERT_LABELS,
  FUNNEL_ALERTS,
  LOCATION_MAX,
  QR_PNG_DEFAULT,
  QR_PNG_SIZES,
  type QrPngSize,
  STAFF_NAME_MAX,
} from '../domain.js';
import { DateString, Id, LiteralUnion, Nullable, PageFields } from './common.js';

// Code ids are checked by the service (normalizeCodeId), not by a schema pattern, so a lower-case
// code typed by a citizen still works and a malformed one is an honest 404 rather than a 400.
export const CodeParam = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: '评议码' }) });

/** A code's public facts and its department id, which the server needs (scan counts, ratings) but citizens are not sent. */
export const PublicCodeInfo = Type.Object({
  code: Type.String(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  location: Type.String(),
  staffName: Nullable(Type.String()),
  serviceItems: Type.Array(Type.String()),
  active: Type.Boolean({ description: 'false：已停用（评议页显示 410）' }),
});
export type PublicCodeInfoT = Static<typeof PublicCodeInfo>;

/** What anyone may know about a code (the citizen page). */
export const PublicCodeView = Type.Omit(PublicCodeInfo, ['departmentId']);

export const FunnelAlert = Type.Unsafe<(typeof FUNNEL_ALERTS)[number] | null>({
  type: 'string',
  nullable: true,
  enum: [...FUNNEL_ALERTS, null],
  description: FUNNEL_ALERTS.map((a) => `${a}：${FUNNEL_ALERT_LABELS[a]}`).join('；'),
});

export const FunnelView = Type.Object({
  opens30d: Type.Integer(),
  submissions30d: Type.Integer(),
  opensTotal: Type.Integer(),
  submissionsTotal: Type.Integer(),
  lastOpenDay: Nullable(DateString),
  lastSubmissionDay: Nullable(DateString),
  alert: FunnelAlert,
});
export type FunnelViewT = Static<typeof FunnelView>;

export const StaffCodeView = Type.Object({
  ...PublicCodeInfo.properties,
  createdAt: Type.Integer(),
  disabledAt: Nullable(Type.Integer()),
  url: Type.String({ description: '二维码内容：{PUBLIC_BASE_URL}/r/{code}' }),
  funnel: FunnelView,
});
export type StaffCodeViewT = Static<typeof StaffCodeView>;

export const CodeListQuery = Type.Object({
  departmentId: Type.Optional(Id),
  active: Type.Optional(Type.Boolean()),
  alerted: Type.Optional(Type.Boolean({ description: 'true：只列出有提示（预警）的码；false：只列出没有提示的码' })),
  sort: Type.Optional(
    LiteralUnion(CODE_SORTS, {
      description:
        '排序：department（默认：部门顺序，再按新建顺序）、code、location（位置，数字按大小）、createdAt、opens30d、submissions30d、' +
        'opensTotal、submissionsTotal、lastOpenDay、lastSubmissionDay、alert（有提示的在前）；并列时按默认顺序',
    }),
  ),
  ...PageFields,
});
export type CodeListQueryT = Static<typeof CodeListQuery>;

export const CodeList = Type.Object({
  codes: Type.Array(StaffCodeView),
  total: Type.Integer({ description: '符合筛选条件的评议码总数（本人范围内）' }),
});
export type CodeListT = Static<typeof CodeList>;

/** The codes a bulk creation made. */
export const CreatedCodes = Type.Object({ codes: Type.Array(StaffCodeView) });

export const FunnelQuery = Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString) });

export const FunnelSeries = Type.Object({
  code: Type.String(),
  from: DateString,
  to: DateString,
  days: Type.Array(Type.Object({ day: DateString, opens: Type.Integer(), submissions: Type.Integer() })),
});
export type FunnelSeriesT = Static<typeof FunnelSeries>;

export const PatchCodeBody = Type.Object(
  {
    active: Type.Optional(Type.Boolean()),
    location: Type.Optional(Type.String({ minLength: 1, maxLength: LOCATION_MAX })),
    staffName: Type.Optional(Nullable(Type.String({ maxLength: STAFF_NAME_MAX }))),
    // Accepted by the schema only so the service can refuse it with a clear reason.
    departmentId: Type.Optional(Type.Unknown({ description: '不可修改：提交即 400' })),
  },
  { additionalProperties: false },
);

export const BulkCreateBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 200 }),
    locationPattern: Type.String({
      minLength: 1,
      maxLength: LOCATION_MAX,
      description: '位置模板，{n} 替换为窗口号，如“县政务服务中心 A区 {n}号窗口”',
    }),
    startAt: Type.Optional(Type.Integer({ minimum: 0, maximum: 99999 })),
    staffName: Type.Optional(Nullable(Type.String({ maxLength: STAFF_NAME_MAX }))),
  },
  { additionalProperties: false },
);

export const PngQuery = Type.Object({
  // One of a fixed set (query strings are coerced, so `?size=1200` is the integer 1200).
  size: Type.Unsafe<QrPngSize>(
    Type.Integer({ enum: [...QR_PNG_SIZES], default: QR_PNG_DEFAULT, description: `边长（像素）：${QR_PNG_SIZES.join('、')}` }),
  ),
});
