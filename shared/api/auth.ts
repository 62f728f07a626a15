import { type Static, Type } from 'typebox';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, ROLES } from '../domain.js';
import { Id, LiteralUnion, Nullable } from './common.js';

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

/** A new password, at creation, change and reset alike. */
const NewPassword = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 32 }),
    password: NewPassword,
    displayName: Type.Optional(Type.String({ maxLength: 50 })),
    role: RoleSchema,
    orgUnitId: Type.Optional(Id),
    departmentIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUserBody>;

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
