import { createId } from '../core/crypto/ids.js';
import { constantTimeEqual } from '../core/crypto/hash.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { TokenDeps } from './context.js';
import { emitReuseAlert, emitTokenEvent } from './events.js';
import { issueAccessToken } from './issue-access-token.js';
import type { IssuedTokens } from './issue-tokens.js';
import { generateRefreshToken, hashRefreshToken, isWellFormedRefreshToken } from './refresh-token-format.js';
import { revokeFamilyAndAccessTokens } from './revoke.js';
import type { RefreshTokenLookup } from './store.js';
import { openSuccessor, sealSuccessor, type SuccessorTokens } from './successor-box.js';
import type { RefreshTokenRecord } from './types.js';
import { validateClientId, validateScopes } from './validate.js';

/** Options of {@link refreshTokens}. */
export interface RefreshOptions {
  /** The authenticated client (OAuth): must be the family's client, else the refresh fails (RFC 6749 §6). */
  clientId?: string;
  /** A narrower scope for the new access token (RFC 6749 §6): a subset of the family's scopes. */
  scopes?: readonly string[];
}

/** Why a refresh was refused; in events only (callers answer every one alike). */
export type RefreshFailureReason = 'malformed' | 'not_found' | 'revoked' | 'expired' | 'reuse_detected' | 'session_ended' | 'client_mismatch' | 'invalid_scope';

function refused(deps: TokenDeps, reason: RefreshFailureReason, found: RefreshTokenLookup | null, context: RequestContext): GatehouseError {
  emitTokenEvent(deps, 'token.refresh', 'failure', reason, found ? { family: found.family, refreshTokenId: found.token.id } : {}, context);
  return new GatehouseError('refresh_token.invalid', { detail: reason });
}

function fromSuccessor(s: SuccessorTokens, familyId: string, familyExpiresAt: number): IssuedTokens {
  return {
    accessToken: s.accessToken,
    tokenType: 'Bearer',
    expiresIn: s.expiresIn,
    accessTokenExpiresAt: s.accessExpiresAt,
    jti: s.jti,
    scopes: s.scope,
    refreshToken: s.refreshToken,
    refreshTokenId: s.refreshTokenId,
    refreshTokenExpiresAt: familyExpiresAt,
    familyId,
  };
}

/**
 * Exchanges a refresh token for a new access token and a new refresh token (rotation on every
 * use), as named steps:
 *
 * 1. shape, SHA-256, one lookup by hash (constant-time hash comparison);
 * 2. family revoked or expired → refused;
 * 3. **already used**: within `jwt.refreshToken.reuseLeewaySeconds` of its rotation, the same
 *    successor tokens as the first exchange got (idempotent: concurrent refreshes from several
 *    tabs or a retried request end with one consistent refresh token); after the leeway it is
 *    reuse of a stolen or replayed token: the whole family is revoked (with its live access
 *    tokens), `alert.raise` (`refresh_token_reuse`) is emitted, and the call is refused;
 * 4. a family bound to a sign-in session whose session has ended → family revoked, refused;
 * 5. client and scope checks (OAuth);
 * 6. sign the new access token, make the successor, seal it under a key derived from the
 *    presented token (kept only for the leeway), and rotate with one compare-and-set; a call
 *    that loses the race to a concurrent one returns that one's successor (step 3).
 *
 * Emits `token.refresh` (success or failure with the real reason).
 *
 * @throws {GatehouseError} `refresh_token.invalid` (one code for every reason; the event says which);
 *   `signing_key.unavailable`; `storage.unavailable`
 * @example const tokens = await gatehouse.tokens.refresh(cookieValue);
 */
export async function refreshTokens(deps: TokenDeps, presented: string, options: RefreshOptions = {}, context: RequestContext = {}): Promise<IssuedTokens> {
  if (!isWellFormedRefreshToken(presented)) throw refused(deps, 'malformed', null, context);
  const hash = hashRefreshToken(presented);
  const found = await deps.refreshTokens.findByHash(hash);
  if (!found || !constantTimeEqual(found.token.tokenHash, hash)) throw refused(deps, 'not_found', null, context);
  const { token, family } = found;
  const now = deps.clock.now();
  if (family.revokedAt !== null) throw refused(deps, 'revoked', found, context);
  if (now >= token.expiresAt || now >= family.expiresAt) throw refused(deps, 'expired', found, context);
  if (token.usedAt !== null) return replayOrReuse(deps, presented, found, token, context);

  if (family.sessionId !== null && deps.sessions && !(await deps.sessions.isActive(family.sessionId, family.subject))) {
    await revokeFamilyAndAccessTokens(deps, family.id, 'session_ended');
    throw refused(deps, 'session_ended', found, context);
  }
  if (options.clientId !== undefined && validateClientId(options.clientId) !== family.clientId) throw refused(deps, 'client_mismatch', found, context);
  const scopes = options.scopes === undefined ? family.scopes : validateScopes(options.scopes);
  if (!scopes.every((s) => family.scopes.includes(s))) throw refused(deps, 'invalid_scope', found, context);

  const access = await issueAccessToken(deps, {
    subject: family.subject,
    clientId: family.clientId,
    audience: family.audience,
    scopes,
    authTime: family.authTime,
    amr: family.amr,
  });
  const refreshToken = generateRefreshToken(deps.random);
  const successor: RefreshTokenRecord = {
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
  const sealed: SuccessorTokens = {
    refreshToken,
    refreshTokenId: successor.id,
    accessToken: access.token,
    jti: access.jti,
    accessExpiresAt: access.expiresAt,
    expiresIn: access.expiresIn,
    scope: scopes,
  };
  // With no leeway nothing is kept: a repeated presentation is reuse at once.
  const blob = deps.config.refreshToken.reuseLeewaySeconds > 0 ? sealSuccessor(presented, token.id, sealed, deps.random) : '';
  if (!(await deps.refreshTokens.rotate(token.id, successor, blob, now))) {
    // A concurrent call rotated it first (or the family was revoked meanwhile): decide on the row as it is now.
    const again = await deps.refreshTokens.findByHash(hash);
    if (!again || again.family.revokedAt !== null) throw refused(deps, 'revoked', again ?? found, context);
    if (again.token.usedAt !== null) return replayOrReuse(deps, presented, again, again.token, context);
    throw refused(deps, 'expired', again, context);
  }
  emitTokenEvent(deps, 'token.refresh', 'success', 'ok', { family, refreshTokenId: token.id, jti: access.jti, details: { successor_id: successor.id, kid: access.kid } }, context);
  return fromSuccessor(sealed, family.id, family.expiresAt);
}

/** Step 3: a used token came back. Within the leeway, the same successor; after it, reuse. */
async function replayOrReuse(deps: TokenDeps, presented: string, found: RefreshTokenLookup, token: RefreshTokenRecord, context: RequestContext): Promise<IssuedTokens> {
  const now = deps.clock.now();
  const leewayMs = deps.config.refreshToken.reuseLeewaySeconds * 1000;
  if (token.usedAt !== null && now < token.usedAt + leewayMs && token.successorBlob) {
    const successor = openSuccessor(presented, token.id, token.successorBlob);
    if (successor) {
      emitTokenEvent(deps, 'token.refresh', 'success', 'concurrent_replay', { family: found.family, refreshTokenId: token.id, jti: successor.jti, details: { successor_id: successor.refreshTokenId } }, context);
      return fromSuccessor(successor, found.family.id, found.family.expiresAt);
    }
  }
  const revoked = await revokeFamilyAndAccessTokens(deps, found.family.id, 'reuse_detected');
  if (revoked) emitReuseAlert(deps, found.family, token.id, token.usedAt ?? now, context);
  throw refused(deps, 'reuse_detected', found, context);
}
