import { createApiKeyService, type ApiKeyService } from './api-keys/service.js';
import { createAuditLog } from './audit/audit-log.js';
import { systemClock, type Clock } from './core/clock.js';
import { GatehouseError } from './core/errors/gatehouse-error.js';
import { loadConfig } from './core/config/load.js';
import type { GatehouseConfig, GatehouseConfigInput } from './core/config/schema.js';
import { secureRandom, type RandomSource } from './core/crypto/random.js';
import type { AuditLog } from './core/events.js';
import { resolveDefenseSecrets } from './defense/resolve-secrets.js';
import { createDefenseService } from './defense/service.js';
import type { DefenseService } from './defense/types.js';
import { silentLogger, type Logger } from './core/logger.js';
import type { CounterStore } from './rate-limit/store.js';
import { createMemoryCounterStore } from './storage/counters/memory.js';
import { createRedisCounterStore } from './storage/counters/redis.js';
import { createSqlApiKeyStore } from './storage/sql/api-key-store.js';
import { createSqlAccountStore } from './storage/sql/account-store.js';
import { createAccountService, type AccountService } from './accounts/service.js';
import type { SessionRevoker } from './accounts/types.js';
import { createMailSender, type MailSender } from './mail/index.js';
import { createSqlDefenseStore } from './storage/sql/defense-store.js';
import { openDatabase, redactUrl, type SqlDatabase } from './storage/sql/database.js';
import { createSqlSessionStore } from './storage/sql/session-store.js';
import { resolveSessionCookie, type SessionCookieSettings } from './sessions/cookie.js';
import { createLoginService, type LoginService } from './sessions/login.js';
import { createSessionService, type SessionService } from './sessions/service.js';
import { resolveKeyEncryptionKeys } from './jwt/resolve-key-encryption-key.js';
import { createTokenService, type TokenService } from './jwt/service.js';
import { createSqlRefreshTokenStore } from './storage/sql/refresh-token-store.js';
import { createSqlSigningKeyStore } from './storage/sql/signing-key-store.js';
import { createOAuthService, type OAuthService } from './oauth/service.js';
import { createSqlOAuthClientStore } from './storage/sql/oauth-client-store.js';
import { createSqlOAuthGrantStore } from './storage/sql/oauth-grant-store.js';

/** Options of {@link createGatehouse}. */
export interface CreateGatehouseOptions {
  /**
   * Configuration: a validated config (from {@link loadConfig}) or a partial one, merged over
   * defaults, `gatehouse.config.json` and `GATEHOUSE_*` variables. Default: `{}`.
   */
  config?: Readonly<GatehouseConfig> | GatehouseConfigInput;
  /** Injected time source. Default: the wall clock. */
  clock?: Clock;
  /** Injected randomness. Default: `crypto.randomBytes`. */
  random?: RandomSource;
  /** Where auth events go. Default: a pino JSON-lines log at `config.audit.destination`. */
  audit?: AuditLog;
  /** Operational logger. Default: silent. */
  logger?: Logger;
  /** Counters backend. Default: in memory. */
  counters?: CounterStore;
  /** Where account e-mail goes. Default: chosen by `config.mail.transport` (a file outbox). */
  mail?: MailSender;
}

/** A running Gatehouse core: every service, in process, with no HTTP. */
export interface Gatehouse {
  config: Readonly<GatehouseConfig>;
  apiKeys: ApiKeyService;
  /** User accounts, passwords, sign-up, e-mail verification and password reset (`docs/accounts.md`). */
  accounts: AccountService;
  /** Brute-force and credential-stuffing defence of password login (`docs/defense.md`). */
  defense: DefenseService;
  /** Sign-in sessions: create, validate, list, revoke (`docs/sessions.md`). */
  sessions: SessionService;
  /** Signing keys and JWKS, access and refresh tokens, early revocation (`docs/tokens.md`). */
  tokens: TokenService;
  /** The OAuth 2.0 authorization server: clients, token, revocation, introspection, metadata (`docs/oauth.md`). */
  oauth: OAuthService;
  /** The login flow: password (then, later, a second factor) → session (`docs/sessions.md`). */
  login: LoginService;
  /** The session cookie's name and `Secure` flag, decided at start from `sessions.cookie.secure`. */
  sessionCookie: SessionCookieSettings;
  audit: AuditLog;
  clock: Clock;
  /** Storage location, for start-up messages (no credentials). */
  storageLocation: string;
  /** Counters backend, for start-up messages (no credentials). */
  countersLocation: string;
  /** Checks every backing service; never rejects. `ok` is true when all answer. */
  ready(): Promise<{ ok: boolean; checks: { storage: 'ok' | 'unavailable'; counters: 'ok' | 'unavailable' } }>;
  /** Flushes pending writes and events, then closes connections. */
  close(): Promise<void>;
}

/** The origin e-mailed links point at: `server.publicUrl`, or `http://<host>:<port>`. */
export function publicUrlOf(config: Readonly<GatehouseConfig>): string {
  if (config.server.publicUrl !== undefined) return config.server.publicUrl;
  const { host, port } = config.server;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function isFullConfig(config: CreateGatehouseOptions['config']): config is Readonly<GatehouseConfig> {
  return typeof config === 'object' && Object.isFrozen(config);
}

/**
 * Opens storage (running migrations), counters and the audit log, and builds the services.
 *
 * @throws {ConfigError} for invalid configuration
 * @example
 * const gatehouse = await createGatehouse({ config: { database: { url: 'sqlite::memory:' } } });
 * const { key } = await gatehouse.apiKeys.create({ name: 'ci', scopes: ['deploy'] });
 * await gatehouse.close();
 */
export async function createGatehouse(options: CreateGatehouseOptions = {}): Promise<Gatehouse> {
  const config = isFullConfig(options.config) ? options.config : loadConfig({ overrides: options.config ?? {} });
  const clock = options.clock ?? systemClock;
  const random = options.random ?? secureRandom;
  const logger = options.logger ?? silentLogger;
  // Decided before anything opens: `secure: false` off loopback is a ConfigError.
  const sessionCookie = resolveSessionCookie(config);
  const audit = options.audit ?? createAuditLog({ destination: config.audit.destination, clock, logger });
  const database: SqlDatabase = await openDatabase({
    url: config.database.url,
    dataDir: config.dataDir,
    poolSize: config.database.poolSize,
    schema: config.database.schema,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    queryTimeoutSeconds: config.database.queryTimeoutSeconds,
    logger,
  });
  let counters: CounterStore;
  try {
    counters =
      options.counters ??
      (config.redis.url
        ? await createRedisCounterStore({ url: config.redis.url, clock, keyPrefix: config.redis.keyPrefix, commandTimeoutMs: config.redis.commandTimeoutMs, logger })
        : createMemoryCounterStore({ clock }));
  } catch (err) {
    await database.close();
    throw err;
  }
  let defenseSecrets: string[];
  try {
    defenseSecrets = await resolveDefenseSecrets(config.defense, createSqlDefenseStore(database), random, clock);
  } catch (err) {
    if (!options.counters) await counters.close();
    await database.close();
    throw err;
  }
  const defense = createDefenseService({ counters, audit, clock, random, config: config.defense, secrets: defenseSecrets, logger });
  const apiKeys = createApiKeyService({
    store: createSqlApiKeyStore(database, { schema: config.database.schema }),
    counters,
    audit,
    clock,
    random,
    config: config.apiKeys,
    logger,
  });
  const sessions = createSessionService({ store: createSqlSessionStore(database), audit, clock, random, config: config.sessions, logger });
  // Whatever ends a user's sessions (password reset or change, disable, delete, admin) also
  // ends the user's refresh-token families, so no token outlives the sign-ins it came from.
  let tokens: TokenService | undefined;
  const sessionRevoker: SessionRevoker = {
    async revokeAllForUser(userId, reason) {
      const ended = await sessions.revokeAllForUser(userId, reason);
      if (tokens) await tokens.revokeForSubject(userId, reason);
      return ended;
    },
  };
  const accounts = createAccountService({
    store: createSqlAccountStore(database),
    counters,
    audit,
    clock,
    random,
    config: config.accounts,
    mail: options.mail ?? createMailSender(config, { clock, logger }),
    publicUrl: publicUrlOf(config),
    sessions: sessionRevoker,
    logger,
  });
  try {
    const kek = resolveKeyEncryptionKeys({ config: config.jwt, dataDir: config.dataDir, ephemeral: config.database.url === 'sqlite::memory:' || config.database.url === ':memory:', random });
    if (kek.warning) logger.warn({ setting: 'jwt.keyEncryptionKey' }, kek.warning);
    tokens = await createTokenService({
      keys: createSqlSigningKeyStore(database),
      refreshTokens: createSqlRefreshTokenStore(database),
      counters,
      audit,
      clock,
      random,
      config: config.jwt,
      issuer: publicUrlOf(config),
      keyring: kek.keyring,
      // A browser-flow refresh token dies with the sign-in session it came from.
      sessions: { isActive: async (sessionId, userId) => (await sessions.list(userId)).some((s) => s.id === sessionId) },
      logger,
    });
  } catch (err) {
    await apiKeys.close();
    await accounts.close();
    await sessions.close();
    if (!options.counters) await counters.close();
    await database.close();
    throw err;
  }
  // Once, and only when the start got this far (a failed start prints just its error).
  if (sessionCookie.warning) logger.warn({ setting: 'sessions.cookie.secure' }, sessionCookie.warning);
  let closed = false;
  return {
    config,
    apiKeys,
    accounts,
    defense,
    sessions,
    tokens,
    oauth: createOAuthService({
      clients: createSqlOAuthClientStore(database),
      grants: createSqlOAuthGrantStore(database),
      tokens,
      counters,
      audit,
      clock,
      random,
      config: config.oauth,
      jwt: config.jwt,
      users: {
        find: (userId) =>
          accounts.get(userId).catch((err: unknown) => {
            if (err instanceof GatehouseError && err.code === 'account.not_found') return null;
            throw err;
          }),
      },
      issuer: publicUrlOf(config),
      logger,
    }),
    login: createLoginService({ accounts, defense, sessions, audit }),
    sessionCookie,
    audit,
    clock,
    storageLocation: database.location,
    countersLocation: options.counters ? 'custom' : config.redis.url ? `Redis at ${redactUrl(config.redis.url)}` : 'in memory',
    async ready() {
      const [storage, countersCheck] = await Promise.all([
        database.ping().then(() => 'ok' as const, () => 'unavailable' as const),
        counters.ping().then(() => 'ok' as const, () => 'unavailable' as const),
      ]);
      return { ok: storage === 'ok' && countersCheck === 'ok', checks: { storage, counters: countersCheck } };
    },
    async close() {
      if (closed) return;
      closed = true;
      await apiKeys.close();
      await accounts.close();
      await sessions.close();
      await tokens.close();
      await counters.close();
      await database.close();
      await audit.flush();
    },
  };
}
