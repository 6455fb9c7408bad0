import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hashSecret } from './hash.js';

describe('hashSecret', () => {
  it('is plain SHA-256 without a pepper (FIPS 180-2 vector "abc")', () => {
    expect(hashSecret('abc', undefined)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is HMAC-SHA256 under the pepper (RFC 4231 test case 2)', () => {
    expect(hashSecret('what do ya want for nothing?', Buffer.from('Jefe'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('differs between SHA-256 and HMAC, and between peppers', () => {
    const secret = 'gk_live_secret';
    const plain = hashSecret(secret, undefined);
    const a = hashSecret(secret, Buffer.from('a'.repeat(32)));
    const b = hashSecret(secret, Buffer.from('b'.repeat(32)));
    expect(new Set([plain, a, b]).size).toBe(3);
  });

  it('returns 64 lower-case hex characters', () => {
    for (const pepper of [undefined, Buffer.from('p'.repeat(32))]) {
      expect(hashSecret('x', pepper)).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('is deterministic', () => {
    const pepper = Buffer.from('p'.repeat(32));
    expect(hashSecret('k', pepper)).toBe(hashSecret('k', pepper));
  });
});

describe('constantTimeEqual', () => {
  it('is true for equal strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
  });

  it('is false for strings that differ anywhere', () => {
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('xbc', 'abc')).toBe(false);
  });

  it('is false for different lengths (without throwing)', () => {
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });

  it('compares UTF-8 bytes: same UTF-16 length but different byte length is false', () => {
    expect(constantTimeEqual('é', 'e')).toBe(false);
  });
});
