import { constantTimeEqual } from '../../core/crypto/hash.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { RequestContext } from '../../core/events.js';
import { hashAuthorizationCode, isWellFormedAuthorizationCode } from '../authorization-code.js';
import { defaultAudience, type OAuthDeps } from '../context.js';
import { emitOAuthEvent } from '../events.js';
import type { AuthorizationCodeRecord } from '../grant-store.js';
import { all, required, single } from '../parameters.js';
import { verifyCodeVerifier } from '../pkce.js';
import type { OAuthClientRecord } from '../types.js';
import { grantedAudience } from './client-credentials.js';
import type { GrantContext, GrantHandler, TokenResponse } from './types.js';

const invalidGrant = (detail: string): GatehouseError => new GatehouseError('oauth.invalid_grant', { detail });

/**
 * A replayed code (RFC 6749 §4.1.2: "If an authorization code is used more than once … SHOULD
 * revoke all tokens previously issued based on that authorization code"; RFC 9700 §4.5):
 * record the replay, revoke the family issued from it (and its live access tokens), raise an
 * alert. The replay is recorded first, so a first exchange still issuing its tokens sees it
 * (see `attachFamily`) and revokes them itself.
 */
async function revokeReplayed(deps: OAuthDeps, codeHash: string, client: OAuthClientRecord, context: RequestContext): Promise<GatehouseError> {
  const now = deps.clock.now();
  const code = await deps.grants.recordReplay(codeHash, now);
  const revoked = code?.familyId ? await deps.tokens.revokeFamily(code.familyId, 'code_replay', context) : false;
  deps.audit.emit({
    type: 'alert.raise',
    outcome: 'failure',
    reason: 'authorization_code_replay',
    severity: 'high',
    client: { id: client.id },
    ...(code ? { actor: { type: 'user', id: code.userId }, target: { type: 'user', id: code.userId } } : {}),
    ...(context.source ? { source: context.source } : {}),
    ...(context.http ? { http: context.http } : {}),
    details: { client_id: client.id, family_id: code?.familyId ?? null, action: revoked ? 'family_revoked' : 'none_issued', consumed_at: code?.consumedAt ? new Date(code.consumedAt).toISOString() : null },
  });
  return invalidGrant('code_replayed');
}

/** RFC 6749 §4.1.3 `redirect_uri`: identical to the authorization request's when it had one; else absent or the only registered URI. */
function checkRedirectUri(code: AuthorizationCodeRecord, client: OAuthClientRecord, presented: string | undefined): void {
  if (code.redirectUri !== null) {
    if (presented === undefined || presented !== code.redirectUri) throw invalidGrant('redirect_uri_mismatch');
  } else if (presented !== undefined && !(client.redirectUris.length === 1 && client.redirectUris[0] === presented)) {
    throw invalidGrant('redirect_uri_mismatch');
  }
}

/**
 * RFC 8707 §2.2: with `resource` bound at the authorization endpoint, the token request may
 * name only those (a subset) or none (all of them); anything else is `invalid_target`. Without
 * a bound `resource`, the token request's are checked against `oauth.resources` as for
 * `client_credentials`. The allow-list is checked again either way (it may have changed).
 */
function codeAudience(deps: OAuthDeps, code: AuthorizationCodeRecord, presented: readonly string[]): string[] {
  if (code.resources.length === 0) return grantedAudience(deps.config.resources, presented, defaultAudience(deps));
  if (presented.some((r) => !code.resources.includes(r))) throw new GatehouseError('oauth.invalid_target', { detail: 'resource_not_authorized' });
  return grantedAudience(deps.config.resources, presented.length > 0 ? presented : code.resources, defaultAudience(deps));
}

/** RFC 7636 §4.6, and RFC 9700 §2.1.1: a `code_verifier` without a challenge in the authorization request is refused too. */
function checkVerifier(code: AuthorizationCodeRecord, verifier: string | undefined): void {
  if (code.codeChallenge === null || code.codeChallengeMethod === null) {
    if (verifier !== undefined) throw invalidGrant('unexpected_code_verifier');
    return;
  }
  if (verifier === undefined) throw invalidGrant('missing_code_verifier');
  if (!verifyCodeVerifier(verifier, code.codeChallenge, code.codeChallengeMethod)) throw invalidGrant('wrong_code_verifier');
}

/**
 * OIDC Core §3.1.3.3: the ID token of a code whose granted scope includes `openid`, with the
 * code's `nonce`, `auth_time` and `amr` and the `at_hash` of the access token issued beside it.
 * Emits `oauth.id_token.issue` (never the token or the nonce).
 */
async function issueCodeIdToken(deps: OAuthDeps, code: AuthorizationCodeRecord, client: OAuthClientRecord, accessToken: string, context: RequestContext): Promise<string> {
  const issued = await deps.tokens.issueIdToken({ subject: code.userId, clientId: client.id, authTime: code.authTime, nonce: code.nonce, amr: code.amr, accessToken, lifetimeSeconds: deps.config.idTokenLifetimeSeconds });
  emitOAuthEvent(deps, {
    type: 'oauth.id_token.issue',
    outcome: 'success',
    reason: 'ok',
    clientId: client.id,
    context: { actor: { type: 'user', id: code.userId }, ...context },
    details: { user_id: code.userId, kid: issued.kid, nonce_present: code.nonce !== null, expires_at: new Date(issued.expiresAt).toISOString() },
  });
  return issued.token;
}

/**
 * `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5) as named steps, after oidc-provider's
 * `lib/actions/grants/authorization_code.js`:
 *
 * 1. the code's shape, SHA-256, one lookup (constant-time hash comparison);
 * 2. issued to this client (a code of another client is refused and left alone);
 * 3. already used → replay: every token issued from it is revoked, `alert.raise`;
 * 4. unexpired (60 s; refused from exactly `expiresAt`);
 * 5. `redirect_uri` identical to the authorization request's;
 * 6. PKCE: `code_verifier` against the stored challenge (constant time);
 * 7. single use: one compare-and-set (`consumeCode`); losing it is a replay (step 3);
 * 8. tokens through `gatehouse.tokens.issueTokens` (`token.issue`), the refresh token handed
 *    out only when the client is registered for `refresh_token`; the family is kept on the
 *    code so a later replay revokes it;
 * 9. with `openid` granted, an ID token (OIDC Core §3.1.3.3, `oauth.id_token.issue`).
 *
 * Every failure is `invalid_grant` (the event says which step).
 */
export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  parameters: ['code', 'redirect_uri', 'code_verifier', 'resource'],
  async handler({ deps, client, request, context }: GrantContext): Promise<TokenResponse> {
    const presented = required(request, 'code');
    if (!isWellFormedAuthorizationCode(presented)) throw invalidGrant('malformed_code');
    const codeHash = hashAuthorizationCode(presented);
    const code = await deps.grants.findCode(codeHash);
    if (!code || !constantTimeEqual(code.codeHash, codeHash)) throw invalidGrant('code_not_found');
    if (code.clientId !== client.id) throw invalidGrant('client_mismatch');
    if (code.consumedAt !== null) throw await revokeReplayed(deps, codeHash, client, context);
    if (deps.clock.now() >= code.expiresAt) throw invalidGrant('code_expired');
    checkRedirectUri(code, client, single(request, 'redirect_uri'));
    checkVerifier(code, single(request, 'code_verifier'));
    const audience = codeAudience(deps, code, all(request, 'resource'));

    if (!(await deps.grants.consumeCode(codeHash, deps.clock.now()))) {
      const again = await deps.grants.findCode(codeHash);
      if (again?.consumedAt != null) throw await revokeReplayed(deps, codeHash, client, context);
      throw invalidGrant('code_expired');
    }
    const issued = await deps.tokens.issueTokens({ subject: code.userId, clientId: client.id, audience, scopes: code.scopes, authTime: code.authTime, amr: code.amr, sessionId: null }, context);
    if (!(await deps.grants.attachFamily(codeHash, issued.familyId))) {
      // A replay came between consumption and issuance: these tokens must not survive it.
      await deps.tokens.revokeFamily(issued.familyId, 'code_replay', context);
      throw invalidGrant('code_replayed');
    }
    const idToken = code.scopes.includes('openid') ? await issueCodeIdToken(deps, code, client, issued.accessToken, context) : undefined;
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      ...(issued.scopes.length > 0 ? { scope: issued.scopes.join(' ') } : {}),
      ...(client.grantTypes.includes('refresh_token') ? { refresh_token: issued.refreshToken } : {}),
      ...(idToken !== undefined ? { id_token: idToken } : {}),
    };
  },
};
