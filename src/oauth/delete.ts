import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { toOAuthClient, type OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { CLIENT_ID_PATTERN } from './read.js';
import type { OAuthClient } from './types.js';

/**
 * Deletes a client: from the next request on it cannot authenticate, so it gets no new token.
 * Access tokens already issued to it stay valid until they expire (at most
 * `jwt.accessToken.maxLifetimeSeconds`) unless revoked by `jti`. Emits `oauth.client.delete`.
 *
 * @throws {GatehouseError} `oauth.client_not_found`; `storage.unavailable`
 * @example await gatehouse.oauth.clients.delete('cli_01J…');
 */
export async function deleteClient(deps: OAuthDeps, id: string, context: RequestContext = {}): Promise<OAuthClient> {
  const deleted = CLIENT_ID_PATTERN.test(id) ? await deps.clients.delete(id) : null;
  if (!deleted) throw new GatehouseError('oauth.client_not_found');
  emitOAuthEvent(deps, { type: 'oauth.client.delete', outcome: 'success', reason: 'ok', clientId: id, context });
  return toOAuthClient(deleted);
}
