import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { generateClientSecret } from './client-secret.js';
import { toOAuthClient, type OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { CLIENT_ID_PATTERN } from './read.js';
import type { OAuthClientPatch } from './store.js';
import type { ClientJwks, OAuthClient, OAuthGrantType, TokenEndpointAuthMethod } from './types.js';
import {
  checkClientConsistency,
  responseTypesFor,
  usesSecret,
  validateAuthMethod,
  validateClientJwks,
  validateClientName,
  validateClientScopes,
  validateGrantTypes,
  validatePostLogoutRedirectUris,
  validateRedirectUris,
} from './validate.js';

/** Input of {@link updateClient}: the metadata to replace; omitted fields stay. */
export interface UpdateClientInput {
  name?: string;
  redirectUris?: string[];
  /** `post_logout_redirect_uris`, replaced as a whole. */
  postLogoutRedirectUris?: string[];
  grantTypes?: OAuthGrantType[];
  responseTypes?: string[];
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  scopes?: string[];
  /** `null` removes the keys (only when the method is no longer `private_key_jwt`). */
  jwks?: ClientJwks | null;
}

/** Outcome of {@link updateClient}. */
export interface UpdatedClient {
  client: OAuthClient;
  /** A new secret when the update switched to a secret-based method from one without; shown once. */
  secret: string | null;
}

/**
 * Changes a client's metadata. The result is checked as a whole (the same rules as
 * registration). Switching to a secret-based method issues a secret (returned once);
 * switching away erases it. Emits `oauth.client.update` with the changed field names.
 *
 * @throws {GatehouseError} `oauth.client_not_found`, `oauth.invalid_client_metadata`, `oauth.invalid_redirect_uri`, `request.invalid`; `storage.unavailable`
 * @example await gatehouse.oauth.clients.update(id, { scopes: ['invoices:read', 'invoices:write'] });
 */
export async function updateClient(deps: OAuthDeps, id: string, input: UpdateClientInput, context: RequestContext = {}): Promise<UpdatedClient> {
  const current = CLIENT_ID_PATTERN.test(id) ? await deps.clients.findById(id) : null;
  if (!current) throw new GatehouseError('oauth.client_not_found');
  const fields = Object.keys(input).filter((k) => input[k as keyof UpdateClientInput] !== undefined);
  if (fields.length === 0) throw new GatehouseError('request.invalid', { publicMessage: 'Give at least one field to change.' });
  const patch: OAuthClientPatch = {};
  if (input.name !== undefined) patch.name = validateClientName(input.name);
  if (input.redirectUris !== undefined) patch.redirectUris = validateRedirectUris(input.redirectUris);
  if (input.postLogoutRedirectUris !== undefined) patch.postLogoutRedirectUris = validatePostLogoutRedirectUris(input.postLogoutRedirectUris);
  if (input.grantTypes !== undefined) patch.grantTypes = validateGrantTypes(input.grantTypes);
  if (input.tokenEndpointAuthMethod !== undefined) patch.tokenEndpointAuthMethod = validateAuthMethod(input.tokenEndpointAuthMethod);
  if (input.scopes !== undefined) patch.scopes = validateClientScopes(input.scopes);
  if (input.jwks !== undefined) patch.jwks = input.jwks === null ? null : validateClientJwks(input.jwks);
  const grantTypes = patch.grantTypes ?? current.grantTypes;
  const method = patch.tokenEndpointAuthMethod ?? current.tokenEndpointAuthMethod;
  if (input.grantTypes !== undefined || input.responseTypes !== undefined) patch.responseTypes = responseTypesFor(grantTypes, input.responseTypes);
  checkClientConsistency({ grantTypes, tokenEndpointAuthMethod: method, redirectUris: patch.redirectUris ?? current.redirectUris, jwks: patch.jwks !== undefined ? patch.jwks : current.jwks });
  const now = deps.clock.now();
  let secret: string | null = null;
  if (usesSecret(method) && current.secretHash === null) {
    const generated = generateClientSecret(deps.random);
    secret = generated.secret;
    patch.secretHash = generated.hash;
    patch.secretUpdatedAt = now;
  } else if (!usesSecret(method) && current.secretHash !== null) {
    patch.secretHash = null;
    patch.secretUpdatedAt = null;
  }
  const updated = await deps.clients.update(id, patch, now);
  if (!updated) throw new GatehouseError('oauth.client_not_found');
  emitOAuthEvent(deps, { type: 'oauth.client.update', outcome: 'success', reason: 'ok', clientId: id, context, details: { fields, secret_issued: secret !== null } });
  return { client: toOAuthClient(updated), secret };
}
