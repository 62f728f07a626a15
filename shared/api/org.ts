import { type Static, Type } from 'typebox';
import { ORG_KINDS } from '../domain.js';
import { Id, LiteralUnion, Nullable } from './common.js';

export const DepartmentView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  orgUnitId: Type.Integer(),
  orgUnitName: Type.String(),
  active: Type.Boolean(),
  sortOrder: Type.Integer(),
  creditCode: Nullable(Type.String({ description: '统一社会信用代码（18 位，上报的 deptCode）；未填为 null' })),
});
export type DepartmentView = Static<typeof DepartmentView>;

export const OrgUnitView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  kind: LiteralUnion(ORG_KINDS),
  name: Type.String(),
  areaCode: Nullable(Type.String({ description: '行政区划代码（12 位，上报的 areaCode）；未填为 null' })),
});
export type OrgUnitView = Static<typeof OrgUnitView>;

export const CreateDepartmentBody = Type.Object(
  {
    orgUnitId: Id,
    name: Type.String({ minLength: 1, maxLength: 60 }),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
);
export type CreateDepartmentInput = Static<typeof CreateDepartmentBody>;

/** A department's 统一社会信用代码: null or '' clears it; spaces are dropped and letters upper-cased before the check. */
export const UpdateDepartmentBody = Type.Object(
  { creditCode: Nullable(Type.String({ maxLength: 40, description: '统一社会信用代码（GB 32100，18 位，含校验位）' })) },
  { additionalProperties: false },
);
export type UpdateDepartmentInput = Static<typeof UpdateDepartmentBody>;

/** An org unit's 行政区划代码: null or '' clears it. */
export const UpdateOrgUnitBody = Type.Object(
  { areaCode: Nullable(Type.String({ maxLength: 40, description: '行政区划代码（12 位数字）' })) },
  { additionalProperties: false },
);
export type UpdateOrgUnitInput = Static<typeof UpdateOrgUnitBody>;
