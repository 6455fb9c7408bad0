import { hashSecret } from '../core/crypto/hash.js';
import type { RandomSource } from '../core/crypto/random.js';

/** Random bytes in an account token: 256 bits. */
export const ACCOUNT_TOKEN_BYTES = 32;

/** The shape of every account token: 32 bytes as unpadded base64url (43 characters). */
export const ACCOUNT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Makes a single-use account token (e-mail verification, password reset): 256 bits from the
 * injected random source as base64url, and the SHA-256 (hex) that is stored in its place.
 * The raw token only ever goes into the e-mailed link.
 */
export function generateAccountToken(random: RandomSource): { token: string; hash: string } {
  const token = Buffer.from(random.bytes(ACCOUNT_TOKEN_BYTES)).toString('base64url');
  return { token, hash: hashAccountToken(token) };
}

/** The stored form of a token: SHA-256, lower-case hex. High-entropy input needs no slow hash. */
export function hashAccountToken(token: string): string {
  return hashSecret(token, undefined);
}

/** True when `token` can be an account token (checked before any storage lookup). */
export function isWellFormedAccountToken(token: unknown): token is string {
  return typeof token === 'string' && ACCOUNT_TOKEN_PATTERN.test(token);
}
