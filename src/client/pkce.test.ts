import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeCodeChallenge, generateNonce, generatePkcePair, generateState } from './pkce.js';

const vectors = JSON.parse(readFileSync(new URL('../../test/fixtures/rfc7636-pkce.json', import.meta.url), 'utf8')) as {
  valid: Array<{ verifierOctets?: number[]; code_verifier: string; code_challenge: string; code_challenge_method: string }>;
  derivedInvalidCases: Array<{ case: string; code_verifier?: string; code_challenge?: string }>;
};

describe('PKCE (RFC 7636)', () => {
  const s256 = vectors.valid.find((v) => v.code_challenge_method === 'S256')!;

  it('computes the Appendix B S256 challenge', () => {
    expect(computeCodeChallenge(s256.code_verifier)).toBe(s256.code_challenge);
  });

  it('encodes the Appendix B verifier octets as the Appendix B verifier', () => {
    const pair = generatePkcePair(() => Uint8Array.from(s256.verifierOctets!));
    expect(pair).toEqual({ codeVerifier: s256.code_verifier, codeChallenge: s256.code_challenge, codeChallengeMethod: 'S256' });
  });

  it('generates 43-character verifiers from 256 random bits, different each time', () => {
    const a = generatePkcePair();
    const b = generatePkcePair();
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(computeCodeChallenge(a.codeVerifier)).toBe(a.codeChallenge);
  });

  it.each(vectors.derivedInvalidCases.filter((c) => c.code_verifier !== undefined && c.code_challenge === undefined))('refuses an invalid verifier: $case', ({ code_verifier }) => {
    expect(() => computeCodeChallenge(code_verifier!)).toThrow(TypeError);
  });

  it('does not match a verifier that differs by one character', () => {
    const c = vectors.derivedInvalidCases.find((x) => x.code_verifier !== undefined && x.code_challenge !== undefined)!;
    expect(computeCodeChallenge(c.code_verifier!)).not.toBe(c.code_challenge);
  });

  it('generates 256-bit state and nonce values', () => {
    expect(generateState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateNonce()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateState()).not.toBe(generateState());
  });
});
