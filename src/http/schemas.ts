import { Type } from '@sinclair/typebox';

/** Route schemas (JSON Schema via TypeBox, checked by Fastify's AJV). Wire names are snake_case. */

const scopeToken = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' });
export const Scopes = Type.Array(scopeToken, { maxItems: 64 });
export const RateLimitBody = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
    window_seconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  },
  { additionalProperties: false },
);
const Metadata = Type.Record(Type.String(), Type.Unknown());
const LifetimeSeconds = Type.Integer({ minimum: 1, maximum: 315_360_000 });

export const KeyIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    scopes: Type.Optional(Scopes),
    owner_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
    metadata: Type.Optional(Metadata),
    expires_in_seconds: Type.Optional(LifetimeSeconds),
    environment: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('test')])),
    rate_limit: Type.Optional(Type.Union([RateLimitBody, Type.Null()])),
  },
  { additionalProperties: false },
);

export const UpdateKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    scopes: Type.Optional(Scopes),
    metadata: Type.Optional(Metadata),
    rate_limit: Type.Optional(Type.Union([RateLimitBody, Type.Null()])),
    expires_in_seconds: Type.Optional(LifetimeSeconds),
    expires_at: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const RotateKeyBody = Type.Union([
  Type.Object(
    {
      grace_period_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 315_360_000 })),
      expires_in_seconds: Type.Optional(LifetimeSeconds),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const ListKeysQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    owner_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    include_revoked: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  },
  { additionalProperties: false },
);

/** `GET /v1/whoami` 200: also compiles a fast serializer for the hottest route. */
export const WhoamiResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  start: Type.String(),
  environment: Type.String(),
  owner_id: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  ratelimit: Type.Object({
    policy: Type.String(),
    limit: Type.Integer(),
    remaining: Type.Integer(),
    reset: Type.Integer(),
    window_seconds: Type.Integer(),
  }),
});

export const VerifyKeyBody = Type.Object(
  {
    key: Type.String({ maxLength: 1024 }),
    scopes: Type.Optional(Scopes),
  },
  { additionalProperties: false },
);

/** `POST /auth/login`: JSON `{ email, password }` or the login form (which adds `_csrf` and `return_to`). */
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 1024 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    _csrf: Type.Optional(Type.String({ maxLength: 128 })),
    return_to: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);

/** Bodies of the session routes that need none: nothing, or a form with only `_csrf` / `return_to`. */
export const SessionActionBody = Type.Union([
  Type.Null(),
  Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 128 })), return_to: Type.Optional(Type.String({ maxLength: 2048 })) }, { additionalProperties: false }),
]);

export const SessionIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
