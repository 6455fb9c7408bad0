import { Type, type Static } from '@sinclair/typebox';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A key prefix: lower-case letters and digits in `_`-separated parts, e.g. `gk_live`. */
const prefixSchema = (description: string, defaultValue: string) =>
  Type.String({ pattern: '^[a-z][a-z0-9]{0,15}(_[a-z0-9]{1,16}){0,3}$', description, default: defaultValue });

const rateLimitSchema = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'Requests allowed per window.', default: 100 }),
    windowSeconds: Type.Integer({
      minimum: 1,
      maximum: 86_400,
      description: 'Window length, in seconds. Fixed windows aligned to multiples of the length since the Unix epoch.',
      default: 60,
    }),
  },
  { additionalProperties: false, default: {} },
);

/** User accounts, passwords, sign-up and the e-mailed account tokens (`docs/accounts.md`). */
const accountsSchema = Type.Object(
  {
    signup: Type.Object(
      {
        enabled: Type.Boolean({
          description:
            'Let anyone create an account at `POST /auth/signup` and the `/signup` page. Off by default: accounts are then made by an admin (`/v1/users`, `gatehouse users create`).',
          default: false,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    password: Type.Object(
      {
        minLength: Type.Integer({
          minimum: 8,
          maximum: 64,
          description: 'Shortest accepted password, in Unicode code points after NFKC normalisation. NIST SP 800-63B §3.1.1.2 requires at least 8 (15 when it is the only factor).',
          default: 12,
        }),
        maxLength: Type.Integer({
          minimum: 64,
          maximum: 1024,
          description: 'Longest accepted password, in Unicode code points after NFKC normalisation. NIST SP 800-63B asks to allow at least 64; the bound keeps hashing cost fixed.',
          default: 128,
        }),
        rejectCommon: Type.Boolean({
          description: 'Refuse passwords on the bundled list of 10,000 commonly used passwords (compared case-insensitively after NFKC), as NIST SP 800-63B §3.1.1.2 requires. Turn off only for tests.',
          default: true,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    argon2: Type.Object(
      {
        memoryKiB: Type.Integer({ minimum: 7168, maximum: 4_194_304, description: 'argon2id memory cost, in KiB (OWASP: 19456 = 19 MiB with t=2, p=1). Hashes made under other parameters are rehashed at the next successful login.', default: 19_456 }),
        iterations: Type.Integer({ minimum: 1, maximum: 32, description: 'argon2id time cost (passes over memory).', default: 2 }),
        parallelism: Type.Integer({ minimum: 1, maximum: 16, description: 'argon2id lanes.', default: 1 }),
      },
      { additionalProperties: false, default: {} },
    ),
    passwordResetTokenLifetimeSeconds: Type.Integer({
      minimum: 60,
      maximum: 86_400,
      description: 'How long, in seconds, an e-mailed password-reset link works. Single use; a new request does not cancel older links.',
      default: 1800,
    }),
    emailVerificationTokenLifetimeSeconds: Type.Integer({
      minimum: 60,
      maximum: 2_592_000,
      description: 'How long, in seconds, an e-mailed verification link works. Single use.',
      default: 86_400,
    }),
    mailRateLimit: Type.Object(
      {
        limit: Type.Integer({
          minimum: 1,
          maximum: 1000,
          description:
            'Most account e-mails (sign-up, verification, reset) sent to one address per window; further requests still answer the same but send nothing, so the server cannot be used to flood a mailbox.',
          default: 5,
        }),
        windowSeconds: Type.Integer({ minimum: 60, maximum: 86_400, description: 'The window of `limit`, in seconds.', default: 3600 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

/** One trusted proxy: an IPv4/IPv6 address, a CIDR range, or a proxy-addr range name. */
const trustedProxySchema = Type.String({ pattern: '^(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]{2,45}(/[0-9]{1,3})?)$' });

/** A lockout policy: more than `maxFailures` within `windowSeconds` locks for `durationSeconds`. */
const lockPolicySchema = (what: string, note: string, defaults: { maxFailures: number; windowSeconds: number; durationSeconds: number }) =>
  Type.Object(
    {
      maxFailures: Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description: `Failed logins ${what} allowed within the window; the next attempt is refused and starts the lock. ${note}`,
        default: defaults.maxFailures,
      }),
      windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400, description: `Window, in seconds, counted from the first failure ${what}.`, default: defaults.windowSeconds }),
      durationSeconds: Type.Integer({ minimum: 1, maximum: 86_400, description: `How long, in seconds, the lock ${what} lasts.`, default: defaults.durationSeconds }),
    },
    { additionalProperties: false, default: {} },
  );

/** Brute-force and credential-stuffing defence of password login (`docs/defense.md`). */
const defenseSchema = Type.Object(
  {
    lockout: lockPolicySchema(
      'for one login identifier',
      'Counted per normalised identifier whether or not an account exists; a locked identifier gets the same answer as a wrong password. A browser with a valid device cookie has its own bucket with these limits.',
      { maxFailures: 10, windowSeconds: 60, durationSeconds: 900 },
    ),
    accountFlows: Type.Object(
      {
        limit: Type.Integer({
          minimum: 1,
          maximum: 1_000_000,
          description:
            'Requests one client address may make to the unauthenticated account flows (`POST /auth/signup`, `/auth/verify-email`, `/auth/password-reset`, `/auth/password-reset/confirm`) per window; more get 429 with Retry-After. Each of these hashes a password with argon2id or sends mail, so an unlimited caller could exhaust the CPU or the mail quota.',
          default: 20,
        }),
        windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'Window of `defense.accountFlows.limit`, in seconds (fixed windows).', default: 600 }),
      },
      { additionalProperties: false, default: {} },
    ),
    ipThrottle: Type.Object(
      {
        maxFailures: Type.Integer({
          minimum: 1,
          maximum: 100_000_000,
          description: 'Failed logins from one client address (across all identifiers) allowed within the window; the next attempt gets 429 and starts the throttle.',
          default: 500,
        }),
        windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'Window, in seconds, counted from the first failure from the address.', default: 60 }),
        durationSeconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'How long, in seconds, a throttled address is refused (429 with Retry-After).', default: 900 }),
        ipv6PrefixLength: Type.Integer({
          minimum: 32,
          maximum: 128,
          description: 'IPv6 clients are counted per network of this prefix length, since one host usually holds a whole /64.',
          default: 64,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    deviceCookies: Type.Object(
      {
        maxAgeSeconds: Type.Integer({
          minimum: 60,
          maximum: 63_072_000,
          description:
            'Lifetime, in seconds, of the signed device cookie (`__Host-gatehouse_device`; `gatehouse_device` without Secure in the plain-HTTP loopback development mode) a browser gets at each successful login. Later attempts with a valid one for the same identifier use their own failure bucket (with the `lockout` limits and their own lock), so failures from elsewhere cannot lock that browser out (OWASP device cookies).',
          default: 15_552_000,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    secret: Type.Optional(
      Type.String({
        minLength: 32,
        maxLength: 1024,
        description:
          'Server secret (≥ 32 characters) that signs device cookies (HMAC-SHA256) and keys the identifier hashes in counters and events. Unset: one is generated at first start and stored in the database, shared by every instance. Treated as a secret; prefer `GATEHOUSE_DEFENSE_SECRET_FILE`.',
      }),
    ),
    previousSecrets: Type.Array(Type.String({ minLength: 32, maxLength: 1024 }), {
      maxItems: 10,
      description:
        'Earlier values of `secret`, still accepted when verifying device cookies (key rotation): set the new `secret`, move the old one here, drop it after `deviceCookies.maxAgeSeconds`. In the environment: comma-separated. Treated as a secret.',
      default: [],
    }),
  },
  { additionalProperties: false, default: {} },
);

/** How Gatehouse sends e-mail (verification and reset links). */
const mailSchema = Type.Object(
  {
    transport: Type.Union([Type.Literal('file'), Type.Literal('console'), Type.Literal('smtp')], {
      description:
        '`file` appends each message as one JSON line to `file.path` (mode 0600; for development and tests); `console` prints messages to stderr (development only: they hold live links); `smtp` sends through `smtp.*`.',
      default: 'file',
    }),
    from: Type.String({ minLength: 3, maxLength: 320, description: 'The From header of every message, e.g. `Gatehouse <no-reply@example.com>`.', default: 'Gatehouse <no-reply@localhost>' }),
    file: Type.Object(
      {
        path: Type.Optional(Type.String({ minLength: 1, description: 'The outbox of the `file` transport; a relative path is resolved against `dataDir`. Default: `<dataDir>/mail/outbox.jsonl`.' })),
      },
      { additionalProperties: false, default: {} },
    ),
    smtp: Type.Object(
      {
        host: Type.String({ minLength: 1, description: 'SMTP server host name.', default: 'localhost' }),
        port: Type.Integer({ minimum: 1, maximum: 65535, description: 'SMTP server port (587 submission with STARTTLS, 465 implicit TLS).', default: 587 }),
        secure: Type.Boolean({ description: 'Implicit TLS from the first byte (port 465). When false, STARTTLS is used if `requireTls` or the server offers it.', default: false }),
        requireTls: Type.Boolean({
          description: 'Refuse to send unless the connection is TLS (implicit or STARTTLS). Turn off only for a local relay on a trusted network.',
          default: true,
        }),
        user: Type.Optional(Type.String({ minLength: 1, description: 'SMTP AUTH user name; unset for no authentication.' })),
        password: Type.Optional(Type.String({ minLength: 1, description: 'SMTP AUTH password. Treated as a secret; prefer `GATEHOUSE_SMTP_PASSWORD_FILE`.' })),
        connectionTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 300, description: 'Seconds to wait for the SMTP server to connect and answer each step.', default: 10 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

/** Sign-in sessions: lifetimes, concurrency and the session cookie (see docs/sessions.md). */
const sessionsSchema = Type.Object(
  {
    idleTimeoutSeconds: Type.Integer({
      minimum: 60,
      maximum: 2_592_000,
      description:
        'A session not used for this many seconds ends (OWASP Session Management: 15–30 min for most applications). Last use is recorded at most every `lastSeenUpdateSeconds`, so the effective idle time is between this value minus that interval and this value.',
      default: 1800,
    }),
    absoluteTimeoutSeconds: Type.Integer({
      minimum: 60,
      maximum: 31_536_000,
      description: 'A session ends this many seconds after sign-in however active it is; the user signs in again.',
      default: 43_200,
    }),
    lastSeenUpdateSeconds: Type.Integer({
      minimum: 1,
      maximum: 3600,
      description: 'A session\'s last-seen time (and so its idle expiry) is written at most once per this many seconds, so authenticated requests rarely write to the database.',
      default: 60,
    }),
    maxPerUser: Type.Integer({ minimum: 1, maximum: 1000, description: 'Most active sessions one user may have at once (all devices).', default: 10 }),
    onLimit: Type.Union([Type.Literal('evict_oldest'), Type.Literal('refuse')], {
      description: 'What a sign-in beyond `maxPerUser` does: `evict_oldest` ends the user\'s oldest active session; `refuse` refuses the sign-in with 409 `session.limit_reached`.',
      default: 'evict_oldest',
    }),
    cookie: Type.Object(
      {
        secure: Type.Union([Type.Literal('auto'), Type.Boolean()], {
          description:
            'The session cookie\'s transport security. `true`: `__Host-gatehouse_session` with `Secure` (HTTPS only). `false` (development on plain-HTTP loopback only; refused at start unless `server.host` and the `server.publicUrl` host are loopback; warns once): `gatehouse_session` without `Secure`. `auto`: `true`, except when `server.publicUrl` (default `http://<host>:<port>`) is plain `http` on a loopback host with a loopback bind, where it acts as `false` and warns once (so `npm start` on http://127.0.0.1:8080 works in a browser).',
          default: 'auto',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

/** Signing keys, JWKS, access and refresh tokens, the browser token flow (`docs/tokens.md`). */
/** `oauth`: the OAuth 2.0 authorization server (`docs/oauth.md`). */
const oauthSchema = Type.Object(
  {
    resources: Type.Array(Type.String({ minLength: 1, maxLength: 2048, pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*:[^#\\s]+$' }), {
      maxItems: 100,
      description:
        'The resource servers (RFC 8707 resource indicators: absolute URIs without a fragment) a client may name in `resource` at the token endpoint; a requested resource becomes the access token\'s `aud`. Any other value is refused with `invalid_target`. Empty (the default): `resource` is refused and tokens carry `jwt.accessToken.audience` (default: the issuer).',
      default: [],
    }),
    scopesSupported: Type.Optional(
      Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128}$' }), {
        maxItems: 256,
        description: 'Scopes (RFC 6749 §3.3) advertised as `scopes_supported` in the authorization server metadata (RFC 8414). Unset: the field is omitted. Advisory: each client is still limited to its own registered `scope`.',
      }),
    ),
    clientCacheSeconds: Type.Integer({
      minimum: 0,
      maximum: 60,
      description:
        'How long, in seconds, a client record read from storage is reused by this instance (token, introspection and revocation endpoints). Changes made through this instance apply at once; a client deleted or a secret rotated through another instance is still accepted here for at most this long. 0 reads storage on every request.',
      default: 1,
    }),
    idTokenLifetimeSeconds: Type.Integer({
      minimum: 60,
      maximum: 3600,
      description:
        'Lifetime, in seconds, of the OpenID Connect ID tokens issued by the `authorization_code` grant (OIDC Core §2 `exp`). Short on purpose: an ID token proves a sign-in to the client at the code exchange, it is not a session or an access credential.',
      default: 300,
    }),
    clientAssertionMaxLifetimeSeconds: Type.Integer({
      minimum: 30,
      maximum: 3600,
      description: 'The longest lifetime (`exp` minus now, in seconds) a `private_key_jwt` client assertion (RFC 7523 §3) may have; its `jti` is remembered this long (plus `jwt.clockToleranceSeconds`) to refuse replays.',
      default: 300,
    }),
    pkce: Type.Object(
      {
        required: Type.Union([Type.Literal('all_clients'), Type.Literal('public_clients')], {
          description:
            'Which clients must send a PKCE `code_challenge` (RFC 7636) at the authorization endpoint: `all_clients` (the default, RFC 9700 §2.1.1) or only `public_clients` (token endpoint auth method `none`). Public clients always need it.',
          default: 'all_clients',
        }),
        allowPlain: Type.Boolean({
          description:
            'Accept `code_challenge_method=plain` (RFC 7636 §4.2). Off by default: only `S256` is accepted and advertised, since `plain` exposes the verifier to anyone who sees the authorization request (RFC 9700 §2.1.1). Turn on only for a legacy client that cannot compute SHA-256.',
          default: false,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

const jwtSchema = Type.Object(
  {
    algorithm: Type.Union([Type.Literal('RS256'), Type.Literal('ES256'), Type.Literal('EdDSA')], {
      description:
        'Algorithm of newly generated signing keys: `RS256` (RSA 2048, the default: the cheapest to verify, about 5× ES256 and 6× EdDSA on the reference machine, at the cost of slower signing and 256 more bytes per token), `ES256` (P-256) or `EdDSA` (Ed25519). Changing it takes effect at the next rotation; keys already published keep their algorithm. Measurements in docs/tokens.md.',
      default: 'RS256',
    }),
    keyEncryptionKey: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9+/_-]{43}={0,1}$',
        description:
          'The 32-byte key (base64 or base64url) that encrypts signing private keys at rest (AES-256-GCM). Every instance sharing a database needs the same one. Unset: on SQLite a key is generated at first start into `<dataDir>/jwt-key-encryption.key` (mode 0600) with a warning; configure it in production, from a secret store (`GATEHOUSE_JWT_KEY_ENCRYPTION_KEY_FILE`). Treated as a secret.',
      }),
    ),
    previousKeyEncryptionKeys: Type.Array(Type.String({ pattern: '^[A-Za-z0-9+/_-]{43}={0,1}$' }), {
      maxItems: 10,
      description:
        'Earlier values of `keyEncryptionKey`, still used to decrypt signing keys encrypted under them (rotation of the encryption key: keys made after the change use the new one; drop an old value once the keys it protects are removed from the JWKS). In the environment: comma-separated. Treated as a secret.',
      default: [],
    }),
    rotation: Type.Object(
      {
        enabled: Type.Boolean({ description: 'Rotate signing keys on schedule. Manual `gatehouse jwks rotate` works either way.', default: true }),
        periodSeconds: Type.Integer({
          minimum: 3600,
          maximum: 31_536_000,
          description: 'How long, in seconds, a signing key signs before its successor takes over (the successor is published `prePublishSeconds` earlier).',
          default: 2_592_000,
        }),
        prePublishSeconds: Type.Integer({
          minimum: 60,
          maximum: 604_800,
          description:
            'How long, in seconds, a new key is published in the JWKS before it signs anything, so every verifier has fetched it before the first token it signs arrives. Must be at least `jwks.maxAgeSeconds` and `keyCacheSeconds`.',
          default: 3600,
        }),
        checkIntervalSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          description: 'How often, in seconds, each instance checks whether a rotation or a key state change is due. Safe with many instances: each step is a compare-and-set in the database, done by one.',
          default: 60,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    jwks: Type.Object(
      {
        maxAgeSeconds: Type.Integer({
          minimum: 0,
          maximum: 86_400,
          description: '`Cache-Control: max-age` of `GET /.well-known/jwks.json`, in seconds. At most `rotation.prePublishSeconds`, so a verifier that caches the JWKS has seen a new key before it signs.',
          default: 300,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    keyCacheSeconds: Type.Integer({
      minimum: 1,
      maximum: 3600,
      description: 'How long, in seconds, an instance trusts its in-process copy of the signing-key list before reading it again. Below `rotation.prePublishSeconds`, so every instance knows a new key before it activates.',
      default: 30,
    }),
    clockToleranceSeconds: Type.Integer({
      minimum: 0,
      maximum: 600,
      description: 'Clock skew, in seconds, allowed between instances and verifiers; a retired key stays published this much longer than the last token it signed lives.',
      default: 60,
    }),
    accessToken: Type.Object(
      {
        lifetimeSeconds: Type.Integer({ minimum: 60, maximum: 86_400, description: 'Lifetime of an access token, in seconds, unless the issuing call asks for less (RFC 9068).', default: 900 }),
        maxLifetimeSeconds: Type.Integer({
          minimum: 60,
          maximum: 86_400,
          description: 'The longest lifetime, in seconds, any issuing call may ask for (at least `lifetimeSeconds`). A retired key stays in the JWKS this long after it last signed (plus the tolerance).',
          default: 3600,
        }),
        audience: Type.Optional(
          Type.String({ minLength: 1, maxLength: 2048, description: 'The `aud` of access tokens issued by the browser flow (`POST /auth/token`). Default: the issuer (`server.publicUrl`).' }),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    refreshToken: Type.Object(
      {
        lifetimeSeconds: Type.Integer({
          minimum: 604_800,
          maximum: 2_592_000,
          description: 'Lifetime, in seconds, of a refresh token family from the sign-in that started it (7 to 30 days). Rotation does not extend it.',
          default: 1_209_600,
        }),
        reuseLeewaySeconds: Type.Integer({
          minimum: 0,
          maximum: 60,
          description:
            'Seconds after a refresh token was rotated during which presenting it again returns the same successor tokens (concurrent refreshes from several tabs or retries), instead of revoking the family as reuse. 0 turns the leeway off.',
          default: 10,
        }),
        inBody: Type.Boolean({
          description: 'Also return the refresh token in the JSON body of `POST /auth/token` and `/auth/token/refresh`. Off: browser clients only ever get it in the HttpOnly cookie.',
          default: false,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    browser: Type.Object(
      {
        clientId: Type.String({ pattern: '^[\\x21-\\x7e]{1,255}$', description: 'The `client_id` claim of access tokens issued by the first-party browser flow.', default: 'gatehouse' }),
        scopes: Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,128}$' }), {
          maxItems: 64,
          description: 'The scopes (RFC 6749 §3.3) of access tokens issued by the browser flow; none by default (the `scope` claim is then omitted).',
          default: [],
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

/**
 * The whole configuration, one strict schema: unknown keys are errors. Every setting carries
 * its meaning, unit and default in `description`/`default`; `docs/configuration.md` is
 * generated from this file (`npm run docs:config`).
 */
export const configSchema = Type.Object(
  {
    server: Type.Object(
      {
        host: Type.String({ minLength: 1, description: 'Interface the HTTP server binds to. Loopback by default: expose it deliberately.', default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, description: 'TCP port of the HTTP server (0 picks a free port).', default: 8080 }),
        publicUrl: Type.Optional(
          Type.String({
            pattern: '^https?://[^/?#\\s]+$',
            description:
              'The origin users and browsers reach Gatehouse at (`https://auth.example.com`; scheme, host and optional port, no path). Used in e-mailed links and as the Origin that cookie-authenticated requests must come from (CSRF defence). Default: `http://<host>:<port>`.',
          }),
        ),
        trustProxy: Type.Union([Type.Boolean(), Type.Array(trustedProxySchema, { maxItems: 100 })], {
          description:
            'Whether `X-Forwarded-For` is believed, which decides the client address used for events and the login IP throttle. `false`: never (the peer address counts). A list of proxy addresses or CIDR ranges (`["10.0.0.0/8", "127.0.0.1"]`, or `loopback`, `linklocal`, `uniquelocal`): the header is walked from the right past these proxies only, so a spoofed header from any other peer is ignored. `true`: trust every peer; only when every connection comes through a proxy you control. In the environment: `true`/`false` or a comma-separated list.',
          default: false,
        }),
        bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 10_485_760, description: 'Largest accepted request body, in bytes; larger bodies get 413.', default: 65_536 }),
        requestTimeoutSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          description:
            'Longest time, in seconds, a client may take to send one whole request (headers and body); a slower one gets 408 and its connection is closed, so slow-body clients cannot hold connections forever.',
          default: 30,
        }),
        connectionTimeoutSeconds: Type.Integer({
          minimum: 2,
          maximum: 3600,
          description:
            'Idle socket timeout, in seconds: a connection on which nothing is sent or received for this long is closed, also while its request is being handled. Idle keep-alive connections between requests are closed after 72 s, or 1 s before this timeout if it is shorter.',
          default: 75,
        }),
        maxConnections: Type.Integer({
          minimum: 1,
          maximum: 1_000_000,
          description: 'Most simultaneous client connections; further connections are refused (closed at once) until one ends.',
          default: 10_000,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    dataDir: Type.String({ minLength: 1, description: 'Directory for the embedded SQLite database and other local state.', default: './data' }),
    database: Type.Object(
      {
        url: Type.Optional(
          Type.String({
            minLength: 1,
            description:
              'Database location. Unset: SQLite at `<dataDir>/gatehouse.db`. `sqlite:<path>` or `sqlite::memory:` for another SQLite file or an in-memory database; `postgres://user:password@host:5432/db` for PostgreSQL (many instances). Treated as a secret (never echoed); prefer `GATEHOUSE_DATABASE_URL_FILE` when it holds a password.',
          }),
        ),
        poolSize: Type.Integer({ minimum: 1, maximum: 1000, description: 'PostgreSQL: connections in this instance\'s pool (plus one for change notifications). Sum over instances must stay below the server\'s `max_connections`.', default: 10 }),
        schema: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', description: 'PostgreSQL: the schema Gatehouse\'s tables live in (created if missing).', default: 'public' }),
        connectTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 120, description: 'PostgreSQL: how long, in seconds, a request waits for a connection before failing with 503.', default: 5 }),
        queryTimeoutSeconds: Type.Integer({
          minimum: 1,
          maximum: 600,
          description:
            'PostgreSQL: how long, in seconds, a query may wait for its answer before the request fails with 503, so an unreachable server that does not close connections (a network partition, a frozen host) cannot hang requests.',
          default: 5,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    redis: Type.Object(
      {
        url: Type.Optional(
          Type.String({
            minLength: 1,
            pattern: '^rediss?://',
            description:
              'Redis for the counters (rate limits, lockouts, replay caches) shared by many instances, e.g. `redis://127.0.0.1:6379/0` or `rediss://…` for TLS. Unset: counters in process memory (one instance only). Treated as a secret.',
          }),
        ),
        keyPrefix: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9:_.-]+$', description: 'Prefix of every Redis key Gatehouse writes, so several deployments can share one Redis.', default: 'gatehouse:' }),
        commandTimeoutMs: Type.Integer({ minimum: 10, maximum: 60_000, description: 'Milliseconds a Redis command may take before the request fails closed with 503.', default: 1000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: Type.Union(
          LOG_LEVELS.map((l) => Type.Literal(l)),
          { description: `Operational log level: one of ${LOG_LEVELS.join(', ')}.`, default: 'info' },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    audit: Type.Object(
      {
        destination: Type.String({
          minLength: 1,
          description: 'Where auth events go, one JSON object per line: `stdout`, `stderr`, or a file path (appended to).',
          default: 'stdout',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    apiKeys: Type.Object(
      {
        prefixes: Type.Object(
          {
            live: prefixSchema('Prefix of keys in the `live` environment.', 'gk_live'),
            test: prefixSchema('Prefix of keys in the `test` environment.', 'gk_test'),
          },
          { additionalProperties: false, default: {} },
        ),
        pepper: Type.Optional(
          Type.String({
            minLength: 32,
            description:
              'Server secret (≥ 32 characters) mixed into stored key hashes (HMAC-SHA256 instead of SHA-256), so a stolen database alone cannot confirm a guessed key. Changing it invalidates every existing key. Prefer `GATEHOUSE_API_KEY_PEPPER_FILE`.',
          }),
        ),
        defaultRateLimit: rateLimitSchema,
        defaultRotationGraceSeconds: Type.Integer({
          minimum: 0,
          maximum: 31_536_000,
          description: 'How long, in seconds, a rotated key keeps working beside its successor when the request names no grace period (0 = the old key stops at once).',
          default: 86_400,
        }),
        cache: Type.Object(
          {
            enabled: Type.Boolean({
              description: 'Keep verified key records in process memory. Revocation, rotation and updates invalidate entries at once; expiry is checked on every request.',
              default: true,
            }),
            maxEntries: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Most key records kept in the verification cache; when full, the oldest inserted entry is dropped.', default: 100_000 }),
            maxAgeSeconds: Type.Integer({
              minimum: 1,
              maximum: 3600,
              description:
                'Longest time, in seconds, a cached key record is trusted before it is read again. Bounds how long a revocation made on another instance can go unseen if its change notification is lost; notifications normally arrive within milliseconds.',
              default: 1,
            }),
          },
          { additionalProperties: false, default: {} },
        ),
        lastUsedFlushSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          description: '`last_used_at` is written in batches at most this often, in seconds, so verification never waits for a write.',
          default: 10,
        }),
        bootstrapAdminKey: Type.Boolean({
          description: 'On the first start with an empty database, create an admin key and print it once.',
          default: true,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    accounts: accountsSchema,
    defense: defenseSchema,
    mail: mailSchema,
    sessions: sessionsSchema,
    jwt: jwtSchema,
    oauth: oauthSchema,
  },
  { additionalProperties: false },
);

/** The validated, frozen configuration. */
export type GatehouseConfig = Static<typeof configSchema>;

/** A partial configuration as given by a file, environment or caller; deep-merged over defaults. */
export type GatehouseConfigInput = DeepPartial<GatehouseConfig>;

/** Recursively optional. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
