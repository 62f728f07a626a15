import { type Static, Type } from 'typebox';
import { ORG_KINDS } from '../domain.js';
import { LiteralUnion, Nullable } from './common.js';

export const DepartmentView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  orgUnitId: Type.Integer(),
  orgUnitName: Type.String(),
  active: Type.Boolean(),
  sortOrder: Type.Integer(),
});
export type DepartmentView = Static<typeof DepartmentView>;

export const OrgUnitView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  kind: LiteralUnion(ORG_KINDS),
  name: Type.String(),
});
export type OrgUnitView = Static<typeof OrgUnitView>;

export const CreateDepartmentBody = Type.Object(
  {
    orgUnitId: Type.Integer({ minimum: 1 }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
);
export type CreateDepartmentInput = Static<typeof CreateDepartmentBody>;
