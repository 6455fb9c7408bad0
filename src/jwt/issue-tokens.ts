import { createId } from '../core/crypto/ids.js';
import type { RequestContext } from '../core/events.js';
import type { TokenDeps } from './context.js';
import { emitTokenEvent } from './events.js';
import { issueAccessToken, type AccessTokenInput } from './issue-access-token.js';
import { generateRefreshToken, hashRefreshToken } from './refresh-token-format.js';
import type { RefreshTokenFamily, RefreshTokenRecord } from './types.js';
import { validateAmr, validateAudience, validateClientId, validateScopes, validateSubject } from './validate.js';

/** Input of {@link issueTokens}: the access token's facts, kept in the family for every refresh. */
export interface IssueTokensInput extends Omit<AccessTokenInput, 'claims' | 'lifetimeSeconds'> {
  /** The sign-in session the tokens come from (browser flow): refreshing stops when it ends. */
  sessionId?: string | null;
}

/** An access token and a refresh token, as the token endpoint answers them. */
export interface IssuedTokens {
  /** The access token (JWT). Never log it. */
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires (`expires_in`, RFC 6749 §5.1). */
  expiresIn: number;
  /** Epoch milliseconds. */
  accessTokenExpiresAt: number;
  jti: string;
  scopes: string[];
  /** The opaque refresh token (`ghrt_…`). Never log it; browsers get it only in a cookie. */
  refreshToken: string;
  /** Public id of this refresh token (`rt_…`), for events and logs. */
  refreshTokenId: string;
  /** Epoch milliseconds: the family's end, which rotation does not extend. */
  refreshTokenExpiresAt: number;
  /** The family (`rtf_…`): one sign-in's chain of refresh tokens. */
  familyId: string;
}

/**
 * Starts a refresh-token family: signs an access token and makes a refresh token (256 random
 * bits, stored as SHA-256 only) that lives `jwt.refreshToken.lifetimeSeconds` (default 14 days).
 * Emits `token.issue`.
 *
 * @throws {GatehouseError} `request.invalid`; `signing_key.unavailable`; `storage.unavailable`
 * @example
 * const tokens = await gatehouse.tokens.issueTokens({ subject: user.id, clientId: 'gatehouse', audience: gatehouse.tokens.issuer, sessionId: session.id, amr: session.amr });
 */
export async function issueTokens(deps: TokenDeps, input: IssueTokensInput, context: RequestContext = {}): Promise<IssuedTokens> {
  const family: RefreshTokenFamily = {
    id: '',
    subject: validateSubject(input.subject),
    clientId: validateClientId(input.clientId),
    scopes: validateScopes(input.scopes),
    audience: validateAudience(input.audience),
    authTime: input.authTime ?? null,
    amr: validateAmr(input.amr),
    sessionId: input.sessionId ?? null,
    createdAt: 0,
    expiresAt: 0,
    revokedAt: null,
    revokeReason: null,
  };
  const access = await issueAccessToken(deps, { ...family, audience: family.audience });
  const now = deps.clock.now();
  family.id = createId('rtf', deps.clock, deps.random);
  family.createdAt = now;
  family.expiresAt = now + deps.config.refreshToken.lifetimeSeconds * 1000;
  const refreshToken = generateRefreshToken(deps.random);
  const record: RefreshTokenRecord = {
    id: createId('rt', deps.clock, deps.random),
    tokenHash: hashRefreshToken(refreshToken),
    familyId: family.id,
    createdAt: now,
    expiresAt: family.expiresAt,
    usedAt: null,
    successorId: null,
    successorBlob: null,
    accessJti: access.jti,
    accessExpiresAt: access.expiresAt,
  };
  await deps.refreshTokens.createFamily(family, record);
  emitTokenEvent(deps, 'token.issue', 'success', 'ok', {
    family,
    refreshTokenId: record.id,
    jti: access.jti,
    details: { scope: family.scopes, audience: family.audience, kid: access.kid, access_expires_at: new Date(access.expiresAt).toISOString(), refresh_expires_at: new Date(family.expiresAt).toISOString() },
  }, context);
  return {
    accessToken: access.token,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
    accessTokenExpiresAt: access.expiresAt,
    jti: access.jti,
    scopes: family.scopes,
    refreshToken,
    refreshTokenId: record.id,
    refreshTokenExpiresAt: family.expiresAt,
    familyId: family.id,
  };
}
