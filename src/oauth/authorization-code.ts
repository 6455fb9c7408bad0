import { hashSecret } from '../core/crypto/hash.js';
import type { RandomSource } from '../core/crypto/random.js';

/** Prefix of authorization codes, so secret scanners can spot a leaked one. */
export const AUTHORIZATION_CODE_PREFIX = 'ghac_';
const SHAPE = /^ghac_[A-Za-z0-9_-]{43}$/;

/** Lifetime of an authorization code, in milliseconds: 60 s (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const AUTHORIZATION_CODE_LIFETIME_MS = 60_000;

/** A new authorization code: `ghac_` + 256 random bits in base64url (43 characters). Never log it. */
export function generateAuthorizationCode(random: RandomSource): string {
  return AUTHORIZATION_CODE_PREFIX + Buffer.from(random.bytes(32)).toString('base64url');
}

/** Whether a presented value has the shape of a Gatehouse authorization code (checked before any lookup). */
export function isWellFormedAuthorizationCode(value: string): boolean {
  return SHAPE.test(value);
}

/** Lower-case hex SHA-256 of a code: the only form stored. */
export function hashAuthorizationCode(code: string): string {
  return hashSecret(code, undefined);
}
