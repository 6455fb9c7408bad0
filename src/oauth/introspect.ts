import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { JwtVerificationError } from '../jwt/verifier/errors.js';
import { authenticateClient } from './authenticate-client.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { ownTokenVerifier } from './own-tokens.js';
import { checkParameters, required, single, type OAuthRequest } from './parameters.js';

/** RFC 7662 §2.2 response: `{ active: false }`, or the token's claims with `active: true`. */
export type IntrospectionResponse = { active: false } | ({ active: true; token_type: 'Bearer' | 'refresh_token' } & Record<string, unknown>);

const INACTIVE: IntrospectionResponse = Object.freeze({ active: false });

/**
 * RFC 7662 token introspection for confidential clients (resource servers). Access tokens are
 * verified with Gatehouse's own keys (`src/jwt/verifier`) and checked against early
 * revocation; expired, revoked, malformed, foreign (another issuer, an audience Gatehouse does
 * not issue for) tokens answer `{ active: false }`. A refresh token is active, with its
 * `client_id`, `sub`, `scope`, `aud`, `iat` and `exp`, only for the client it was issued to and
 * only while a refresh would accept it (unused, family neither revoked nor expired). Only
 * active tokens get claims (§2.2). Emits
 * `token.introspect` with the real reason.
 *
 * @throws {GatehouseError} `oauth.invalid_request`, `oauth.invalid_client` (also for public
 *   clients: §2.1 requires authorisation); `storage.unavailable` when revocation cannot be checked (fail closed)
 * @example const result = await gatehouse.oauth.introspect({ parameters: { token: [at] }, authorization: 'Basic …' });
 */
export async function introspectToken(deps: OAuthDeps, request: OAuthRequest, context: RequestContext = {}): Promise<IntrospectionResponse> {
  checkParameters(request);
  const token = required(request, 'token');
  const { client, method } = await authenticateClient(deps, request, context);
  if (method === 'none') {
    emitOAuthEvent(deps, { type: 'oauth.client.authenticate', outcome: 'failure', reason: 'public_client_cannot_introspect', clientId: client.id, context, severity: 'medium' });
    throw new GatehouseError('oauth.invalid_client', { detail: 'public_client_cannot_introspect' });
  }
  // token_type_hint is advisory (RFC 7662 §2.1): an unknown value is ignored.
  const hint = single(request, 'token_type_hint');
  const decide = (reason: string, response: IntrospectionResponse, jti?: string): IntrospectionResponse => {
    emitOAuthEvent(deps, {
      type: 'token.introspect',
      outcome: 'success',
      reason,
      clientId: client.id,
      context,
      ...(jti ? { credential: { kind: 'access_token' as const, id: jti, prefix: null } } : {}),
      details: { active: response.active, ...(hint === 'access_token' || hint === 'refresh_token' ? { token_type_hint: hint } : {}) },
    });
    return response;
  };
  if (token.split('.').length !== 3) {
    // A refresh token (RFC 7662 §2.2): active only for the client it was issued to, which is the
    // only one that may use it (RFC 6749 §6); another client learns nothing about it.
    const info = await deps.tokens.inspectRefreshToken(token);
    if (!info) return decide('not_an_active_token', INACTIVE);
    if (info.clientId !== client.id) return decide('refresh_token_of_another_client', INACTIVE);
    return decide('active_refresh_token', {
      active: true,
      token_type: 'refresh_token',
      client_id: info.clientId,
      sub: info.subject,
      scope: info.scopes.join(' '),
      aud: info.audience.length === 1 ? info.audience[0] : [...info.audience],
      iss: deps.issuer,
      iat: Math.floor(info.issuedAt / 1000),
      exp: Math.floor(info.expiresAt / 1000),
    });
  }
  let claims: Readonly<Record<string, unknown>>;
  try {
    ({ claims } = await (await ownTokenVerifier(deps)).verify(token));
  } catch (err) {
    if (err instanceof JwtVerificationError) return decide(err.code, INACTIVE);
    throw err;
  }
  const jti = claims.jti as string;
  if (await deps.tokens.isAccessTokenRevoked(jti)) return decide('token_revoked', INACTIVE, jti);
  return decide('active', { ...claims, active: true, token_type: 'Bearer' }, jti);
}
