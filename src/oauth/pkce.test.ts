import { describe, expect, it } from 'vitest';
import { isWellFormedChallenge, s256, verifyCodeVerifier } from './pkce.js';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE (RFC 7636)', () => {
  it('computes the Appendix B S256 challenge', () => {
    expect(s256(VERIFIER)).toBe(CHALLENGE);
  });
  it('verifies the matching verifier and refuses others', () => {
    expect(verifyCodeVerifier(VERIFIER, CHALLENGE, 'S256')).toBe(true);
    expect(verifyCodeVerifier(VERIFIER.slice(0, -1) + 'j', CHALLENGE, 'S256')).toBe(false);
    expect(verifyCodeVerifier(CHALLENGE, CHALLENGE, 'S256')).toBe(false);
  });
  it.each(['short', 'a'.repeat(129), `${'a'.repeat(43)} `, `${'a'.repeat(42)}+`])('refuses the malformed verifier %j', (v) => {
    expect(verifyCodeVerifier(v, s256(v), 'S256')).toBe(false);
  });
  it('checks challenge shapes', () => {
    expect(isWellFormedChallenge(CHALLENGE, 'S256')).toBe(true);
    expect(isWellFormedChallenge(`${CHALLENGE}=`, 'S256')).toBe(false);
    expect(isWellFormedChallenge(VERIFIER, 'plain')).toBe(true);
  });
});
