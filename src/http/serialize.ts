import type { OAuthClient } from '../oauth/types.js';
import type { TokenResponse } from '../oauth/grants/types.js';
import type { ApiKey } from '../api-keys/types.js';
import type { RateLimitState } from '../core/errors/gatehouse-error.js';

/** An API key on the wire: snake_case, RFC 3339 times, no secret and no hash. */
export interface ApiKeyJson {
  id: string;
  name: string;
  /** Prefix and first 8 characters of the key, for display: `gk_live_AbCd1234`. */
  start: string;
  prefix: string;
  environment: 'live' | 'test';
  owner_id: string | null;
  scopes: string[];
  metadata: Record<string, unknown>;
  rate_limit: { limit: number; window_seconds: number } | null;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  rotated_from_id: string | null;
  rotated_to_id: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ms = (s: string | null): number | null => (s === null ? null : Date.parse(s));

/** Serialises a key for a response. */
export function serializeApiKey(key: ApiKey): ApiKeyJson {
  return {
    id: key.id,
    name: key.name,
    start: `${key.prefix}_${key.start}`,
    prefix: key.prefix,
    environment: key.environment,
    owner_id: key.ownerId,
    scopes: key.scopes,
    metadata: key.metadata,
    rate_limit: key.rateLimit ? { limit: key.rateLimit.limit, window_seconds: key.rateLimit.windowSeconds } : null,
    created_at: new Date(key.createdAt).toISOString(),
    updated_at: new Date(key.updatedAt).toISOString(),
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
    last_used_at: iso(key.lastUsedAt),
    rotated_from_id: key.rotatedFromId,
    rotated_to_id: key.rotatedToId,
  };
}

/** The inverse of {@link serializeApiKey}, for clients of the HTTP API. */
export function deserializeApiKey(json: ApiKeyJson): ApiKey {
  return {
    id: json.id,
    name: json.name,
    prefix: json.prefix,
    start: json.start.slice(json.prefix.length + 1),
    environment: json.environment,
    ownerId: json.owner_id,
    scopes: json.scopes,
    metadata: json.metadata,
    rateLimit: json.rate_limit ? { limit: json.rate_limit.limit, windowSeconds: json.rate_limit.window_seconds } : null,
    createdAt: Date.parse(json.created_at),
    updatedAt: Date.parse(json.updated_at),
    expiresAt: ms(json.expires_at),
    revokedAt: ms(json.revoked_at),
    lastUsedAt: ms(json.last_used_at),
    rotatedFromId: json.rotated_from_id,
    rotatedToId: json.rotated_to_id,
  };
}

/** The rate-limit state on the wire: `reset` in seconds. */
export interface RateLimitJson {
  policy: string;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
  window_seconds: number;
}

export function serializeRateLimit(state: RateLimitState): RateLimitJson {
  return { policy: state.policy, limit: state.limit, remaining: state.remaining, reset: state.resetSeconds, window_seconds: state.windowSeconds };
}

export function deserializeRateLimit(json: RateLimitJson): RateLimitState {
  return { policy: json.policy, limit: json.limit, remaining: json.remaining, resetSeconds: json.reset, windowSeconds: json.window_seconds };
}


/** A client in RFC 7591 §3.2.1 wire names (never a secret or its hash). */
export function serializeClient(client: OAuthClient): Record<string, unknown> {
  return {
    client_id: client.id,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scopes.join(' '),
    ...(client.jwks ? { jwks: client.jwks } : {}),
    client_id_issued_at: Math.floor(client.createdAt / 1000),
    created_at: iso(client.createdAt),
    updated_at: iso(client.updatedAt),
    secret_updated_at: iso(client.secretUpdatedAt),
  };
}

/** Characters of a JWS compact serialisation or a Gatehouse token: none needs JSON escaping. */
const TOKEN_CHARS = /^[A-Za-z0-9._~+/=-]*$/;

/** A token as a JSON string: checked against {@link TOKEN_CHARS} (cheaper than escaping 600 characters), escaped otherwise. */
const tokenJson = (token: string): string => (TOKEN_CHARS.test(token) ? `"${token}"` : JSON.stringify(token));

/**
 * The token endpoint's success body (RFC 6749 §5.1) as JSON, members in a fixed order, equal
 * to `JSON.stringify(response)` for the same members: built by hand because this runs once per
 * token issued and JSON.stringify scans each character of a long token for escaping.
 */
export function serializeTokenResponse(response: TokenResponse): string {
  // Anything off the usual shape (not reachable from the grants) takes the general path.
  if (!Number.isFinite(response.expires_in)) return JSON.stringify(response);
  let json = `{"access_token":${tokenJson(response.access_token)},"token_type":${JSON.stringify(response.token_type)},"expires_in":${JSON.stringify(response.expires_in)}`;
  if (response.scope !== undefined) json += `,"scope":${JSON.stringify(response.scope)}`;
  if (response.refresh_token !== undefined) json += `,"refresh_token":${tokenJson(response.refresh_token)}`;
  if (response.id_token !== undefined) json += `,"id_token":${tokenJson(response.id_token)}`;
  return `${json}}`;
}
