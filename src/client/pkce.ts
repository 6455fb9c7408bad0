import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';

/** A source of cryptographically strong random bytes; inject one in tests. Default: `node:crypto.randomBytes`. */
export type RandomBytes = (length: number) => Uint8Array;

const defaultRandomBytes: RandomBytes = (length) => nodeRandomBytes(length);

/** A PKCE pair (RFC 7636 §4.1–4.2). Keep `codeVerifier` server-side; send only `codeChallenge`. */
export interface PkcePair {
  /** 43 base64url characters (256 random bits), RFC 7636 §4.1. */
  codeVerifier: string;
  /** `BASE64URL(SHA256(codeVerifier))`, RFC 7636 §4.2. */
  codeChallenge: string;
  /** Always `S256` (`plain` is never used, RFC 9700 §2.1.1). */
  codeChallengeMethod: 'S256';
}

/**
 * Computes the S256 code challenge of a verifier (RFC 7636 §4.2).
 *
 * @throws TypeError when the verifier is not 43–128 characters of `[A-Za-z0-9-._~]` (§4.1).
 * @example
 * computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'); // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
 */
export function computeCodeChallenge(codeVerifier: string): string {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(codeVerifier)) {
    throw new TypeError('code_verifier must be 43-128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)');
  }
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/**
 * Generates a PKCE pair: a verifier of 32 random octets, base64url-encoded (43 characters,
 * as RFC 7636 §4.1 recommends), and its S256 challenge.
 *
 * @example
 * const { codeVerifier, codeChallenge } = generatePkcePair();
 */
export function generatePkcePair(randomBytes: RandomBytes = defaultRandomBytes): PkcePair {
  const codeVerifier = Buffer.from(randomBytes(32)).toString('base64url');
  return { codeVerifier, codeChallenge: computeCodeChallenge(codeVerifier), codeChallengeMethod: 'S256' };
}

/**
 * Generates an opaque `state` value (RFC 6749 §10.12): 256 random bits, base64url (43 characters).
 *
 * @example
 * const state = generateState();
 */
export function generateState(randomBytes: RandomBytes = defaultRandomBytes): string {
  return Buffer.from(randomBytes(32)).toString('base64url');
}

/**
 * Generates an OpenID Connect `nonce` (Core §3.1.2.1, §15.5.2): 256 random bits, base64url.
 *
 * @example
 * const nonce = generateNonce();
 */
export function generateNonce(randomBytes: RandomBytes = defaultRandomBytes): string {
  return Buffer.from(randomBytes(32)).toString('base64url');
}
