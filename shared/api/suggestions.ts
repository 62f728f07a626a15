// 金点子 (docs/api.md, 金点子; docs/domain.md): suggestions submitted without login, answered by staff,
// published without personal data.
import { type Static, Type } from 'typebox';
import {
  SUBMITTER_TYPES,
  SUGGESTION_ANSWER_MAX,
  SUGGESTION_CATEGORIES,
  SUGGESTION_CONTACT_MAX,
  SUGGESTION_CONTENT_MAX,
  SUGGESTION_DECISIONS,
  SUGGESTION_TITLE_MAX,
} from '../domain.js';
import { DateString, Id, LiteralUnion, Nullable, PageFields } from './common.js';

const Category = LiteralUnion(SUGGESTION_CATEGORIES, { description: '类别' });
const SubmitterType = LiteralUnion(SUBMITTER_TYPES, { description: '提出人身份' });
const Decision = LiteralUnion(SUGGESTION_DECISIONS, { description: '答复：adopted 采纳 / partial 部分采纳 / declined 暂不采纳' });

/** POST /api/public/suggestions (no login): a window's code or a department, and the suggestion. */
export const SuggestionBody = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '评议码（从窗口提出时）' })),
    departmentId: Type.Optional({ ...Id, description: '部门（不经评议码时必填）' }),
    category: Category,
    title: Type.String({ minLength: 1, maxLength: SUGGESTION_TITLE_MAX, description: '标题' }),
    content: Type.String({ minLength: 1, maxLength: SUGGESTION_CONTENT_MAX, description: '建议内容' }),
    submitterType: SubmitterType,
    contact: Type.Optional(
      Type.String({ maxLength: SUGGESTION_CONTACT_MAX, description: '联系方式（姓名或手机号，可选，须同时 consent: true）' }),
    ),
    consent: Type.Optional(Type.Boolean({ description: '同意工作人员用此联系方式联系' })),
  },
  { additionalProperties: false },
);
export type SuggestionInput = Static<typeof SuggestionBody>;
export const SuggestionCreated = Type.Object({ suggestionNo: Type.String({ description: '建议编号' }) });

/** An answer (staff): its reason always, what was done for 采纳 / 部分采纳. */
export const AnswerBody = Type.Object(
  {
    decision: Decision,
    reason: Type.String({ maxLength: SUGGESTION_ANSWER_MAX, description: '答复理由' }),
    action: Type.Optional(Type.String({ maxLength: SUGGESTION_ANSWER_MAX, description: '采取的措施（采纳、部分采纳时必填）' })),
  },
  { additionalProperties: false },
);
export type AnswerInput = Static<typeof AnswerBody>;

export const SuggestionListQuery = Type.Object({
  status: Type.Optional(LiteralUnion(['pending', 'answered'] as const, { description: '待答复 / 已答复' })),
  departmentId: Type.Optional(Id),
  category: Type.Optional(Category),
  limit: PageFields.limit,
  offset: PageFields.offset,
});

/** A suggestion as staff see it (the contact masked). */
export const StaffSuggestion = Type.Object({
  id: Type.Integer(),
  suggestionNo: Type.String(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  codeId: Nullable(Type.String()),
  category: Type.String(),
  title: Type.String(),
  content: Type.String(),
  submitterType: Type.String(),
  contactMasked: Nullable(Type.String({ description: '联系方式（脱敏；已删除时为“已删除”）' })),
  createdAt: Type.Integer(),
  decision: Nullable(Decision),
  reason: Nullable(Type.String()),
  action: Nullable(Type.String()),
  answeredAt: Nullable(Type.Integer()),
  answeredByName: Nullable(Type.String()),
  answerCount: Type.Integer({ description: '答复次数（大于 1 表示答复被修改过）' }),
});
export type StaffSuggestionT = Static<typeof StaffSuggestion>;
export const StaffSuggestionList = Type.Object({ total: Type.Integer(), suggestions: Type.Array(StaffSuggestion) });
export type StaffSuggestionListT = Static<typeof StaffSuggestionList>;

/** An answered suggestion as the public page shows it: no contact, no submitter. */
const PublicSuggestion = Type.Object({
  suggestionNo: Type.String(),
  title: Type.String(),
  category: Type.String(),
  departmentName: Type.String(),
  decision: Decision,
  reason: Type.String(),
  action: Nullable(Type.String()),
  submittedDay: Type.String({ description: '提出日期 YYYY-MM-DD' }),
  answeredDay: Type.String({ description: '答复日期 YYYY-MM-DD' }),
});
const Counts = {
  total: Type.Integer({ description: '收到的建议' }),
  answered: Type.Integer({ description: '已答复' }),
  adopted: Type.Integer({ description: '采纳' }),
  partial: Type.Integer({ description: '部分采纳' }),
  declined: Type.Integer({ description: '暂不采纳' }),
  adoptionRate: Nullable(Type.Number({ description: '采纳率 =（采纳 + 部分采纳）/ 已答复' })),
};
export const SuggestionFigures = Type.Object({
  ...Counts,
  submitterTypes: Type.Array(Type.Object({ submitterType: Type.String(), count: Type.Integer() })),
  departments: Type.Array(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), ...Counts })),
});
export type SuggestionFiguresT = Static<typeof SuggestionFigures>;
export const PublicSuggestionsQuery = Type.Object({
  departmentId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: '每页条数（默认 20）' })),
  offset: PageFields.offset,
});
export const PublicSuggestions = Type.Object({
  total: Type.Integer({ description: '已答复（公开）的条数' }),
  suggestions: Type.Array(PublicSuggestion),
  figures: SuggestionFigures,
  /** The departments a suggestion can name (the public form's list). */
  departments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), orgUnitName: Type.String() })),
});
export type PublicSuggestionsT = Static<typeof PublicSuggestions>;
export const ContactResponse = Type.Object({ contact: Type.String() });

/** GET /api/stats/suggestions (staff, in scope): the 金点子 submitted in a period, per department. */
export const SuggestionPeriodQuery = Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString) });
export const SuggestionPeriodFigures = Type.Object({
  from: Type.String(),
  to: Type.String(),
  ...Counts,
  departments: Type.Array(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), ...Counts })),
});
export type SuggestionPeriodFiguresT = Static<typeof SuggestionPeriodFigures>;
