import { encodeBase62, isBase62 } from '../core/crypto/base62.js';
import { constantTimeEqual, hashSecret } from '../core/crypto/hash.js';
import type { RandomSource } from '../core/crypto/random.js';

/** The recognisable prefix of every client secret (secret scanners can look for it). */
export const CLIENT_SECRET_PREFIX = 'gkcs_';
/** Base62 characters after the prefix: 32 random bytes (256 bits) fit in 43 (62^43 > 2^256). */
const SECRET_CHARS = 43;

/**
 * Generates a client secret: `gkcs_` + 43 base62 characters (256 bits of entropy), and its
 * storage hash. Shown once; only the hash is kept.
 *
 * @example const { secret, hash } = generateClientSecret(secureRandom);
 */
export function generateClientSecret(random: RandomSource): { secret: string; hash: string } {
  const secret = CLIENT_SECRET_PREFIX + encodeBase62(random.bytes(32), SECRET_CHARS);
  return { secret, hash: hashClientSecret(secret) };
}

/**
 * The stored form of a client secret: lower-case hex SHA-256. A password hash is unnecessary
 * (and would cap token throughput): the secret carries 256 random bits.
 */
export function hashClientSecret(secret: string): string {
  return hashSecret(secret, undefined);
}

/** True when `secret` has the shape of a Gatehouse client secret (checked before any hashing). */
export function isWellFormedClientSecret(secret: string): boolean {
  return secret.length === CLIENT_SECRET_PREFIX.length + SECRET_CHARS && secret.startsWith(CLIENT_SECRET_PREFIX) && isBase62(secret.slice(CLIENT_SECRET_PREFIX.length));
}

/** A hash no secret has, compared against when the client is unknown, so both paths cost alike. */
const DUMMY_HASH = '0'.repeat(64);

/**
 * Checks a presented secret against a stored hash in constant time (RFC 6749 §2.3.1 asks for
 * protection against brute force; the 256-bit secret space makes guessing hopeless, and the
 * comparison leaks nothing about where a guess differs).
 */
export function verifyClientSecret(presented: string, storedHash: string | null): boolean {
  const ok = constantTimeEqual(hashClientSecret(presented), storedHash ?? DUMMY_HASH);
  return ok && storedHash !== null && isWellFormedClientSecret(presented);
}
