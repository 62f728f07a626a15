// Request/response schemas of the 办件 store (docs/api.md §11, docs/domain.md 办件). The applicant's
// mobile is never in an answer in full: `applicantPhone` is always masked (138****1234).
import { type Static, Type } from 'typebox';
import {
  APPLICANT_TYPES,
  MATTER_SOURCES,
  MATTER_STATUSES,
  PROJECT_NO_MAX,
  RATING_CHANNELS,
  STAFF_NAME_MAX,
  TASK_CODE_MAX,
  TASK_NAME_MAX,
} from '../domain.js';
import { DateString, Id, LiteralUnion as lit, Nullable, PageFields } from './common.js';

/**
 * A 办件编号: letters, digits, Chinese characters and `-` `_` `.`, not starting with `.`; no `/`
 * (it is a path segment, and proxies treat an encoded slash differently).
 */
export const PROJECT_NO_PATTERN = `^[0-9A-Za-z\\u4e00-\\u9fff_-][0-9A-Za-z\\u4e00-\\u9fff._-]{0,${PROJECT_NO_MAX - 1}}$`;

export const ProjectNoParam = Type.Object({
  projectNo: Type.String({
    minLength: 1,
    maxLength: PROJECT_NO_MAX,
    pattern: PROJECT_NO_PATTERN,
    description: `办件编号（业务系统的编号，1–${PROJECT_NO_MAX} 位字母、数字、汉字或 - _ .）`,
  }),
});

const Time = (description: string) =>
  Type.String({ minLength: 1, maxLength: 40, description: `${description}：ISO-8601，如 2026-11-23T10:00:00+08:00（不带时区按北京时间）` });

export const PutMatterBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, description: '窗口的评议码（决定所属部门）' }),
    taskCode: Type.String({ minLength: 1, maxLength: TASK_CODE_MAX, description: '事项编码' }),
    taskName: Type.String({ minLength: 1, maxLength: TASK_NAME_MAX, description: '事项名称' }),
    staffName: Type.Optional(Nullable(Type.String({ maxLength: STAFF_NAME_MAX, description: '经办人' }))),
    applicantType: Type.Optional(Nullable(lit(APPLICANT_TYPES, { description: 'person 个人；legal 法人' }))),
    applicantPhone: Type.Optional(Nullable(Type.String({ maxLength: 20, description: '申请人手机号（可选，加密保存，只显示打码）' }))),
    status: lit(MATTER_STATUSES, { description: 'accepted 已受理；finished 已办结；rejected 不予受理/退回' }),
    acceptedAt: Time('受理时间'),
    finishedAt: Type.Optional(Nullable(Time('办结时间（finished 时必填）'))),
    promisedDate: Type.Optional(Nullable(DateString)),
    source: Type.Optional(Nullable(lit(MATTER_SOURCES, { description: '申办渠道' }))),
  },
  { additionalProperties: false },
);
export type PutMatterInput = Static<typeof PutMatterBody>;

/**
 * How an error message names each field of a push: in Chinese and by its JSON name, for the business
 * system's developers who read them (the validation errors, the service's checks, 409 on frozen fields).
 */
export const MATTER_FIELD_LABELS: Record<keyof PutMatterInput, string> = {
  code: '评议码（code）',
  taskCode: '事项编码（taskCode）',
  taskName: '事项名称（taskName）',
  staffName: '经办人（staffName）',
  applicantType: '申请人类型（applicantType）',
  applicantPhone: '申请人手机号（applicantPhone）',
  status: '状态（status）',
  acceptedAt: '受理时间（acceptedAt）',
  finishedAt: '办结时间（finishedAt）',
  promisedDate: '承诺办结日期（promisedDate）',
  source: '申办渠道（source）',
};

export const MatterRatingView = Type.Object({
  id: Type.Integer(),
  score: Type.Integer(),
  assessNumber: Type.Integer({ description: '1 首次评价；2 追评' }),
  channel: lit(RATING_CHANNELS),
  createdAt: Type.Integer(),
  superseded: Type.Boolean({ description: 'true：已被追评取代（不计入统计，仍保留）' }),
});
export type MatterRatingView = Static<typeof MatterRatingView>;

export const MatterView = Type.Object({
  projectNo: Type.String(),
  status: lit(MATTER_STATUSES),
  code: Type.String(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  location: Type.String({ description: '窗口（评议码的位置）' }),
  taskCode: Type.String(),
  taskName: Type.String(),
  staffName: Nullable(Type.String()),
  applicantType: Nullable(lit(APPLICANT_TYPES)),
  applicantPhone: Nullable(Type.String({ description: '打码的手机号，如 138****1234' })),
  applicantPhoneErased: Type.Boolean({ description: '手机号已按保留期限删除' }),
  source: Nullable(lit(MATTER_SOURCES)),
  acceptedAt: Type.Integer(),
  finishedAt: Nullable(Type.Integer()),
  promisedDate: Nullable(DateString),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
  ratings: Type.Array(MatterRatingView),
  reportCase: Type.Optional(
    Nullable(
      Type.Object(
        { id: Type.Integer(), caseNo: Type.String({ description: '受理编号' }) },
        { description: '不予受理的办件经办不成事链接反映后立的案件（仅 GET 返回；无则 null）' },
      ),
    ),
  ),
});
export type MatterView = Static<typeof MatterView>;

export const RatingLinkView = Type.Object({
  url: Type.String({ description: '{PUBLIC_BASE_URL}/e/{token}' }),
  token: Type.String(),
  expiresAt: Type.Integer({ description: '有效期至（办结时间，或不予受理的时间，+ 设置的天数）' }),
  qrSvg: Type.String({ description: '链接的二维码（SVG）' }),
  smsText: Type.String({ description: '可由业务系统自己的短信网关发送的短信内容（平台不发短信）' }),
});
export type RatingLinkView = Static<typeof RatingLinkView>;

export const MatterListQuery = Type.Object({
  departmentId: Type.Optional(Id),
  status: Type.Optional(lit(MATTER_STATUSES)),
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  limit: PageFields.limit,
  offset: PageFields.offset,
});
export type MatterListQuery = Static<typeof MatterListQuery>;

export const MatterListItem = Type.Object({
  projectNo: Type.String(),
  status: lit(MATTER_STATUSES),
  taskName: Type.String(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  location: Type.String(),
  staffName: Nullable(Type.String()),
  acceptedAt: Type.Integer(),
  finishedAt: Nullable(Type.Integer()),
  ratingCount: Type.Integer(),
});
export type MatterListItem = Static<typeof MatterListItem>;

export const MatterList = Type.Object({ matters: Type.Array(MatterListItem), total: Type.Integer() });
export type MatterList = Static<typeof MatterList>;
