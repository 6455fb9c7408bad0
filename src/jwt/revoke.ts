import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { TokenDeps } from './context.js';
import { emitTokenEvent } from './events.js';
import { hashRefreshToken, isWellFormedRefreshToken } from './refresh-token-format.js';
import type { RefreshTokenFamily } from './types.js';
import { JTI_PATTERN } from './validate.js';

/** The counters key of an early-revoked access token. */
export const revokedJtiKey = (jti: string): string => `jwt:revoked:${jti}`;

/** Outcome of {@link revokeAccessToken}. */
export interface AccessTokenRevocation {
  jti: string;
  /** Epoch milliseconds until which verifiers that opt in refuse the token (its expiry plus the tolerance). */
  revokedUntil: number;
}

/**
 * Early revocation of an access token by `jti`: a marker in the counters store with a TTL of the
 * token's remaining lifetime plus the clock tolerance (RFC 7009 §2 semantics for JWTs, which
 * otherwise stay valid until `exp`). Verifiers that opt in check it with
 * {@link isAccessTokenRevoked}. Without `expiresAt` the longest possible remaining lifetime
 * (`jwt.accessToken.maxLifetimeSeconds`) is used. Revoking twice is harmless. Emits `token.revoke`.
 *
 * @param options.expiresAt the token's `exp`, in epoch **milliseconds**, when known
 * @throws {GatehouseError} `request.invalid` for a malformed `jti`; `storage.unavailable` when the counters are down
 * @example await gatehouse.tokens.revokeAccessToken(claims.jti, { expiresAt: claims.exp * 1000 });
 */
export async function revokeAccessToken(deps: TokenDeps, jti: string, options: { expiresAt?: number } = {}, context: RequestContext = {}): Promise<AccessTokenRevocation> {
  if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) throw new GatehouseError('request.invalid', { publicMessage: 'jti must be 1 to 128 base64url characters.' });
  const now = deps.clock.now();
  const longest = now + deps.config.accessToken.maxLifetimeSeconds * 1000;
  const expiresAt = options.expiresAt === undefined ? longest : Math.min(options.expiresAt, longest);
  const revokedUntil = expiresAt + deps.config.clockToleranceSeconds * 1000;
  if (revokedUntil > now) await denyJti(deps, jti, revokedUntil - now);
  emitTokenEvent(deps, 'token.revoke', 'success', revokedUntil > now ? 'ok' : 'already_expired', { jti, details: { revoked_until: new Date(revokedUntil).toISOString() } }, context);
  return { jti, revokedUntil };
}

async function denyJti(deps: TokenDeps, jti: string, ttlMs: number): Promise<void> {
  try {
    await deps.counters.setIfAbsent(revokedJtiKey(jti), Math.ceil(ttlMs));
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: 'counters.setIfAbsent failed (access token revocation)', cause: err });
  }
}

/**
 * Whether an access token was revoked early (see {@link revokeAccessToken}). One counters read.
 * Pass it to a verifier as its revocation hook. A malformed `jti` is reported revoked (fail closed).
 *
 * @throws {GatehouseError} `storage.unavailable` when the counters are down: callers must refuse the token (fail closed)
 * @example const revoked = await gatehouse.tokens.isAccessTokenRevoked(claims.jti);
 */
export async function isAccessTokenRevoked(deps: TokenDeps, jti: string): Promise<boolean> {
  if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) return true;
  try {
    return (await deps.counters.get(revokedJtiKey(jti))) > 0;
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: 'counters.get failed (access token revocation check)', cause: err });
  }
}

/**
 * Revokes a family and the access tokens still live that were issued in it (early revocation,
 * seen by verifiers that opt in). Returns the family when this call revoked it, null when it
 * was already revoked (exactly one concurrent caller gets it).
 */
export async function revokeFamilyAndAccessTokens(deps: TokenDeps, familyId: string, reason: string): Promise<RefreshTokenFamily | null> {
  const now = deps.clock.now();
  const family = await deps.refreshTokens.revokeFamily(familyId, reason, now);
  if (!family) return null;
  const live = await deps.refreshTokens.liveAccessTokens(familyId, now);
  for (const { jti, expiresAt } of live) await denyJti(deps, jti, expiresAt + deps.config.clockToleranceSeconds * 1000 - now);
  return family;
}

/**
 * Revokes the family of a presented refresh token (sign-out of the browser flow; RFC 7009
 * §2.2: an unknown or malformed token is not an error). Access tokens of the family still live
 * are revoked early too. Returns true when a family was revoked by this call. Emits `token.revoke`.
 * With `options.clientId`, a token of another client's family is left alone (false).
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example await gatehouse.tokens.revokeRefreshToken(cookieValue);
 */
export async function revokeRefreshToken(deps: TokenDeps, presented: string, context: RequestContext = {}, options: { clientId?: string } = {}): Promise<boolean> {
  if (!isWellFormedRefreshToken(presented)) return false;
  const found = await deps.refreshTokens.findByHash(hashRefreshToken(presented));
  // RFC 7009 §2.1: a client revokes only tokens issued to it.
  if (!found || (options.clientId !== undefined && found.family.clientId !== options.clientId)) return false;
  const family = await revokeFamilyAndAccessTokens(deps, found.family.id, 'revoked');
  emitTokenEvent(deps, 'token.revoke', 'success', family ? 'ok' : 'already_revoked', { family: found.family, refreshTokenId: found.token.id }, context);
  return family !== null;
}

/**
 * Revokes every live refresh-token family of a subject (password change, account disabled,
 * "sign out everywhere"); with `options.clientId`, only that OAuth client's families (consent
 * revoked). Returns how many. Emits one `token.revoke` per family.
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example await gatehouse.tokens.revokeForSubject(user.id, 'password_change');
 */
export async function revokeForSubject(deps: TokenDeps, subject: string, reason: string, context: RequestContext = {}, options: { clientId?: string } = {}): Promise<number> {
  const now = deps.clock.now();
  const ids = await deps.refreshTokens.revokeFamiliesOfSubject(subject, reason.slice(0, 32), now, options.clientId);
  for (const id of ids) {
    for (const { jti, expiresAt } of await deps.refreshTokens.liveAccessTokens(id, now)) await denyJti(deps, jti, expiresAt + deps.config.clockToleranceSeconds * 1000 - now);
    emitTokenEvent(deps, 'token.revoke', 'success', 'ok', { details: { family_id: id, subject, why: reason.slice(0, 32) } }, context);
  }
  return ids.length;
}

/**
 * Revokes a refresh-token family by id, with its access tokens still live (early revocation):
 * an authorization code replayed (RFC 6749 §4.1.2, RFC 9700 §4.5) revokes the tokens issued
 * from it. Returns true when this call revoked it (false when unknown or already revoked).
 * Emits `token.revoke` when it revoked.
 *
 * @param reason a short machine code (at most 32 characters), e.g. `code_replay`
 * @throws {GatehouseError} `storage.unavailable`
 * @example await gatehouse.tokens.revokeFamily('rtf_01JD…', 'code_replay');
 */
export async function revokeFamily(deps: TokenDeps, familyId: string, reason: string, context: RequestContext = {}): Promise<boolean> {
  const family = await revokeFamilyAndAccessTokens(deps, familyId, reason.slice(0, 32));
  if (family) emitTokenEvent(deps, 'token.revoke', 'success', 'ok', { family, details: { why: reason.slice(0, 32) } }, context);
  return family !== null;
}
