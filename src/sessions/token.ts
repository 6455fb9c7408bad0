import { createHmac } from 'node:crypto';
import { constantTimeEqual, hashSecret } from '../core/crypto/hash.js';
import type { RandomSource } from '../core/crypto/random.js';

/** Random bytes in a session secret: 256 bits. */
export const SESSION_SECRET_BYTES = 32;

/** A session secret as carried in the cookie: 32 bytes, base64url without padding (43 characters). */
const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Makes a new session secret (the cookie value) from the injected random source:
 * 256 random bits, base64url, 43 characters.
 *
 * @example generateSessionToken(secureRandom) // 'q3Vx…' (43 characters)
 */
export function generateSessionToken(random: RandomSource): string {
  const bytes = random.bytes(SESSION_SECRET_BYTES);
  if (bytes.length !== SESSION_SECRET_BYTES) throw new TypeError('random source returned the wrong number of bytes');
  return Buffer.from(bytes).toString('base64url');
}

/**
 * True when `presented` has the shape of a session secret. Checked before any hashing or
 * storage lookup, so a tampered or foreign cookie costs nothing and never reaches a query.
 */
export function isWellFormedSessionToken(presented: string): boolean {
  return SESSION_TOKEN_PATTERN.test(presented);
}

/** SHA-256 of a session secret, lower-case hex: what storage keeps and looks up by. */
export function hashSessionToken(token: string): string {
  return hashSecret(token, undefined);
}

/**
 * The CSRF synchronizer token of a session (OWASP CSRF Prevention: synchronizer token
 * pattern), derived rather than stored: HMAC-SHA256 keyed with the session secret over a
 * fixed label, base64url (43 characters). Only someone holding the cookie can compute it;
 * it reveals nothing about the secret, needs no storage, and changes with every new
 * session id (sign-in, privilege change).
 */
export function deriveCsrfToken(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('gatehouse/csrf/v1').digest('base64url');
}

/** Checks a presented CSRF token against the session's, in constant time. */
export function verifyCsrfToken(sessionToken: string, presented: string | undefined): boolean {
  if (presented === undefined || presented.length !== 43) return false;
  return constantTimeEqual(deriveCsrfToken(sessionToken), presented);
}
