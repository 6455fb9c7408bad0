import { hash } from 'node:crypto';
import { constantTimeEqual } from '../core/crypto/hash.js';

/** RFC 7636 §4.1: `code_verifier` = 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** RFC 7636 §4.2: an `S256` challenge is base64url(SHA-256(verifier)), 43 characters without padding. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A `code_challenge_method` Gatehouse may accept (RFC 7636 §4.3). */
export type CodeChallengeMethod = 'S256' | 'plain';

/** Whether a `code_challenge` is well-formed for its method (RFC 7636 §4.2). */
export function isWellFormedChallenge(challenge: string, method: CodeChallengeMethod): boolean {
  return method === 'S256' ? S256_CHALLENGE.test(challenge) : VERIFIER.test(challenge);
}

/** RFC 7636 §4.2 S256 transform: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export function s256(verifier: string): string {
  return hash('sha256', verifier, 'base64url');
}

/**
 * RFC 7636 §4.6: whether `verifier` proves possession for `challenge`. The verifier must be
 * 43 to 128 unreserved characters; its transform is compared with the challenge in constant
 * time.
 *
 * @example verifyCodeVerifier('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256') // true
 */
export function verifyCodeVerifier(verifier: string, challenge: string, method: CodeChallengeMethod): boolean {
  if (!VERIFIER.test(verifier)) return false;
  return constantTimeEqual(method === 'S256' ? s256(verifier) : verifier, challenge);
}
