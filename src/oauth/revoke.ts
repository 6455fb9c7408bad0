import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { JwtVerificationError } from '../jwt/verifier/errors.js';
import { authenticateClient } from './authenticate-client.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { ownTokenVerifier } from './own-tokens.js';
import { checkParameters, required, single, type OAuthRequest } from './parameters.js';

/**
 * RFC 7009 token revocation. The client authenticates (public clients by `client_id`, §2.1);
 * a token issued to another client, an unknown, expired or malformed token is not an error
 * (§2.2: 200 either way, nothing revoked). Access tokens (JWTs signed by Gatehouse) are
 * revoked early by `jti` until they expire; refresh tokens revoke their whole family, both
 * through `gatehouse.tokens` (which emits `token.revoke`). A request that revokes nothing
 * emits `token.revoke` with outcome `failure` and the reason.
 *
 * @throws {GatehouseError} `oauth.invalid_request`, `oauth.invalid_client`,
 *   `oauth.unsupported_token_type` (a `token_type_hint` other than `access_token` or `refresh_token`); `storage.unavailable`
 * @example await gatehouse.oauth.revoke({ parameters: { token: [refreshToken], client_id: ['cli_…'] } });
 */
export async function revokeToken(deps: OAuthDeps, request: OAuthRequest, context: RequestContext = {}): Promise<void> {
  checkParameters(request);
  const token = required(request, 'token');
  const hint = single(request, 'token_type_hint');
  const { client } = await authenticateClient(deps, request, context);
  if (hint !== undefined && hint !== 'access_token' && hint !== 'refresh_token') throw new GatehouseError('oauth.unsupported_token_type', { detail: 'unknown_token_type_hint' });
  const ctx = context;
  const nothing = (reason: string): void =>
    emitOAuthEvent(deps, { type: 'token.revoke', outcome: 'failure', reason, clientId: client.id, context, ...(hint ? { details: { token_type_hint: hint } } : {}) });

  // The hint only orders the search (§2.1); the token's shape tells the types apart.
  if (token.split('.').length === 3) {
    let claims: Readonly<Record<string, unknown>>;
    try {
      ({ claims } = await (await ownTokenVerifier(deps)).verify(token));
    } catch (err) {
      if (err instanceof JwtVerificationError) return nothing(err.code === 'token_expired' ? 'already_expired' : 'unknown_token');
      throw err;
    }
    if (claims.client_id !== client.id) return nothing('foreign_client');
    await deps.tokens.revokeAccessToken(claims.jti as string, { expiresAt: (claims.exp as number) * 1000 }, ctx);
    return;
  }
  if (!(await deps.tokens.revokeRefreshToken(token, ctx, { clientId: client.id }))) nothing('nothing_revoked');
}
