import { JwtVerificationError } from './errors.js';
import type { JsonObject } from './strict-json.js';

/**
 * The JWT Claims Set checks (RFC 7519 §4.1, RFC 9068 §4), each a small step throwing a
 * {@link JwtVerificationError}: registered claims have their types, required claims are
 * present, `iss` and `aud` match, and the time claims hold within the clock tolerance.
 */

/**
 * The claims of a verified token. Registered claims are typed; others are `unknown`.
 * Times are NumericDate: seconds since the epoch (RFC 7519 §2).
 */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  /** Expiry, seconds since the epoch. Always present on a verified token. */
  exp: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  /** RFC 9068 §2.2 / RFC 8693 §4.3. */
  client_id?: string;
  /** Space-separated scopes (RFC 9068 §2.2.3, RFC 8693 §4.2). */
  scope?: string;
  [claim: string]: unknown;
}

/** What the claims must satisfy. Times in milliseconds. */
export interface ClaimsPolicy {
  readonly issuers: ReadonlySet<string>;
  readonly audiences: ReadonlySet<string>;
  /** Clock tolerance (leeway) in milliseconds, applied to `exp`, `nbf`, `iat`. */
  readonly toleranceMs: number;
  /** Claims that must be present besides `iss`, `aud` and `exp` (always required). */
  readonly requiredClaims: readonly string[];
  /** Greatest age by `iat` in milliseconds, or undefined. */
  readonly maxTokenAgeMs: number | undefined;
}

const invalid = (claim: string, message: string) => new JwtVerificationError('invalid_claim', message, { claim });
const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Registered claims have their RFC 7519 types (a string `exp` is not compared, it is refused). */
export function checkClaimTypes(claims: JsonObject): void {
  // Unrolled: this runs on every verification.
  const { iss, sub, jti, client_id: clientId, scope, exp, nbf, iat, aud } = claims;
  if (iss !== undefined && typeof iss !== 'string') throw invalid('iss', 'iss is not a string');
  if (sub !== undefined && typeof sub !== 'string') throw invalid('sub', 'sub is not a string');
  if (jti !== undefined && typeof jti !== 'string') throw invalid('jti', 'jti is not a string');
  if (clientId !== undefined && typeof clientId !== 'string') throw invalid('client_id', 'client_id is not a string');
  if (scope !== undefined && typeof scope !== 'string') throw invalid('scope', 'scope is not a string');
  if (exp !== undefined && !isNumericDate(exp)) throw invalid('exp', 'exp is not a NumericDate');
  if (nbf !== undefined && !isNumericDate(nbf)) throw invalid('nbf', 'nbf is not a NumericDate');
  if (iat !== undefined && !isNumericDate(iat)) throw invalid('iat', 'iat is not a NumericDate');
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string'))) {
    throw invalid('aud', 'aud is neither a string nor a non-empty array of strings');
  }
}

/** `iss`, `aud`, `exp` and every configured claim are present. */
export function checkRequiredClaims(claims: JsonObject, policy: ClaimsPolicy): void {
  if (claims.iss === undefined) throw new JwtVerificationError('missing_claim', 'iss is required', { claim: 'iss' });
  if (claims.aud === undefined) throw new JwtVerificationError('missing_claim', 'aud is required', { claim: 'aud' });
  // Without exp a token would be valid forever (and a verified-token cache unbounded).
  if (claims.exp === undefined) throw new JwtVerificationError('missing_claim', 'exp is required', { claim: 'exp' });
  for (const name of policy.requiredClaims) {
    if (claims[name] === undefined) throw new JwtVerificationError('missing_claim', 'a required claim is missing', { claim: name });
  }
}

/** `iss` is exactly one of the trusted issuers (RFC 7519 §4.1.1; no normalisation). */
export function checkIssuer(claims: JsonObject, policy: ClaimsPolicy): void {
  if (!policy.issuers.has(claims.iss as string)) throw new JwtVerificationError('invalid_issuer', 'iss is not a trusted issuer', { claim: 'iss' });
}

/** `aud` (a string, or an array of which one entry suffices) names this service (RFC 7519 §4.1.3). */
export function checkAudience(claims: JsonObject, policy: ClaimsPolicy): void {
  const aud = claims.aud as string | string[];
  const ok = typeof aud === 'string' ? policy.audiences.has(aud) : aud.some((a) => policy.audiences.has(a));
  if (!ok) throw new JwtVerificationError('invalid_audience', 'aud does not name this audience', { claim: 'aud' });
}

/**
 * Time claims at `nowMs` with the tolerance: valid while now < exp + tolerance
 * (RFC 7519 §4.1.4), from nbf − tolerance on (§4.1.5), never issued after now + tolerance,
 * and not older than `maxTokenAgeMs` when set.
 */
export function checkTimes(claims: JsonObject, nowMs: number, policy: ClaimsPolicy): void {
  const tolerance = policy.toleranceMs;
  if (nowMs >= (claims.exp as number) * 1000 + tolerance) throw new JwtVerificationError('token_expired', 'exp has passed', { claim: 'exp' });
  const nbf = claims.nbf as number | undefined;
  if (nbf !== undefined && nowMs < nbf * 1000 - tolerance) throw new JwtVerificationError('token_not_yet_valid', 'nbf is in the future', { claim: 'nbf' });
  const iat = claims.iat as number | undefined;
  if (iat !== undefined && nowMs < iat * 1000 - tolerance) throw new JwtVerificationError('token_not_yet_valid', 'iat is in the future', { claim: 'iat' });
  if (policy.maxTokenAgeMs !== undefined) {
    if (iat === undefined) throw new JwtVerificationError('missing_claim', 'iat is required with maxTokenAgeSeconds', { claim: 'iat' });
    if (nowMs - iat * 1000 > policy.maxTokenAgeMs + tolerance) throw new JwtVerificationError('token_expired', 'the token is older than maxTokenAgeSeconds', { claim: 'iat' });
  }
}

/** Every claims check, in order. */
export function checkClaims(claims: JsonObject, nowMs: number, policy: ClaimsPolicy): void {
  checkClaimTypes(claims);
  checkRequiredClaims(claims, policy);
  checkIssuer(claims, policy);
  checkAudience(claims, policy);
  checkTimes(claims, nowMs, policy);
}
