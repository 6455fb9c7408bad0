/** The environment a key belongs to; it selects the key's prefix. */
export type ApiKeyEnvironment = 'live' | 'test';

/** A per-key rate limit: `limit` requests per fixed window of `windowSeconds` seconds. */
export interface ApiKeyRateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * An API key as Gatehouse shows it: everything but the secret and its hash.
 * Times are milliseconds since the epoch; `null` means unset.
 */
export interface ApiKey {
  /** Public id, `key_` + 26 characters, time-sortable. */
  id: string;
  name: string;
  ownerId: string | null;
  /** Free-form JSON object, at most 4 KiB serialised. */
  metadata: Record<string, unknown>;
  scopes: string[];
  environment: ApiKeyEnvironment;
  /** The key's prefix, e.g. `gk_live`. */
  prefix: string;
  /** The first 8 characters after the prefix, for display: `gk_live_AbCd1234…`. */
  start: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  /** Per-key override of the default rate limit; `null` uses the default. */
  rateLimit: ApiKeyRateLimit | null;
  /** The key this one replaced by rotation. */
  rotatedFromId: string | null;
  /** The key that replaced this one by rotation (this one then expires after the grace period). */
  rotatedToId: string | null;
}

/** A stored key: the public view plus the hash of the secret. Never leaves the core. */
export interface ApiKeyRecord extends ApiKey {
  /** SHA-256 or HMAC-SHA256 of the whole key, lower-case hex. */
  hash: string;
}

/** Public verification outcome codes (`POST /v1/keys/verify`). */
export type ApiKeyVerifyCode = 'NOT_FOUND' | 'EXPIRED' | 'REVOKED' | 'INSUFFICIENT_SCOPE' | 'RATE_LIMITED';
