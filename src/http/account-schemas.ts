import { Type } from '@sinclair/typebox';

/**
 * Route schemas of the accounts API (`/v1/users`) and the account flows (`/auth/signup`,
 * `/auth/verify-email`, `/auth/password-reset…`). Wire names are snake_case. Bounds here are
 * loose outer limits; the domain applies the exact rules (e-mail shape, password policy).
 */

const Email = Type.String({ minLength: 1, maxLength: 320 });
/** Outer bound only: the policy decides (its maximum is at most 1024 code points). */
const Password = Type.String({ minLength: 1, maxLength: 4096 });
const Name = Type.Union([Type.String({ maxLength: 400 }), Type.Null()]);
const Status = Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('locked')]);
/** An account token as it appears in a link; malformed ones are refused by the domain alike. */
const Token = Type.String({ minLength: 1, maxLength: 128 });
/** SESSIONS owns CSRF; forms may carry the synchronizer token. */
const Csrf = Type.Optional(Type.String({ maxLength: 256 }));

export const UserIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const CreateUserBody = Type.Object(
  {
    email: Email,
    password: Password,
    name: Type.Optional(Name),
    email_verified: Type.Optional(Type.Boolean()),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(Name),
    email_verified: Type.Optional(Type.Boolean()),
    status: Type.Optional(Status),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SetPasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

export const ListUsersQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const SignupBody = Type.Object(
  { email: Email, password: Password, name: Type.Optional(Name), _csrf: Csrf },
  { additionalProperties: false },
);

export const VerifyEmailBody = Type.Object({ token: Token, _csrf: Csrf }, { additionalProperties: false });

export const PasswordResetRequestBody = Type.Object({ email: Email, _csrf: Csrf }, { additionalProperties: false });

export const PasswordResetConfirmBody = Type.Object(
  {
    token: Token,
    password: Password,
    /** The new password typed again (the HTML form sends it); must match when given. */
    password_confirmation: Type.Optional(Password),
    _csrf: Csrf,
  },
  { additionalProperties: false },
);

export const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false });
