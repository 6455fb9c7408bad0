import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { JwtVerificationError } from '../jwt/verifier/errors.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { ownTokenVerifier } from './own-tokens.js';

/** OIDC Core §5.3.2 UserInfo response: `sub` always, other claims per granted scope. */
export interface UserInfoResponse {
  sub: string;
  /** Scope `email` (OIDC Core §5.4). */
  email?: string;
  email_verified?: boolean;
  /** Scope `profile`, when the user has a name. */
  name?: string;
}

/**
 * The UserInfo endpoint (OIDC Core §5.3) as named steps: the bearer access token (RFC 6750
 * §2.1) is verified with Gatehouse's own keys (`src/jwt/verifier`, the current JWKS) and
 * checked against early revocation (`jti`); its scope must include `openid`; its `sub` must be
 * an active user. Then `sub` and, per granted scope, `email`/`email_verified` (`email`) and
 * `name` (`profile`) from `gatehouse.accounts`. Emits `oauth.userinfo` with the real reason.
 *
 * @param accessToken the presented bearer token, or undefined when none was sent
 * @throws {GatehouseError} `oauth.invalid_token` (401: absent, malformed, expired, revoked,
 *   foreign, unknown or inactive user; the route sends a bare challenge when none was sent),
 *   `oauth.insufficient_scope` (403, no `openid`); `storage.unavailable` (fail closed)
 * @example const claims = await gatehouse.oauth.userinfo(bearerToken);
 */
export async function getUserInfo(deps: OAuthDeps, accessToken: string | undefined, context: RequestContext = {}): Promise<UserInfoResponse> {
  const refuse = (code: 'oauth.invalid_token' | 'oauth.insufficient_scope', reason: string, clientId?: string, jti?: string): GatehouseError => {
    emitOAuthEvent(deps, { type: 'oauth.userinfo', outcome: 'failure', reason, clientId, context, ...(jti ? { credential: { kind: 'access_token' as const, id: jti, prefix: null } } : {}) });
    return new GatehouseError(code, { detail: reason });
  };
  if (accessToken === undefined) throw refuse('oauth.invalid_token', 'no_token');
  if (accessToken.length > 8192 || accessToken.split('.').length !== 3) throw refuse('oauth.invalid_token', 'malformed');
  let claims: Readonly<Record<string, unknown>>;
  try {
    ({ claims } = await (await ownTokenVerifier(deps)).verify(accessToken));
  } catch (err) {
    if (err instanceof JwtVerificationError) throw refuse('oauth.invalid_token', err.code);
    throw err;
  }
  const jti = claims.jti as string;
  const clientId = typeof claims.client_id === 'string' ? claims.client_id.slice(0, 64) : undefined;
  if (await deps.tokens.isAccessTokenRevoked(jti)) throw refuse('oauth.invalid_token', 'token_revoked', clientId, jti);
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes('openid')) throw refuse('oauth.insufficient_scope', 'missing_openid_scope', clientId, jti);
  const user = await deps.users.find(claims.sub as string);
  if (user === null) throw refuse('oauth.invalid_token', 'user_not_found', clientId, jti);
  if (user.status !== 'active') throw refuse('oauth.invalid_token', 'user_not_active', clientId, jti);
  const response: UserInfoResponse = { sub: user.id };
  if (scopes.includes('email')) {
    response.email = user.email;
    response.email_verified = user.emailVerified;
  }
  if (scopes.includes('profile') && user.name !== null) response.name = user.name;
  emitOAuthEvent(deps, {
    type: 'oauth.userinfo',
    outcome: 'success',
    reason: 'ok',
    clientId,
    context: { actor: { type: 'user', id: user.id }, ...context },
    credential: { kind: 'access_token', id: jti, prefix: null },
    details: { scope: scopes.filter((s) => s === 'openid' || s === 'email' || s === 'profile') },
  });
  return response;
}
