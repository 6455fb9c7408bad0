import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import { required, single } from '../parameters.js';
import { SCOPE_TOKEN } from '../validate.js';
import type { GrantContext, GrantHandler, TokenResponse } from './types.js';

/**
 * `refresh_token` (RFC 6749 §6) through `gatehouse.tokens.refresh`: the refresh token rotates
 * on every use (so refresh tokens of public clients always rotate, RFC 9700 §4.14.2), reuse
 * after the leeway revokes the family; the family must belong to the authenticated client;
 * `scope` may only narrow (RFC 6749 §6: escalation is `invalid_scope`). Every other refusal is
 * `invalid_grant`; `token.refresh` says why.
 */
export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  parameters: ['refresh_token', 'scope'],
  async handler({ deps, client, request, context }: GrantContext): Promise<TokenResponse> {
    const presented = required(request, 'refresh_token');
    const scope = single(request, 'scope');
    let scopes: string[] | undefined;
    if (scope !== undefined) {
      scopes = [...new Set(scope.split(' ').filter((s) => s !== ''))];
      if (scopes.length === 0 || scopes.length > 64 || !scopes.every((s) => SCOPE_TOKEN.test(s))) throw new GatehouseError('oauth.invalid_scope', { detail: 'malformed_scope' });
    }
    let issued;
    try {
      issued = await deps.tokens.refresh(presented, { clientId: client.id, ...(scopes ? { scopes } : {}) }, context);
    } catch (err) {
      if (err instanceof GatehouseError && err.code === 'refresh_token.invalid') {
        if (err.detail === 'invalid_scope') throw new GatehouseError('oauth.invalid_scope', { detail: 'scope_escalation' });
        throw new GatehouseError('oauth.invalid_grant', { detail: `refresh_${err.detail ?? 'invalid'}` });
      }
      throw err;
    }
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      ...(issued.scopes.length > 0 ? { scope: issued.scopes.join(' ') } : {}),
      refresh_token: issued.refreshToken,
    };
  },
};
