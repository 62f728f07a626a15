import { Type } from 'typebox';
import { Nullable } from './common.js';

export const DepartmentView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  orgUnitId: Type.Integer(),
  orgUnitName: Type.String(),
  active: Type.Boolean(),
  sortOrder: Type.Integer(),
});

export const OrgUnitView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  kind: Type.Union([Type.Literal('city'), Type.Literal('county')]),
  name: Type.String(),
});

export const CreateDepartmentBody = Type.Object(
  {
    orgUnitId: Type.Integer({ minimum: 1 }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  },
  { additionalProperties: false },
);
