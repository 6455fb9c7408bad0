import type { OAuthClient } from '../oauth/types.js';
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
