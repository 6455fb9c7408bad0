import { constantTimeEqual } from '../core/crypto/hash.js';
import type { TokenDeps } from './context.js';
import { hashRefreshToken, isWellFormedRefreshToken } from './refresh-token-format.js';

/** What {@link inspectRefreshToken} tells about a live refresh token (no secret). */
export interface RefreshTokenInfo {
  /** Public id of the token (`rt_…`). */
  id: string;
  familyId: string;
  subject: string;
  clientId: string;
  scopes: readonly string[];
  audience: readonly string[];
  /** When the token was issued, epoch milliseconds. */
  issuedAt: number;
  /** When it stops working (the earlier of the token's and its family's end), epoch milliseconds. */
  expiresAt: number;
}

/**
 * Looks a presented refresh token up without using it, for RFC 7662 introspection. Returns the
 * token's facts when it would be accepted by a refresh right now — well-formed, known
 * (constant-time hash comparison), not yet exchanged for its successor, its family neither
 * revoked nor expired — and null otherwise. Whether the family's sign-in session is still
 * active is checked at refresh, not here. Emits no event and changes nothing.
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example const info = await gatehouse.tokens.inspectRefreshToken(presented);
 */
export async function inspectRefreshToken(deps: TokenDeps, presented: string): Promise<RefreshTokenInfo | null> {
  if (!isWellFormedRefreshToken(presented)) return null;
  const hash = hashRefreshToken(presented);
  const found = await deps.refreshTokens.findByHash(hash);
  if (!found || !constantTimeEqual(found.token.tokenHash, hash)) return null;
  const { token, family } = found;
  const now = deps.clock.now();
  if (family.revokedAt !== null || token.usedAt !== null || now >= token.expiresAt || now >= family.expiresAt) return null;
  return {
    id: token.id,
    familyId: family.id,
    subject: family.subject,
    clientId: family.clientId,
    scopes: family.scopes,
    audience: family.audience,
    issuedAt: token.createdAt,
    expiresAt: Math.min(token.expiresAt, family.expiresAt),
  };
}
