import { hash } from 'node:crypto';
import type { RandomSource } from '../core/crypto/random.js';

/** Prefix of every refresh token: lets secret scanners recognise a leaked one. */
export const REFRESH_TOKEN_PREFIX = 'ghrt_';
const SHAPE = /^ghrt_[A-Za-z0-9_-]{43}$/;

/** A new opaque refresh token: `ghrt_` + 256 random bits in base64url (43 characters). */
export function generateRefreshToken(random: RandomSource): string {
  return REFRESH_TOKEN_PREFIX + Buffer.from(random.bytes(32)).toString('base64url');
}

/** True when `value` has the shape of a refresh token (checked before any storage lookup). */
export function isWellFormedRefreshToken(value: unknown): value is string {
  return typeof value === 'string' && SHAPE.test(value);
}

/** Lower-case hex SHA-256 of a refresh token: what is stored (≥ 256-bit inputs need no slow hash). */
export function hashRefreshToken(token: string): string {
  return hash('sha256', token, 'hex');
}
