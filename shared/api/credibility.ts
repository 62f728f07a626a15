// GET /api/stats/credibility: per window (评议码), how far its stored ratings look steered by staff,
// against its department's baseline (docs/domain.md, 评价可信度). Leads for a 督查, never verdicts.
import { type Static, Type } from 'typebox';
import { DateString, Id, LiteralUnion, Nullable } from './common.js';
import { SettingsSchema } from './settings.js';

const Int = Type.Integer();
const Share = Nullable(Type.Number({ description: '0..1；分母为 0 时为 null' }));

export const CredibilityQuery = Type.Object({
  from: Type.Optional(DateString),
  to: Type.Optional(DateString),
  departmentId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: '每页窗口数（1–500）；不传则返回全部' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: '跳过前面多少个窗口（与 limit 一起用）' })),
});
export type CredibilityQuery = Static<typeof CredibilityQuery>;

/** The three steering signals, in the order a window's `signals` lists them. */
export const CREDIBILITY_SIGNALS = ['bareFive', 'quickRatings', 'vanishingBad'] as const;
export type CredibilitySignal = (typeof CREDIBILITY_SIGNALS)[number];

/** The figures of a set of ratings (a window, or its department as the baseline). */
const ShareFields = {
  /** 评价数: every stored rating, counted or not (excluded, superseded, held and default ones too). */
  ratings: Int,
  /** Ratings a person gave: `ratings` without the system default ratings. */
  citizenRatings: Int,
  flagged: Int,
  /** Bound to a 办件 (link, 评价器, default). */
  bound: Int,
  /** With at least one reason tag or a comment. */
  detailed: Int,
  /** 5★ without any reason or comment, among the citizen ratings. */
  bareFive: Int,
  flaggedShare: Share,
  boundShare: Share,
  detailShare: Share,
  /** bareFive / citizenRatings. */
  bareFiveShare: Share,
};

export const CredibilityBaseline = Type.Object(ShareFields, { description: '本部门全部窗口同一区间的同样数字（含本窗口）' });

export const CredibilityWindow = Type.Object({
  codeId: Type.String(),
  departmentId: Int,
  departmentName: Type.String(),
  location: Type.String(),
  staffName: Nullable(Type.String()),
  ...ShareFields,
  baseline: CredibilityBaseline,
  quick: Type.Object(
    {
      devices: Type.Integer({ description: '办结即评本窗口的办件达到阈值的设备数' }),
      ratings: Type.Integer({ description: '这些设备办结即评的评价数' }),
    },
    { description: '一次性链接的评价中，同一设备在办件办结后几秒内评价（评价器的评价不算）' },
  ),
  vanish: Type.Object(
    {
      recentFrom: Type.String(),
      recentTo: Type.String(),
      recentRatings: Int,
      recentBad: Int,
      priorFrom: Type.String(),
      priorTo: Type.String(),
      priorRatings: Int,
      priorBad: Int,
      priorBadShare: Share,
      /** The department's 差评 share over the same prior days. */
      baselinePriorBadShare: Share,
    },
    { description: '差评骤失：区间最后几天与此前几天计入的群众评价和差评（与差评率同口径）' },
  ),
  /** The signals that fired, in CREDIBILITY_SIGNALS order. */
  signals: Type.Array(LiteralUnion(CREDIBILITY_SIGNALS)),
  /** The thresholds in force for the window's department (its county's settings). */
  thresholds: SettingsSchema.properties.credibility,
});
export type CredibilityWindow = Static<typeof CredibilityWindow>;

export const CredibilityResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  /** Windows with at least one stored rating in the period (the whole list's length). */
  total: Int,
  /** Of those, the windows with at least one signal. */
  withSignals: Int,
  /** Most signals first, then most ratings, then by code. */
  windows: Type.Array(CredibilityWindow),
});
export type CredibilityResponse = Static<typeof CredibilityResponse>;
