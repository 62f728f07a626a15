// The data of the citizen page, embedded by the server as <script id="page-data" type="application/json">
// (GET /r/{code}, GET /s/{token}). The page's bundle imports these as types only: nothing here reaches it.
import { type Static, Type } from 'typebox';
import { PublicEventSchema, PublicStatusSchema } from './cases.js';
import { LiteralUnion, Nullable } from './common.js';

/** A code that can be rated: where, whom, and the reasons the citizen may pick. */
export const RatePageData = Type.Object({
  kind: Type.Literal('rate'),
  code: Type.String(),
  departmentName: Type.String(),
  location: Type.String(),
  staffName: Nullable(Type.String()),
  tags: Type.Object({ good: Type.Array(Type.String()), bad: Type.Array(Type.String()) }),
  // Absent when the page, without embedded data (vite dev), asked GET /api/codes/{code} itself.
  commentMax: Type.Optional(Type.Integer()),
});
export type RateData = Static<typeof RatePageData>;

/** An unknown or disabled code, or an unknown case link; a disabled code still says where it was. */
export const MissingPageData = Type.Object({
  kind: Type.Literal('missing'),
  code: Type.String(),
  reason: LiteralUnion(['unknown', 'disabled', 'case'] as const),
  departmentName: Type.Optional(Type.String()),
  location: Type.Optional(Type.String()),
});
export type MissingData = Static<typeof MissingPageData>;

/** The citizen's status view of a case (GET /s/{token}): its public status, with times as ISO strings. */
export const CasePageData = Type.Object({
  kind: Type.Literal('case'),
  ...PublicStatusSchema.properties,
  createdAt: Type.String(),
  events: Type.Array(Type.Object({ ...PublicEventSchema.properties, at: Type.String() })),
});
export type CaseData = Static<typeof CasePageData>;

export const PageDataSchema = Type.Union([RatePageData, MissingPageData, CasePageData]);
export type PageData = Static<typeof PageDataSchema>;
