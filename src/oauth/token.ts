import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { authenticateClient } from './authenticate-client.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { grantHandlers, type TokenResponse } from './grants/index.js';
import { checkParameters, required, type OAuthRequest } from './parameters.js';
import type { OAuthGrantType } from './types.js';

/**
 * The token endpoint (RFC 6749 §3.2) as named steps: parameters checked (no repeats), client
 * authenticated (§2.3), grant type supported (`unsupported_grant_type`) and registered for the
 * client (`unauthorized_client`, §5.2), then the grant's handler. Failures after client
 * authentication emit `token.issue` with outcome `failure` and the real reason.
 *
 * @throws {GatehouseError} `oauth.invalid_request`, `oauth.invalid_client`, `oauth.unsupported_grant_type`,
 *   `oauth.unauthorized_client`, `oauth.invalid_scope`, `oauth.invalid_target`; `signing_key.unavailable`, `storage.unavailable`
 * @example
 * const response = await gatehouse.oauth.token({ parameters: { grant_type: ['client_credentials'] }, authorization: 'Basic …' });
 */
export async function exchangeToken(deps: OAuthDeps, request: OAuthRequest, context: RequestContext = {}): Promise<TokenResponse> {
  checkParameters(request);
  const grantType = required(request, 'grant_type');
  const { client } = await authenticateClient(deps, request, context);
  try {
    const grant = grantHandlers.get(grantType);
    if (!grant) throw new GatehouseError('oauth.unsupported_grant_type', { detail: 'unsupported_grant_type' });
    if (!client.grantTypes.includes(grantType as OAuthGrantType)) throw new GatehouseError('oauth.unauthorized_client', { detail: 'grant_not_registered' });
    return await grant.handler({ deps, client, request, context });
  } catch (err) {
    if (err instanceof GatehouseError && err.status < 500) {
      emitOAuthEvent(deps, {
        type: 'token.issue',
        outcome: 'failure',
        reason: err.detail ?? err.code.replace(/^oauth\./, ''),
        clientId: client.id,
        context,
        details: { grant_type: grantType.slice(0, 64) },
      });
    }
    throw err;
  }
}
