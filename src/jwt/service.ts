import { inspectRefreshToken, type RefreshTokenInfo } from './inspect-refresh-token.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import { ConfigError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { TokenDeps, TokenServiceOptions } from './context.js';
import { issueAccessToken, type AccessTokenInput, type IssuedAccessToken } from './issue-access-token.js';
import { issueIdToken, type IdTokenInput, type IssuedIdToken } from './issue-id-token.js';
import { issueTokens, type IssuedTokens, type IssueTokensInput } from './issue-tokens.js';
import { getJwks, type JwksDocument } from './jwks.js';
import { SigningKeyCache } from './key-cache.js';
import { listSigningKeys, type SigningKeyView } from './list-signing-keys.js';
import { maintainSigningKeys } from './maintain-signing-keys.js';
import { refreshTokens, type RefreshOptions } from './refresh.js';
import { isAccessTokenRevoked, revokeAccessToken, revokeFamily, revokeForSubject, revokeRefreshToken, type AccessTokenRevocation } from './revoke.js';
import { rotateSigningKey } from './rotate-signing-key.js';
import type { SigningKey } from './types.js';

export type { TokenServiceOptions, SessionLiveness } from './context.js';

/** How long, in milliseconds, expired refresh-token families are kept (for reuse forensics) before deletion: 7 days. */
const EXPIRED_FAMILY_RETENTION_MS = 7 * 86_400_000;

/** Signing keys: list, rotate, and the maintenance pass the scheduler runs. */
export interface SigningKeyService {
  /** See {@link listSigningKeys}. */
  list(options?: { includeRemoved?: boolean }): Promise<SigningKeyView[]>;
  /** See {@link rotateSigningKey}. */
  rotate(context?: RequestContext): Promise<SigningKey>;
  /** See {@link maintainSigningKeys}. */
  maintain(): Promise<void>;
}

/**
 * The token domain: signing keys and JWKS, RFC 9068 access tokens, rotating refresh tokens,
 * early revocation. Callable without HTTP; the browser routes, the CLI and the OAuth server
 * all go through it. See `docs/tokens.md`.
 */
export interface TokenService {
  /** The `iss` of every token Gatehouse signs (`server.publicUrl`). */
  readonly issuer: string;
  /** See {@link issueAccessToken}. */
  issueAccessToken(input: AccessTokenInput): Promise<IssuedAccessToken>;
  /** See {@link issueIdToken}. */
  issueIdToken(input: IdTokenInput): Promise<IssuedIdToken>;
  /** See {@link issueTokens}. */
  issueTokens(input: IssueTokensInput, context?: RequestContext): Promise<IssuedTokens>;
  /** See {@link refreshTokens}. */
  refresh(presented: string, options?: RefreshOptions, context?: RequestContext): Promise<IssuedTokens>;
  /** See {@link revokeRefreshToken}. */
  revokeRefreshToken(presented: string, context?: RequestContext, options?: { clientId?: string }): Promise<boolean>;
  /** See {@link revokeForSubject}. */
  revokeForSubject(subject: string, reason: string, context?: RequestContext, options?: { clientId?: string }): Promise<number>;
  /** See {@link revokeFamily}. */
  revokeFamily(familyId: string, reason: string, context?: RequestContext): Promise<boolean>;
  /** See {@link revokeAccessToken}. */
  revokeAccessToken(jti: string, options?: { expiresAt?: number }, context?: RequestContext): Promise<AccessTokenRevocation>;
  /**
   * See {@link isAccessTokenRevoked}. Bound to the service, so it can be handed to a verifier
   * as its revocation hook as is.
   */
  isAccessTokenRevoked(jti: string): Promise<boolean>;
  /** See {@link inspectRefreshToken}. */
  inspectRefreshToken(presented: string): Promise<RefreshTokenInfo | null>;
  /** See {@link getJwks}. */
  jwks(): Promise<JwksDocument>;
  signingKeys: SigningKeyService;
  /** One maintenance pass: signing keys, then refresh-token housekeeping (erase leeway boxes, delete old families). */
  maintain(): Promise<void>;
  /** Stops the maintenance timer. */
  close(): Promise<void>;
}

/**
 * Checks the relations between `jwt` settings the schema cannot express.
 *
 * @throws {ConfigError} naming the settings
 */
export function checkJwtConfig(config: GatehouseConfig['jwt']): void {
  const { rotation, jwks, keyCacheSeconds, accessToken } = config;
  if (jwks.maxAgeSeconds > rotation.prePublishSeconds) {
    throw new ConfigError('Invalid configuration: jwt.jwks.maxAgeSeconds must not exceed jwt.rotation.prePublishSeconds (a verifier caching the JWKS must see a new key before it signs)');
  }
  if (keyCacheSeconds >= rotation.prePublishSeconds) {
    throw new ConfigError('Invalid configuration: jwt.keyCacheSeconds must be below jwt.rotation.prePublishSeconds (every instance must know a new key before it activates)');
  }
  if (rotation.periodSeconds <= rotation.prePublishSeconds) {
    throw new ConfigError('Invalid configuration: jwt.rotation.periodSeconds must exceed jwt.rotation.prePublishSeconds');
  }
  if (accessToken.maxLifetimeSeconds < accessToken.lifetimeSeconds) {
    throw new ConfigError('Invalid configuration: jwt.accessToken.maxLifetimeSeconds must be at least jwt.accessToken.lifetimeSeconds');
  }
}

/**
 * Builds the token service from explicit dependencies and runs one maintenance pass, so a new
 * installation has a signing key (and a JWKS) from the first request. Then, unless
 * `scheduler: false`, repeats it every `jwt.rotation.checkIntervalSeconds`.
 *
 * @throws {ConfigError} for inconsistent `jwt` settings; `GatehouseError` `storage.unavailable`
 * @example
 * const tokens = await createTokenService({ keys, refreshTokens, counters, audit, clock, random, config: config.jwt, issuer, keyring, logger });
 */
export async function createTokenService(options: TokenServiceOptions): Promise<TokenService> {
  checkJwtConfig(options.config);
  const deps: TokenDeps = { ...options, keyCache: new SigningKeyCache(options.keys, options.keyring, options.clock, options.config) };
  const maintain = async (): Promise<void> => {
    await maintainSigningKeys(deps);
    const now = deps.clock.now();
    await deps.refreshTokens.clearSuccessors(now - deps.config.refreshToken.reuseLeewaySeconds * 1000);
    await deps.refreshTokens.deleteExpired(now - EXPIRED_FAMILY_RETENTION_MS);
  };
  await maintainSigningKeys(deps);

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  if (options.scheduler !== false) {
    timer = setInterval(() => {
      if (running) return;
      running = maintain()
        .catch((err: unknown) => options.logger.warn({ err }, 'signing key maintenance failed; will retry'))
        .finally(() => {
          running = undefined;
        });
    }, options.config.rotation.checkIntervalSeconds * 1000);
    timer.unref();
  }

  return {
    issuer: options.issuer,
    issueAccessToken: (input) => issueAccessToken(deps, input),
    issueIdToken: (input) => issueIdToken(deps, input),
    issueTokens: (input, context) => issueTokens(deps, input, context),
    refresh: (presented, refreshOptions, context) => refreshTokens(deps, presented, refreshOptions, context),
    revokeRefreshToken: (presented, context, revokeOptions) => revokeRefreshToken(deps, presented, context, revokeOptions),
    revokeForSubject: (subject, reason, context, revokeOptions) => revokeForSubject(deps, subject, reason, context, revokeOptions),
    revokeFamily: (familyId, reason, context) => revokeFamily(deps, familyId, reason, context),
    revokeAccessToken: (jti, revokeOptions, context) => revokeAccessToken(deps, jti, revokeOptions, context),
    isAccessTokenRevoked: (jti) => isAccessTokenRevoked(deps, jti),
    inspectRefreshToken: (presented) => inspectRefreshToken(deps, presented),
    jwks: () => getJwks(deps),
    signingKeys: {
      list: (listOptions) => listSigningKeys(deps, listOptions),
      rotate: (context) => rotateSigningKey(deps, context),
      maintain: () => maintainSigningKeys(deps),
    },
    maintain,
    async close() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
