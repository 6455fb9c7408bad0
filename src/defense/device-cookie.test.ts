import { describe, expect, it } from 'vitest';
import { deriveDefenseKeys } from './keys.js';
import { signDeviceCookie } from './sign-device-cookie.js';
import { verifyDeviceCookie } from './verify-device-cookie.js';
import { identifierHash, normalizeIdentifier } from './identifier.js';

const NOW = Date.UTC(2026, 0, 1);
const SECRET = 'device-cookie-test-secret-0123456789';
const keys = deriveDefenseKeys([SECRET]);
const key = keys.cookieKeys[0]!;
const claims = { userId: 'usr_01ABC', nonce: 'AAAAAAAAAAAAAAAAAAAAAA', issuedAtSeconds: NOW / 1000 };

describe('device cookies', () => {
  it('round-trips and carries no identifier', () => {
    const value = signDeviceCookie(key, claims, 'alice@example.com');
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]{8}\.usr_01ABC\.A{22}\.1767225600\.[A-Za-z0-9_-]{43}$/);
    expect(value).not.toContain('alice');
    expect(verifyDeviceCookie(value, 'alice@example.com', keys.cookieKeys, NOW, 3600)).toEqual({ ok: true, claims });
  });

  it('is deterministic for fixed inputs and depends on the key', () => {
    expect(signDeviceCookie(key, claims, 'a@b.c')).toBe(signDeviceCookie(key, claims, 'a@b.c'));
    const other = deriveDefenseKeys(['another-secret-of-enough-length-0123']).cookieKeys[0]!;
    expect(signDeviceCookie(other, claims, 'a@b.c').split('.')[5]).not.toBe(signDeviceCookie(key, claims, 'a@b.c').split('.')[5]);
  });

  it.each([
    ['another identifier', 'bob@example.com', NOW, 'bad_signature'],
    ['a time past its lifetime', 'alice@example.com', NOW + 3600_000, 'expired'],
    ['a time long before issue', 'alice@example.com', NOW - 61_000, 'not_yet_valid'],
  ])('refuses %s', (_name, identifier, now, problem) => {
    const value = signDeviceCookie(key, claims, 'alice@example.com');
    expect(verifyDeviceCookie(value, identifier, keys.cookieKeys, now, 3600)).toEqual({ ok: false, problem });
  });

  it('accepts a little clock skew between instances', () => {
    const value = signDeviceCookie(key, claims, 'alice@example.com');
    expect(verifyDeviceCookie(value, 'alice@example.com', keys.cookieKeys, NOW - 60_000, 3600).ok).toBe(true);
  });

  it('verifies with any listed key (rotation) and refuses an unknown key id', () => {
    const rotated = deriveDefenseKeys(['the-new-secret-of-enough-length-0123', SECRET]);
    expect(rotated.cookieKeys).toHaveLength(2);
    const old = signDeviceCookie(key, claims, 'alice@example.com');
    expect(verifyDeviceCookie(old, 'alice@example.com', rotated.cookieKeys, NOW, 3600).ok).toBe(true);
    const fresh = signDeviceCookie(rotated.cookieKeys[0]!, claims, 'alice@example.com');
    expect(verifyDeviceCookie(fresh, 'alice@example.com', keys.cookieKeys, NOW, 3600)).toEqual({ ok: false, problem: 'unknown_key' });
  });

  it('the identifier key comes from the current secret only', () => {
    const rotated = deriveDefenseKeys(['the-new-secret-of-enough-length-0123', SECRET]);
    expect(rotated.identifierKey.equals(deriveDefenseKeys(['the-new-secret-of-enough-length-0123']).identifierKey)).toBe(true);
    expect(identifierHash(rotated.identifierKey, 'a@b.c')).not.toBe(identifierHash(keys.identifierKey, 'a@b.c'));
  });

  it.each([
    { ...claims, userId: 'has space' },
    { ...claims, userId: '' },
    { ...claims, nonce: 'short' },
    { ...claims, issuedAtSeconds: 1.5 },
    { ...claims, issuedAtSeconds: -1 },
  ])('refuses to sign malformed claims %j', (bad) => {
    expect(() => signDeviceCookie(key, bad, 'a@b.c')).toThrow(TypeError);
  });

  it('refuses to derive keys from no secret', () => {
    expect(() => deriveDefenseKeys([])).toThrow(TypeError);
  });
});

describe('identifiers', () => {
  it.each([
    ['  Alice@Example.COM  ', 'alice@example.com'],
    ['ａｌｉｃｅ@ｅｘａｍｐｌｅ.com', 'alice@example.com'],
    ['\u3000alice@example.com\u3000', 'alice@example.com'],
    ['ÅSA@example.com', 'åsa@example.com'],
  ])('normalises %j to %j, idempotently', (raw, normalized) => {
    expect(normalizeIdentifier(raw)).toBe(normalized);
    expect(normalizeIdentifier(normalizeIdentifier(raw))).toBe(normalized);
  });

  it('hashes with the key: idh_ and 32 hex characters, different per key', () => {
    const h = identifierHash(keys.identifierKey, 'alice@example.com');
    expect(h).toMatch(/^idh_[0-9a-f]{32}$/);
    expect(identifierHash(deriveDefenseKeys(['x'.repeat(32)]).identifierKey, 'alice@example.com')).not.toBe(h);
  });
});
