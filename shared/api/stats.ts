// Request and response schemas of the statistics routes. Responses are allow-lists: a rating's phone
// appears only as the masked `phone` of the rating lists.
import { type Static, Type } from 'typebox';
import { type OrgKind, RATING_CHANNELS, type RatingChannel } from '../domain.js';
import { DateString, FileBytes, Id, LiteralUnion, MonthString, Nullable, PageFields } from './common.js';

const Int = Type.Integer();
const Rate = Nullable(Type.Number({ description: '0..1；分母为 0 时为 null' }));
const Score = Nullable(Type.Number({ description: '综合评分 0..100；无评价时为 null' }));

/**
 * A string the server answers with one of a closed set of values: typed as that set, while the JSON
 * Schema stays a plain string (the documented and serialized answer is unchanged).
 */
function StringOf<T extends string>() {
  return Type.Unsafe<T>(Type.String());
}

const ScoreCounts = Type.Object({ '1': Int, '2': Int, '3': Int, '4': Int, '5': Int });
const ScoreShares = Type.Object({ '1': Rate, '2': Rate, '3': Rate, '4': Rate, '5': Rate });

const RatingIndicatorFields = {
  /** 评价数: counted ratings. */
  total: Int,
  byScore: ScoreCounts,
  /** Share of each level, 0..1. */
  shares: ScoreShares,
  goodCount: Int,
  badCount: Int,
  realNameCount: Int,
  /** 好评率 = (5+4+3) / total. */
  goodRate: Rate,
  /** 差评率 = (2+1) / total. */
  badRate: Rate,
  /** 综合评分 = mean score × 20. */
  score: Score,
  /** 办结办件数: 办件 whose 办结 (China day) falls in the period. */
  finishedMatters: Int,
  /** 已评价办件数: of those, the ones a citizen rated (a default rating is not one). */
  ratedMatters: Int,
  /** 评价率 = ratedMatters / finishedMatters; null without a finished 办件. */
  ratingRate: Rate,
  /** 默认评价数: counted system default ratings (channel default) among `total`. */
  defaults: Int,
  /** 主动评价好评率 = good citizen ratings / citizen ratings (`total` without the default ratings). */
  activeGoodRate: Rate,
  /** 暂扣待核查: ratings of the period held for review, counted in none of the figures above. */
  held: Int,
};

const CaseIndicatorFields = {
  /** 差评必查 cases of the period's ratings. */
  cases: Int,
  openCases: Int,
  /** 实名差评 and how many of their cases reached 已回访核实. */
  realNameBad: Int,
  realNameBadVisited: Int,
  /** 实名差评回访率. */
  visitRate: Rate,
  validBad: Int,
  validRectified: Int,
  /** 差评整改率 = valid 差评 rectified / valid 差评. */
  rectifyRate: Rate,
  answered: Int,
  answeredSatisfied: Int,
  /** 整改满意率 = answered 满意 or 基本满意 / answered. */
  satisfactionRate: Rate,
  closed: Int,
  closedOnTime: Int,
  /** Of the period's 差评 cases, those not closed and already past their deadline today (逾期未办结). */
  overdueOpen: Int,
  /** 按期办结率 = closed within the deadline / (closed + overdueOpen): an overdue open case is already late. */
  onTimeRate: Rate,
};

const IndicatorFields = { ...RatingIndicatorFields, ...CaseIndicatorFields };
const PeriodFields = { from: Type.String(), to: Type.String() };

/** The indicators of docs/domain.md, computed once by server/modules/stats/indicators.ts. */
export const RatingIndicators = Type.Object(RatingIndicatorFields);
export const CaseIndicators = Type.Object(CaseIndicatorFields);
export const Indicators = Type.Object(IndicatorFields);

export const Granularity = Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]);

// ---- Queries ----

export const RangeQuery = Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString) });
export const DeptRangeQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
});
/**
 * What GET /api/stats/codes sorts by: the code id or the location (A to Z unless told otherwise; numbers in
 * a location by value, 2号窗口 before 10号窗口), or one of the figures of its row (highest first unless told
 * otherwise; a rate of a code without ratings, null, comes last either way). Ties go by code id. Without
 * `sort`: by department, location and code id, texts byte by byte (the order the list always had).
 */
const CodeSort = LiteralUnion(
  [
    'code',
    'location',
    'total',
    'goodCount',
    'badCount',
    'realNameCount',
    'goodRate',
    'badRate',
    'score',
    'submissions',
    'opens',
    'finishedMatters',
    'ratingRate',
    'activeGoodRate',
  ] as const,
  {
    description:
      '排序：code、location（默认升序；位置中的数字按数值，2号窗口在10号窗口之前）或各项指标（默认降序，无评价的比率排在最后）；相同时按评议码；不传则按部门、位置、评议码',
  },
);
export const CodeStatsQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
  ...PageFields,
  sort: Type.Optional(CodeSort),
});
export const TrendQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
  granularity: Type.Optional(Granularity),
});
export const CommentsQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export const RatingsQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
  codeId: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' })),
  score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  kind: Type.Optional(Type.Union([Type.Literal('good'), Type.Literal('bad')])),
  realName: Type.Optional(Type.Boolean()),
  /** One reason tag the rating carries (exactly, as stored). */
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 30, description: '理由标签（完全一致）' })),
  hasComment: Type.Optional(Type.Boolean({ description: 'true：只看有留言的；false：只看无留言的' })),
  /** Held for review now: true lists only those (they count in no figure), false none of them. */
  held: Type.Optional(Type.Boolean({ description: 'true：只看暂扣待核查的评价（不计入任何指标）；false：不含' })),
  flagged: Type.Optional(Type.Boolean({ description: 'true：只看被防刷规则标记过的评价（含已放行、已排除的）；false：不含' })),
  channel: Type.Optional(
    LiteralUnion(RATING_CHANNELS, {
      description: '渠道：qr 二维码、link 评价链接、kiosk 评价器、default 系统默认、paper 纸质问卷、12345 12345热线',
    }),
  ),
  bound: Type.Optional(Type.Boolean({ description: 'true：只看绑定办件的评价；false：只看未绑定办件的' })),
  includeExcluded: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});
export const CsvQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  sheet: Type.Optional(Type.Union([Type.Literal('departments'), Type.Literal('ratings')])),
});
/**
 * What GET /api/stats/matters/staff and /tasks sort by: a figure (highest first unless told otherwise; a
 * rate without data, null, last either way) or the name (经办人 or 事项, A to Z). Without `sort`: most 差评
 * first. Ties go by 办结办件数 (most first), then by name; 办件 without a 经办人 come last by name.
 */
const MatterSort = LiteralUnion(['badCount', 'ratingRate', 'activeGoodRate', 'finishedMatters', 'citizenRatings', 'name'] as const, {
  description:
    '排序：badCount（默认，差评多的在前）、ratingRate、activeGoodRate、finishedMatters、citizenRatings（默认降序，无数据的比率排在最后）或 name（默认升序，未登记经办人的排在最后）',
});
export const MatterFiguresQuery = Type.Object({
  departmentId: Id,
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  ...PageFields,
  sort: Type.Optional(MatterSort),
});
export const PublicRankingsQuery = Type.Object({ month: Type.Optional(MonthString), orgUnitId: Type.Optional(Id) });

// ---- Responses ----

export const DepartmentStats = Type.Object({
  id: Int,
  name: Type.String(),
  orgUnitId: Int,
  orgUnitName: Type.String(),
  ...IndicatorFields,
  rank: Nullable(Int),
  insufficient: Type.Boolean({ description: '样本不足：评价数少于最少样本数，不参与排名' }),
  goodRateLower: Rate,
});

export const DepartmentsResponse = Type.Object({
  ...PeriodFields,
  minSample: Int,
  rankedAmong: Int,
  departments: Type.Array(DepartmentStats),
});

export const OrgUnitStats = Type.Object({
  id: Int,
  name: Type.String(),
  kind: StringOf<OrgKind>(),
  departments: Int,
  ...IndicatorFields,
});

export const SummaryResponse = Type.Object({
  ...PeriodFields,
  ...IndicatorFields,
  departments: Int,
  orgUnits: Type.Array(OrgUnitStats),
});

export const TrendPoint = Type.Object({ ...PeriodFields, ...IndicatorFields });

export const TrendResponse = Type.Object({
  ...PeriodFields,
  granularity: StringOf<Granularity>(),
  points: Type.Array(TrendPoint),
});

export const CodeStats = Type.Object({
  codeId: Type.String(),
  departmentId: Int,
  departmentName: Type.String(),
  location: Type.String(),
  staffName: Nullable(Type.String()),
  active: Type.Boolean(),
  /** Every stored rating, counted or not, and landing-page opens (the scan funnel). */
  submissions: Int,
  opens: Int,
  ...RatingIndicatorFields,
});

export const CodesResponse = Type.Object({
  ...PeriodFields,
  /** Codes in scope (and of `departmentId`): the length of the whole list, of which `codes` may be one page. */
  total: Int,
  codes: Type.Array(CodeStats),
});

/**
 * The 办件 figures of one 经办人 or 事项 (daily_matter_stats), over the 办件 that finished in the period:
 * how many finished, how many a citizen rated, and the counted latest citizen rating of each by level
 * (a 追评 replaces the first); default ratings apart.
 */
const MatterFigureFields = {
  finishedMatters: Int,
  ratedMatters: Int,
  /** 评价率 = ratedMatters / finishedMatters. */
  ratingRate: Rate,
  /** 主动评价数: the counted latest citizen rating of each rated 办件 (no default ratings). */
  citizenRatings: Int,
  byScore: ScoreCounts,
  goodCount: Int,
  /** 差评数 (非常不满意 + 不满意). */
  badCount: Int,
  /** 主动评价好评率 = goodCount / citizenRatings. */
  activeGoodRate: Rate,
  /** 办件 given a system default rating. */
  defaults: Int,
};
export const MatterFigures = Type.Object(MatterFigureFields);

const MatterListFields = {
  ...PeriodFields,
  departmentId: Int,
  departmentName: Type.String(),
  /** Rows of the whole list, of which the answer may be one page. */
  total: Int,
  /** The department's figures over the same 办件 (every row summed). */
  totals: MatterFigures,
};

export const StaffFigures = Type.Object({
  staffName: Nullable(Type.String({ description: '经办人；业务系统未提供时为 null' })),
  ...MatterFigureFields,
});
export const StaffFiguresResponse = Type.Object({ ...MatterListFields, staff: Type.Array(StaffFigures) });

export const TaskFigures = Type.Object({
  taskCode: Type.String(),
  taskName: Type.String({ description: '事项名称（区间内最近一次推送的名称）' }),
  ...MatterFigureFields,
});
export const TaskFiguresResponse = Type.Object({ ...MatterListFields, tasks: Type.Array(TaskFigures) });

export const TagCount = Type.Object({ tag: Type.String(), kind: StringOf<'good' | 'bad' | 'other'>(), count: Int });

export const TagsResponse = Type.Object({
  ...PeriodFields,
  tags: Type.Array(TagCount),
});

export const HeatmapResponse = Type.Object({
  ...PeriodFields,
  total: Type.Array(Type.Array(Int), { description: '7 行（周一…周日）× 24 列（0–23 时，北京时间）' }),
  bad: Type.Array(Type.Array(Int)),
});

/**
 * As of today, whatever the period: 差评 cases not closed, those past their deadline (逾期), and of each
 * the ones waiting on the supervisor (申诉复核, 办结): the rest are the departments' to-do (待整改).
 */
const OpenCaseFields = {
  unclosed: Int,
  overdue: Int,
  waitingOnSupervisor: Int,
  overdueWaitingOnSupervisor: Int,
};

export const CaseDepartmentStats = Type.Object({ id: Int, name: Type.String(), ...CaseIndicatorFields, ...OpenCaseFields });

export const CasesResponse = Type.Object({
  ...PeriodFields,
  ...CaseIndicatorFields,
  ...OpenCaseFields,
  departments: Type.Array(CaseDepartmentStats),
});

export const CommentView = Type.Object({
  id: Int,
  createdAt: Int,
  time: Type.String(),
  departmentId: Int,
  departmentName: Type.String(),
  location: Type.String(),
  score: Int,
  comment: Type.String(),
});

export const CommentsResponse = Type.Object({
  ...PeriodFields,
  comments: Type.Array(CommentView),
});

/** A rating as staff and exports see it: masked, never a full phone number. */
export const RatingView = Type.Object({
  id: Int,
  createdAt: Int,
  /** China local time 'YYYY-MM-DD HH:mm:ss'. */
  time: Type.String(),
  day: Type.String(),
  departmentId: Int,
  departmentName: Type.String(),
  codeId: Type.String(),
  location: Type.String(),
  score: Int,
  /** 非常满意 … 非常不满意. */
  wording: Type.String(),
  tags: Type.Array(Type.String()),
  comment: Nullable(Type.String()),
  phone: Nullable(Type.String({ description: '脱敏手机号（138****1234）' })),
  realName: Type.Boolean(),
  flagged: Type.Boolean(),
  excluded: Type.Boolean(),
  /** Held for review: counted nowhere until a supervisor's decision (listed only with includeExcluded). */
  held: Type.Boolean(),
  /** qr 二维码 / link 评价链接 / kiosk 评价器 / default 系统默认. */
  channel: StringOf<RatingChannel>(),
  /** 1 首次评价, 2 追评 of a 办件; null for a window code's rating. */
  assessNumber: Nullable(Int),
  /** Replaced in every figure by its 办件's 追评 (listed only with includeExcluded). */
  superseded: Type.Boolean(),
});

export const RatingsResponse = Type.Object({
  ...PeriodFields,
  total: Int,
  totalCapped: Type.Boolean({ description: 'true: 至少 total 条（按行计数的筛选只数到上限）' }),
  limit: Int,
  offset: Int,
  ratings: Type.Array(RatingView),
});

export const RollupMismatch = Type.Object({
  table: Type.String(),
  /** The row's key, e.g. { codeId, day }. */
  key: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  // Counts, and for the running totals the last submission/open day ('YYYY-MM-DD' or null): as
  // recounted from raw rows (`expected`) and as stored in the rollup (`actual`); null: no such row.
  expected: Type.Union([Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()])), Type.Null()]),
  actual: Type.Union([Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()])), Type.Null()]),
});

export const VerifyResponse = Type.Object({
  ok: Type.Boolean(),
  /** Total mismatching rows; `mismatches` lists at most 100 of them. */
  mismatchCount: Int,
  mismatches: Type.Array(RollupMismatch),
  checked: Type.Record(Type.String(), Int),
});

/** A department as the public page shows it: figures only, no personal data, no comments. */
export const PublicDepartment = Type.Object({
  name: Type.String(),
  orgUnitName: Type.String(),
  total: Int,
  goodCount: Int,
  badCount: Int,
  goodRate: Rate,
  badRate: Rate,
  score: Score,
  rank: Nullable(Int),
  insufficient: Type.Boolean(),
  /** 有效差评 and how many of them were rectified (整改). */
  validBad: Int,
  rectifiedCount: Int,
  rectifyRate: Rate,
  closed: Int,
  closedOnTime: Int,
  /** 逾期未办结: counted as late in 按期办结率. */
  overdueOpen: Int,
  onTimeRate: Rate,
  /** 办结办件数, 已评价办件数, 评价率 and 主动评价好评率 (docs/domain.md §6). */
  finishedMatters: Int,
  ratedMatters: Int,
  ratingRate: Rate,
  activeGoodRate: Rate,
  /** 办不成事 of the month in the department: counts only (docs/domain.md 4.7). */
  cannotHandleReports: Type.Integer({ description: '办不成事：当月反映件数（按反映日期）' }),
  cannotHandleClosed: Type.Integer({ description: '其中已办结' }),
  cannotHandleSolved: Type.Integer({ description: '其中已解决（办结且群众满意或基本满意）' }),
});

export const PublicRankingsResponse = Type.Object({
  month: Type.String(),
  ...PeriodFields,
  minSample: Int,
  orgUnit: Nullable(Type.Object({ id: Int, name: Type.String() })),
  orgUnits: Type.Array(Type.Object({ id: Int, parentId: Nullable(Int), kind: StringOf<OrgKind>(), name: Type.String() })),
  departments: Type.Array(PublicDepartment),
});

export const FileResponse = FileBytes('文件（流式下载）');

// ---- The same shapes as types: what the statistics service returns and the pages read ----

export type ScoreKey = keyof Static<typeof ScoreCounts>;
export type RatingIndicators = Static<typeof RatingIndicators>;
export type CaseIndicators = Static<typeof CaseIndicators>;
export type Indicators = Static<typeof Indicators>;
export type Granularity = Static<typeof Granularity>;

export type RangeQuery = Static<typeof RangeQuery>;
export type DeptRangeQuery = Static<typeof DeptRangeQuery>;
export type CodeStatsQuery = Static<typeof CodeStatsQuery>;
export type CodeSort = Static<typeof CodeSort>;
export type TrendQuery = Static<typeof TrendQuery>;
export type CommentsQuery = Static<typeof CommentsQuery>;
export type RatingsQuery = Static<typeof RatingsQuery>;
export type CsvQuery = Static<typeof CsvQuery>;
export type PublicRankingsQuery = Static<typeof PublicRankingsQuery>;
export type MatterFiguresQuery = Static<typeof MatterFiguresQuery>;
export type MatterSort = Static<typeof MatterSort>;

export type DepartmentStats = Static<typeof DepartmentStats>;
export type DepartmentsResponse = Static<typeof DepartmentsResponse>;
export type OrgUnitStats = Static<typeof OrgUnitStats>;
export type SummaryResponse = Static<typeof SummaryResponse>;
export type TrendPoint = Static<typeof TrendPoint>;
export type TrendResponse = Static<typeof TrendResponse>;
export type CodeStats = Static<typeof CodeStats>;
export type CodesResponse = Static<typeof CodesResponse>;
export type MatterFigures = Static<typeof MatterFigures>;
export type StaffFigures = Static<typeof StaffFigures>;
export type StaffFiguresResponse = Static<typeof StaffFiguresResponse>;
export type TaskFigures = Static<typeof TaskFigures>;
export type TaskFiguresResponse = Static<typeof TaskFiguresResponse>;
export type TagCount = Static<typeof TagCount>;
export type TagsResponse = Static<typeof TagsResponse>;
export type HeatmapResponse = Static<typeof HeatmapResponse>;
export type CaseDepartmentStats = Static<typeof CaseDepartmentStats>;
export type CasesResponse = Static<typeof CasesResponse>;
export type CommentView = Static<typeof CommentView>;
export type CommentsResponse = Static<typeof CommentsResponse>;
export type RatingView = Static<typeof RatingView>;
export type RatingsResponse = Static<typeof RatingsResponse>;
export type RollupMismatch = Static<typeof RollupMismatch>;
export type VerifyResponse = Static<typeof VerifyResponse>;
export type PublicDepartment = Static<typeof PublicDepartment>;
export type PublicRankingsResponse = Static<typeof PublicRankingsResponse>;
