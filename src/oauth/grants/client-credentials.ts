import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import { defaultAudience } from '../context.js';
import { emitOAuthEvent } from '../events.js';
import { all, single } from '../parameters.js';
import { SCOPE_TOKEN } from '../validate.js';
import type { GrantContext, GrantHandler, TokenResponse } from './types.js';

/**
 * The scopes to grant: those asked for, each registered for the client; without `scope`, every
 * registered scope (RFC 6749 §3.3 lets the server apply a default).
 *
 * @throws {GatehouseError} `oauth.invalid_scope`
 */
export function grantedScopes(registered: readonly string[], requested: string | undefined): string[] {
  if (requested === undefined) return [...registered];
  // The usual request: one registered scope, without the split, filter and Set below.
  if (!requested.includes(' ') && registered.includes(requested) && SCOPE_TOKEN.test(requested)) return [requested];
  const asked = requested.split(' ').filter((s) => s !== '');
  if (asked.length === 0 || asked.length > 64 || !asked.every((s) => SCOPE_TOKEN.test(s))) throw new GatehouseError('oauth.invalid_scope', { detail: 'malformed_scope' });
  const unknown = asked.filter((s) => !registered.includes(s));
  if (unknown.length > 0) throw new GatehouseError('oauth.invalid_scope', { detail: 'scope_not_registered' });
  return [...new Set(asked)];
}

/**
 * The audiences of the token (RFC 8707 §2): each `resource` must be an absolute URI without a
 * fragment and on the `oauth.resources` allow-list; without `resource`, the default audience.
 *
 * @throws {GatehouseError} `oauth.invalid_target`
 */
export function grantedAudience(allowList: readonly string[], resources: readonly string[], fallback: string): string[] {
  if (resources.length === 0) return [fallback];
  if (resources.length > 10) throw new GatehouseError('oauth.invalid_target', { detail: 'too_many_resources' });
  for (const resource of resources) {
    if (resource.includes('#') || !URL.canParse(resource)) throw new GatehouseError('oauth.invalid_target', { detail: 'malformed_resource' });
    if (!allowList.includes(resource)) throw new GatehouseError('oauth.invalid_target', { detail: 'resource_not_allowed' });
  }
  return [...new Set(resources)];
}

/** The last expiry formatted: tokens issued within the same second share it (`exp` is whole seconds). */
let lastExpiry = { ms: Number.NaN, iso: '' };

/** `new Date(ms).toISOString()`, remembered for the last value (formatting costs ~1 µs per token). */
function isoSecond(ms: number): string {
  if (ms !== lastExpiry.ms) lastExpiry = { ms, iso: new Date(ms).toISOString() };
  return lastExpiry.iso;
}

/**
 * `client_credentials` (RFC 6749 §4.4): an access token for the client itself (`sub` =
 * `client_id`), limited to its registered scopes, with no refresh token (§4.4.3). Emits
 * `token.issue`.
 */
export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  parameters: ['scope', 'resource'],
  async handler({ deps, client, request, context }: GrantContext): Promise<TokenResponse> {
    const scopes = grantedScopes(client.scopes, single(request, 'scope'));
    const audience = grantedAudience(deps.config.resources, all(request, 'resource'), defaultAudience(deps));
    const issued = await deps.tokens.issueAccessToken({ subject: client.id, clientId: client.id, audience, scopes });
    emitOAuthEvent(deps, {
      type: 'token.issue',
      outcome: 'success',
      reason: 'ok',
      clientId: client.id,
      context,
      credential: { kind: 'access_token', id: issued.jti, prefix: null },
      details: { grant_type: 'client_credentials', jti: issued.jti, kid: issued.kid, scope: scopes, audience, expires_at: isoSecond(issued.expiresAt) },
    });
    return { access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresIn, ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}) };
  },
};
