// The data of the citizen page, embedded by the server as <script id="page-data" type="application/json">
// (GET /r/{code}, GET /e/{token}, GET /s/{token}). The page's bundle imports these as types only: nothing here reaches it.
import { type Static, Type } from 'typebox';
import { PublicEventSchema, PublicStatusSchema } from './cases.js';
import { LiteralUnion, Nullable } from './common.js';
import { Guide } from './guides.js';

/** Who issues the page, named in its header (settings citizen.authority; '' → the product's name). */
const authority = Type.String();

/** A code that can be rated: where, whom, and the reasons the citizen may pick. */
export const RatePageData = Type.Object({
  kind: Type.Literal('rate'),
  authority,
  code: Type.String(),
  departmentName: Type.String(),
  location: Type.String(),
  staffName: Nullable(Type.String()),
  tags: Type.Object({ good: Type.Array(Type.String()), bad: Type.Array(Type.String()) }),
  commentMax: Type.Integer(),
  /** Settings limits.perCodeMinutes: the phone's receipt stands in for the form that long after a rating. */
  perCodeMinutes: Type.Integer(),
});
export type RateData = Static<typeof RatePageData>;

/**
 * A 办件's one-time rating link (GET /e/{token}, 一次一评): what was done, where and when, and how many
 * ratings it has had. No personal data: neither the applicant's phone nor the 经办人's name.
 */
export const MatterPageData = Type.Object({
  kind: Type.Literal('matter'),
  authority,
  token: Type.String(),
  taskName: Type.String(),
  departmentName: Type.String(),
  location: Type.String(),
  /** The 办结 day, Beijing time, as the citizen reads it: 11月22日. */
  finishedOn: Type.String(),
  /** The end of the link's period (ISO): a rating, or the 追评, until then. */
  expiresAt: Type.String(),
  /** Ratings given so far: 0, 1 (the 追评 is still open) or 2 (no form). */
  rated: Type.Integer(),
  /** What the page says of that: "，请评价", "，您已评价过，可在 … 前追评一次", "，您已评价并追评过…". */
  standing: Type.String(),
  tags: RatePageData.properties.tags,
  commentMax: Type.Integer(),
});
export type MatterData = Static<typeof MatterPageData>;

/**
 * An unknown or disabled code, an unknown or expired 办件 link, or an unknown case link; a disabled
 * code and an expired link still say where they were.
 */
export const MissingPageData = Type.Object({
  kind: Type.Literal('missing'),
  authority,
  code: Type.String(),
  reason: LiteralUnion(['unknown', 'disabled', 'case', 'link', 'expired', 'guide'] as const),
  /** What the page says (server/modules/ratings/citizen-page.ts): kept out of the page's 12 KB bundle. */
  title: Type.String(),
  advice: Type.String(),
  /** Where else the citizen can turn (settings citizen.hotline, e.g. 12345 政务服务便民热线); '' for none. */
  hotline: Type.String(),
  departmentName: Type.Optional(Type.String()),
  location: Type.Optional(Type.String()),
});
export type MissingData = Static<typeof MissingPageData>;

/** The citizen's status view of a case (GET /s/{token}): its public status, with times as ISO strings. */
export const CasePageData = Type.Object({
  kind: Type.Literal('case'),
  authority,
  ...PublicStatusSchema.properties,
  createdAt: Type.String(),
  events: Type.Array(Type.Object({ ...PublicEventSchema.properties, at: Type.String() })),
});
export type CaseData = Static<typeof CasePageData>;

/** 找回进度 (GET /s/): the form asking for the case number and the phone's last 4 digits. */
export const LookupPageData = Type.Object({ kind: Type.Literal('lookup'), authority, hotline: Type.String() });
export type LookupData = Static<typeof LookupPageData>;

/**
 * 办事指南 (GET /g/{id}): the guide as the citizen reads it, and the window the page links to for a
 * rating and for 办不成事: the one it was opened from (`?code=`), else the guide's first ('' for none).
 */
export const GuidePageData = Type.Object({ kind: Type.Literal('guide'), authority, guide: Guide, code: Type.String() });
export type GuideData = Static<typeof GuidePageData>;

/** A window's guides (GET /g/?code=X, linked from its rating page). */
export const GuideListPageData = Type.Object({
  kind: Type.Literal('guides'),
  authority,
  code: Type.String(),
  departmentName: Type.String(),
  location: Type.String(),
  guides: Type.Array(Type.Object({ id: Type.Integer(), taskName: Type.String(), promisedDays: Nullable(Type.Integer()) })),
});
export type GuideListData = Static<typeof GuideListPageData>;

/**
 * 办不成事 (GET /b/{code}, or GET /e/{token} of a rejected 办件): the window the citizen reports about, and
 * the 事项 a guide linked with (?task=) or the 办件's.
 */
export const ReportPageData = Type.Object({
  kind: Type.Literal('report'),
  authority,
  code: Type.String(),
  departmentName: Type.String(),
  location: Type.String(),
  subject: Type.String(),
  subjectMax: Type.Integer(),
  descriptionMax: Type.Integer(),
  /** A rejected 办件's link (GET /e/{token}): the report is sent with it, bound to the 办件. */
  token: Type.Optional(Type.String()),
});
export type ReportData = Static<typeof ReportPageData>;

/**
 * 金点子 (GET /i/{code}, GET /i/): the suggestion form, at a window (its department) or naming a
 * department from the list (`departments`, only without a code).
 */
export const SuggestPageData = Type.Object({
  kind: Type.Literal('suggest'),
  authority,
  code: Type.String(),
  departmentName: Type.String(),
  location: Type.String(),
  departments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  /** The choices, written by the server (SUGGESTION_CATEGORIES, SUBMITTER_TYPES): not in the bundle. */
  categories: Type.Array(Type.String()),
  submitterTypes: Type.Array(Type.String()),
});
export type SuggestData = Static<typeof SuggestPageData>;

export const PageDataSchema = Type.Union([
  RatePageData,
  MatterPageData,
  MissingPageData,
  CasePageData,
  LookupPageData,
  GuidePageData,
  GuideListPageData,
  ReportPageData,
  SuggestPageData,
]);
export type PageData = Static<typeof PageDataSchema>;
