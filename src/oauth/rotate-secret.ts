import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { generateClientSecret } from './client-secret.js';
import { toOAuthClient, type OAuthDeps } from './context.js';
import type { CreatedClient } from './create.js';
import { emitOAuthEvent } from './events.js';
import { CLIENT_ID_PATTERN } from './read.js';
import { usesSecret } from './validate.js';

/**
 * Replaces a client's secret with a new one (returned once); the old secret stops working at
 * once (no grace period: deploy the new secret, then rotate again if it leaked). Only for
 * `client_secret_basic` / `client_secret_post` clients. Emits `oauth.client.secret_rotate`.
 *
 * @throws {GatehouseError} `oauth.client_not_found`; `oauth.invalid_client_metadata` when the client uses no secret; `storage.unavailable`
 * @example const { secret } = await gatehouse.oauth.clients.rotateSecret('cli_01J…');
 */
export async function rotateClientSecret(deps: OAuthDeps, id: string, context: RequestContext = {}): Promise<CreatedClient> {
  const current = CLIENT_ID_PATTERN.test(id) ? await deps.clients.findById(id) : null;
  if (!current) throw new GatehouseError('oauth.client_not_found');
  if (!usesSecret(current.tokenEndpointAuthMethod)) {
    throw new GatehouseError('oauth.invalid_client_metadata', { publicMessage: `This client authenticates with ${current.tokenEndpointAuthMethod}; it has no secret to rotate.` });
  }
  const now = deps.clock.now();
  const { secret, hash } = generateClientSecret(deps.random);
  const updated = await deps.clients.update(id, { secretHash: hash, secretUpdatedAt: now }, now);
  if (!updated) throw new GatehouseError('oauth.client_not_found');
  emitOAuthEvent(deps, { type: 'oauth.client.secret_rotate', outcome: 'success', reason: 'ok', clientId: id, context });
  return { client: toOAuthClient(updated), secret };
}
