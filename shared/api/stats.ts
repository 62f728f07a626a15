// Request and response schemas of the statistics routes. Responses are allow-lists: a rating's phone
// appears only as the masked `phone` of the rating lists.
import { Type } from 'typebox';
import { DateString, MonthString, Nullable } from './common.js';

const Int = Type.Integer();
const Rate = Nullable(Type.Number({ description: '0..1；分母为 0 时为 null' }));
const Score = Nullable(Type.Number({ description: '综合评分 0..100；无评价时为 null' }));
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const ScoreCounts = Type.Object({ '1': Int, '2': Int, '3': Int, '4': Int, '5': Int });
const ScoreShares = Type.Object({ '1': Rate, '2': Rate, '3': Rate, '4': Rate, '5': Rate });

export const RatingIndicatorFields = {
  total: Int,
  byScore: ScoreCounts,
  shares: ScoreShares,
  goodCount: Int,
  badCount: Int,
  realNameCount: Int,
  goodRate: Rate,
  badRate: Rate,
  score: Score,
};

export const CaseIndicatorFields = {
  cases: Int,
  openCases: Int,
  realNameBad: Int,
  realNameBadVisited: Int,
  visitRate: Rate,
  validBad: Int,
  validRectified: Int,
  rectifyRate: Rate,
  answered: Int,
  answeredSatisfied: Int,
  satisfactionRate: Rate,
  closed: Int,
  closedOnTime: Int,
  onTimeRate: Rate,
};

const IndicatorFields = { ...RatingIndicatorFields, ...CaseIndicatorFields };
const PeriodFields = { from: Type.String(), to: Type.String() };

// ---- Queries ----

export const RangeQuery = Type.Object({ from: Type.Optional(DateString), to: Type.Optional(DateString) });
export const DeptRangeQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
});
export const TrendQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
  granularity: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])),
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
  includeExcluded: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});
export const CsvQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  sheet: Type.Optional(Type.Union([Type.Literal('departments'), Type.Literal('ratings')])),
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

export const SummaryResponse = Type.Object({
  ...PeriodFields,
  ...IndicatorFields,
  departments: Int,
  orgUnits: Type.Array(
    Type.Object({ id: Int, name: Type.String(), kind: Type.String(), departments: Int, ...IndicatorFields }),
  ),
});

export const TrendResponse = Type.Object({
  ...PeriodFields,
  granularity: Type.String(),
  points: Type.Array(Type.Object({ ...PeriodFields, ...IndicatorFields })),
});

export const CodesResponse = Type.Object({
  ...PeriodFields,
  codes: Type.Array(
    Type.Object({
      codeId: Type.String(),
      departmentId: Int,
      departmentName: Type.String(),
      location: Type.String(),
      staffName: Nullable(Type.String()),
      active: Type.Boolean(),
      submissions: Int,
      opens: Int,
      ...RatingIndicatorFields,
    }),
  ),
});

export const TagsResponse = Type.Object({
  ...PeriodFields,
  tags: Type.Array(Type.Object({ tag: Type.String(), kind: Type.String(), count: Int })),
});

export const HeatmapResponse = Type.Object({
  ...PeriodFields,
  total: Type.Array(Type.Array(Int), { description: '7 行（周一…周日）× 24 列（0–23 时，北京时间）' }),
  bad: Type.Array(Type.Array(Int)),
});

export const CasesResponse = Type.Object({
  ...PeriodFields,
  ...CaseIndicatorFields,
  unclosed: Int,
  overdue: Int,
  departments: Type.Array(Type.Object({ id: Int, name: Type.String(), ...CaseIndicatorFields, unclosed: Int, overdue: Int })),
});

export const CommentsResponse = Type.Object({
  ...PeriodFields,
  comments: Type.Array(
    Type.Object({
      id: Int,
      createdAt: Int,
      time: Type.String(),
      departmentId: Int,
      departmentName: Type.String(),
      location: Type.String(),
      score: Int,
      comment: Type.String(),
    }),
  ),
});

export const RatingView = Type.Object({
  id: Int,
  createdAt: Int,
  time: Type.String(),
  day: Type.String(),
  departmentId: Int,
  departmentName: Type.String(),
  codeId: Type.String(),
  location: Type.String(),
  score: Int,
  wording: Type.String(),
  tags: Type.Array(Type.String()),
  comment: Nullable(Type.String()),
  phone: Nullable(Type.String({ description: '脱敏手机号（138****1234）' })),
  realName: Type.Boolean(),
  flagged: Type.Boolean(),
  excluded: Type.Boolean(),
});

export const RatingsResponse = Type.Object({
  ...PeriodFields,
  total: Int,
  totalCapped: Type.Boolean({ description: 'true: 至少 total 条（按行计数的筛选只数到上限）' }),
  limit: Int,
  offset: Int,
  ratings: Type.Array(RatingView),
});

const Mismatch = Type.Object({
  table: Type.String(),
  key: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  // Counts, and for the running totals the last submission/open day ('YYYY-MM-DD' or null).
  expected: Type.Union([Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()])), Type.Null()]),
  actual: Type.Union([Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()])), Type.Null()]),
});

export const VerifyResponse = Type.Object({
  ok: Type.Boolean(),
  mismatchCount: Int,
  mismatches: Type.Array(Mismatch),
  checked: Type.Record(Type.String(), Int),
});

export const PublicRankingsResponse = Type.Object({
  month: Type.String(),
  ...PeriodFields,
  minSample: Int,
  orgUnit: Nullable(Type.Object({ id: Int, name: Type.String() })),
  orgUnits: Type.Array(Type.Object({ id: Int, parentId: Nullable(Int), kind: Type.String(), name: Type.String() })),
  departments: Type.Array(
    Type.Object({
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
      validBad: Int,
      rectifiedCount: Int,
      rectifyRate: Rate,
      closed: Int,
      closedOnTime: Int,
      onTimeRate: Rate,
    }),
  ),
});

export const FileResponse = Type.String({ description: '文件（流式下载）' });
