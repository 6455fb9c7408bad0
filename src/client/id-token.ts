import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { constantTimeEqual } from './authorization.js';
import { OAuthValidationError } from './errors.js';

/** Claims of a validated ID token (OpenID Connect Core §2). */
export interface IdTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nonce?: string;
  auth_time?: number;
  azp?: string;
  at_hash?: string;
}

/** What an ID token is checked against. */
export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  /** The nonce sent in the authorization request; `undefined` for ID tokens from a refresh (Core §12.2). */
  nonce: string | undefined;
  /** The access token issued with it, for `at_hash` (Core §3.1.3.8). */
  accessToken: string;
  /** Current time in milliseconds since the epoch. */
  nowMs: number;
  /** Allowed clock skew for `exp`/`iat`, in **seconds**. */
  clockToleranceSeconds: number;
  /** Accepted signature algorithms; default the asymmetric ones jose supports (never `none` or HMAC). */
  algorithms?: string[] | undefined;
}

const asymmetricAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/**
 * Validates an ID token per OpenID Connect Core §3.1.3.7: JWS signature with a key of the
 * server's JWK Set, `iss`, `aud` contains the client (and `azp` equals it when there are
 * several audiences), `exp`, `iat`, `sub`, `nonce` (compared in constant time), and `at_hash`
 * when present (§3.1.3.8, the left half of the hash named by `alg`).
 *
 * @throws OAuthValidationError `invalid_id_token` with `claim` naming the failed check.
 */
export async function validateIdToken(idToken: string, keys: JWTVerifyGetKey, expect: IdTokenExpectations): Promise<IdTokenClaims> {
  let payload: JWTPayload;
  let alg: string;
  try {
    const result = await jwtVerify(idToken, keys, {
      issuer: expect.issuer,
      audience: expect.clientId,
      currentDate: new Date(expect.nowMs),
      clockTolerance: expect.clockToleranceSeconds,
      algorithms: expect.algorithms ?? asymmetricAlgorithms,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    });
    payload = result.payload;
    alg = result.protectedHeader.alg;
  } catch (err) {
    const claim = err instanceof joseErrors.JWTClaimValidationFailed ? err.claim : err instanceof joseErrors.JWTExpired ? 'exp' : 'signature';
    throw new OAuthValidationError('invalid_id_token', `ID token refused (${claim})`, { claim, cause: stripJoseDetails(err) });
  }
  const fail = (claim: string): never => {
    throw new OAuthValidationError('invalid_id_token', `ID token refused (${claim})`, { claim });
  };
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expect.clientId) fail('azp');
  if (payload.azp !== undefined && payload.azp !== expect.clientId) fail('azp');
  if (expect.nonce !== undefined) {
    if (typeof payload.nonce !== 'string' || !constantTimeEqual(payload.nonce, expect.nonce)) fail('nonce');
  }
  if (payload.at_hash !== undefined) {
    if (typeof payload.at_hash !== 'string' || !constantTimeEqual(payload.at_hash, leftHalfHash(alg, expect.accessToken) ?? '')) fail('at_hash');
  }
  return payload as IdTokenClaims;
}

function leftHalfHash(alg: string, value: string): string | undefined {
  const bits = /(\d{3})$/.exec(alg)?.[1];
  // Core §3.1.3.6; Ed25519 uses SHA-512 (OpenID Connect errata / FAPI practice).
  const hash = bits === '256' ? 'sha256' : bits === '384' ? 'sha384' : bits === '512' || alg === 'EdDSA' || alg === 'Ed25519' ? 'sha512' : undefined;
  if (hash === undefined) return undefined;
  const digest = createHash(hash).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

// jose's errors may carry the payload (JWTClaimValidationFailed.payload); keep only code and message.
function stripJoseDetails(err: unknown): unknown {
  if (err instanceof joseErrors.JOSEError) return Object.assign(new Error(err.message), { code: err.code });
  return err;
}
