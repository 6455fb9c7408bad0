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
        trustProxy: Type.Boolean({
          description: 'Trust `X-Forwarded-For` from the immediate peer. Enable only behind a reverse proxy you control; otherwise clients could spoof their address.',
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
  },
  { additionalProperties: false },
);

/** The validated, frozen configuration. */
export type GatehouseConfig = Static<typeof configSchema>;

/** A partial configuration as given by a file, environment or caller; deep-merged over defaults. */
export type GatehouseConfigInput = DeepPartial<GatehouseConfig>;

/** Recursively optional. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
