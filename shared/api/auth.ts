import { type Static, Type } from 'typebox';
import { ROLES } from '../domain.js';
import { LiteralUnion, Nullable } from './common.js';

export const RoleSchema = LiteralUnion(ROLES);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const UserView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  orgUnitId: Nullable(Type.Integer()),
  departmentIds: Type.Array(Type.Integer()),
  active: Type.Boolean(),
});
export type UserView = Static<typeof UserView>;

export const LoginResponse = Type.Object({
  token: Type.String(),
  user: Type.Object({
    id: Type.Integer(),
    username: Type.String(),
    role: RoleSchema,
    displayName: Type.String(),
    departmentIds: Type.Array(Type.Integer()),
  }),
});

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 32 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
    displayName: Type.Optional(Type.String({ maxLength: 50 })),
    role: RoleSchema,
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })),
    departmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUserBody>;

/** A new password: the rule of creation (8–256 characters). */
const NewPassword = Type.String({ minLength: 8, maxLength: 256 });

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: NewPassword,
  },
  { additionalProperties: false },
);
export type ChangePasswordInput = Static<typeof ChangePasswordBody>;

/** A fresh token after a password change: every earlier token of the user no longer works. */
export const TokenResponse = Type.Object({ token: Type.String() });

export const ResetPasswordBody = Type.Object({ newPassword: NewPassword }, { additionalProperties: false });

export const UpdateUserBody = Type.Object({ active: Type.Boolean() }, { additionalProperties: false });
