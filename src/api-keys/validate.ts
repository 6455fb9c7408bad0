import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { ApiKeyRateLimit } from './types.js';

/** Most scopes on one key. */
export const MAX_SCOPES = 64;
/** Largest serialised metadata, in bytes. */
export const MAX_METADATA_BYTES = 4096;
/** Longest key lifetime, in seconds (10 years). */
export const MAX_LIFETIME_SECONDS = 315_360_000;

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

function invalid(message: string): GatehouseError {
  return new GatehouseError('request.invalid', { publicMessage: message });
}

/** @throws {GatehouseError} `request.invalid` */
export function validateName(name: unknown): string {
  if (typeof name !== 'string') throw invalid('name must be a string.');
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200 || CONTROL.test(trimmed)) throw invalid('name must be 1 to 200 characters without control characters.');
  return trimmed;
}

/** Returns the scopes deduplicated, in first-seen order. @throws {GatehouseError} `request.invalid` */
export function validateScopes(scopes: unknown): string[] {
  if (!Array.isArray(scopes)) throw invalid('scopes must be an array of strings.');
  if (scopes.length > MAX_SCOPES) throw invalid(`At most ${MAX_SCOPES} scopes are allowed.`);
  for (const s of scopes) {
    if (typeof s !== 'string' || !SCOPE_TOKEN.test(s)) throw invalid('Each scope must be 1 to 128 printable ASCII characters without spaces, quotes or backslashes (RFC 6749 §3.3).');
  }
  return [...new Set(scopes as string[])];
}

/** @throws {GatehouseError} `request.invalid` */
export function validateOwnerId(ownerId: unknown): string | null {
  if (ownerId === null || ownerId === undefined) return null;
  if (typeof ownerId !== 'string' || ownerId.length < 1 || ownerId.length > 255 || CONTROL.test(ownerId)) {
    throw invalid('owner_id must be 1 to 255 characters without control characters.');
  }
  return ownerId;
}

/** @throws {GatehouseError} `request.invalid` */
export function validateMetadata(metadata: unknown): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw invalid('metadata must be a JSON object.');
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  } catch {
    // JSON.stringify overflows the stack on deeply nested input, which is necessarily far over the limit.
    size = Infinity;
  }
  if (size > MAX_METADATA_BYTES) throw invalid(`metadata must serialise to at most ${MAX_METADATA_BYTES} bytes.`);
  return structuredClone(metadata as Record<string, unknown>);
}

/** @throws {GatehouseError} `request.invalid` */
export function validateRateLimit(rateLimit: unknown): ApiKeyRateLimit | null {
  if (rateLimit === null || rateLimit === undefined) return null;
  const r = rateLimit as Partial<ApiKeyRateLimit>;
  if (
    typeof r !== 'object' ||
    !Number.isInteger(r.limit) ||
    !Number.isInteger(r.windowSeconds) ||
    (r.limit as number) < 1 ||
    (r.limit as number) > 1_000_000_000 ||
    (r.windowSeconds as number) < 1 ||
    (r.windowSeconds as number) > 86_400
  ) {
    throw invalid('rate_limit needs an integer limit from 1 to 1000000000 and an integer window_seconds from 1 to 86400.');
  }
  return { limit: r.limit as number, windowSeconds: r.windowSeconds as number };
}

/** @throws {GatehouseError} `request.invalid` */
export function validateLifetimeSeconds(seconds: unknown, field = 'expires_in_seconds'): number {
  if (!Number.isInteger(seconds) || (seconds as number) < 1 || (seconds as number) > MAX_LIFETIME_SECONDS) {
    throw invalid(`${field} must be an integer from 1 to ${MAX_LIFETIME_SECONDS}.`);
  }
  return seconds as number;
}
