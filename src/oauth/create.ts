import { createId } from '../core/crypto/ids.js';
import type { RequestContext } from '../core/events.js';
import { generateClientSecret } from './client-secret.js';
import { toOAuthClient, type OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import type { ClientJwks, OAuthClient, OAuthClientRecord, OAuthGrantType, TokenEndpointAuthMethod } from './types.js';
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

/** Input of {@link createClient}: RFC 7591 §2 metadata, camelCase. Defaults as in RFC 7591. */
export interface CreateClientInput {
  /** `client_name`, 1 to 200 characters. */
  name: string;
  /** `redirect_uris`; required with `authorization_code`. See `validateRedirectUri`. */
  redirectUris?: string[];
  /** `post_logout_redirect_uris` (RP-Initiated Logout 1.0 §3.1); same rules as `redirectUris`. Default none. */
  postLogoutRedirectUris?: string[];
  /** `grant_types`; default `['authorization_code']` (RFC 7591 §2). */
  grantTypes?: OAuthGrantType[];
  /** `response_types`; must be `['code']` with `authorization_code`, else empty. Default derived. */
  responseTypes?: string[];
  /** Default `client_secret_basic` (RFC 7591 §2). */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** Scopes the client may ask for (RFC 6749 §3.3). Default none. */
  scopes?: string[];
  /** Public keys; required with `private_key_jwt`. */
  jwks?: ClientJwks | null;
}

/** A client just registered: its public view and, for secret-based methods, the secret (shown once). */
export interface CreatedClient {
  client: OAuthClient;
  /** The raw secret (`gkcs_…`), or null for `none` and `private_key_jwt`. Gatehouse keeps only its hash. */
  secret: string | null;
}

/**
 * Registers an OAuth client (RFC 7591 semantics, admin-authorised). A secret is generated for
 * `client_secret_basic` / `client_secret_post` and returned once. Emits `oauth.client.create`.
 *
 * @throws {GatehouseError} `oauth.invalid_client_metadata`, `oauth.invalid_redirect_uri`; `storage.unavailable`
 * @example
 * const { client, secret } = await gatehouse.oauth.clients.create({ name: 'billing', grantTypes: ['client_credentials'], scopes: ['invoices:read'] });
 */
export async function createClient(deps: OAuthDeps, input: CreateClientInput, context: RequestContext = {}): Promise<CreatedClient> {
  const grantTypes = validateGrantTypes(input.grantTypes ?? ['authorization_code']);
  const tokenEndpointAuthMethod = validateAuthMethod(input.tokenEndpointAuthMethod ?? 'client_secret_basic');
  const redirectUris = validateRedirectUris(input.redirectUris ?? []);
  const jwks = input.jwks === undefined || input.jwks === null ? null : validateClientJwks(input.jwks);
  checkClientConsistency({ grantTypes, tokenEndpointAuthMethod, redirectUris, jwks });
  const now = deps.clock.now();
  const generated = usesSecret(tokenEndpointAuthMethod) ? generateClientSecret(deps.random) : null;
  const record: OAuthClientRecord = {
    id: createId('cli', deps.clock, deps.random),
    name: validateClientName(input.name),
    redirectUris,
    postLogoutRedirectUris: validatePostLogoutRedirectUris(input.postLogoutRedirectUris ?? []),
    grantTypes,
    responseTypes: responseTypesFor(grantTypes, input.responseTypes),
    tokenEndpointAuthMethod,
    scopes: validateClientScopes(input.scopes ?? []),
    jwks,
    secretHash: generated?.hash ?? null,
    createdAt: now,
    updatedAt: now,
    secretUpdatedAt: generated ? now : null,
  };
  await deps.clients.insert(record);
  emitOAuthEvent(deps, {
    type: 'oauth.client.create',
    outcome: 'success',
    reason: 'ok',
    clientId: record.id,
    context,
    details: { grant_types: record.grantTypes, token_endpoint_auth_method: tokenEndpointAuthMethod, scope: record.scopes, redirect_uris: record.redirectUris },
  });
  return { client: toOAuthClient(record), secret: generated?.secret ?? null };
}
