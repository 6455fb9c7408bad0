/**
 * Invariant: a client secret carries 256 random bits behind a recognisable prefix, only its
 * SHA-256 is stored, and a presented secret is checked by comparing hashes in constant time;
 * an unknown client (no stored hash) never authenticates, whatever is presented.
 */
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../core/crypto/hash.js';
import { CLIENT_SECRET_PREFIX, generateClientSecret, hashClientSecret, isWellFormedClientSecret, verifyClientSecret } from './client-secret.js';

const fixed = (byte: number) => ({ bytes: (n: number) => new Uint8Array(n).fill(byte) });

describe('client secrets', () => {
  it('are gkcs_ + 43 base62 characters from 32 random bytes, and the hash is SHA-256 hex', () => {
    const { secret, hash } = generateClientSecret(fixed(0xff));
    expect(secret.startsWith(CLIENT_SECRET_PREFIX)).toBe(true);
    expect(secret).toMatch(/^gkcs_[0-9A-Za-z]{43}$/);
    expect(hash).toBe(hashSecret(secret, undefined));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(isWellFormedClientSecret(secret)).toBe(true);
    expect(generateClientSecret(fixed(1)).secret).not.toBe(secret);
  });

  it('verify only against the matching hash, and never without one', () => {
    const { secret, hash } = generateClientSecret(fixed(7));
    expect(verifyClientSecret(secret, hash)).toBe(true);
    expect(verifyClientSecret(`${secret.slice(0, -1)}x`, hash)).toBe(false);
    expect(verifyClientSecret(secret, null)).toBe(false);
    expect(verifyClientSecret('', hashClientSecret(''))).toBe(false);
  });
});
