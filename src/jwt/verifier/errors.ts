/**
 * Why a token was refused. Stable, machine-readable, for logs and metrics; never sent to the
 * client (the HTTP edge answers every refusal with the same RFC 6750 `invalid_token`).
 *
 * - `token_too_large`: longer than `maxTokenBytes` (checked before any parsing).
 * - `malformed`: not three base64url segments, bad base64url (RFC 7515 §2: no padding, no
 *   other characters, canonical trailing bits), not UTF-8, not a JSON object, duplicate
 *   member names (RFC 7515 §5.2, RFC 7519 §4), `b64: false` (RFC 7797 §7), `cty: JWT`.
 * - `unsupported_algorithm`: `alg` not in the verifier's `algorithms` (`none` never is).
 * - `unsupported_header`: a `crit` header parameter (RFC 7515 §4.1.11: none is understood).
 * - `invalid_token_type`: `typ` is not the expected one (RFC 8725 §3.11, RFC 9068 §2.1).
 * - `unknown_key`: no key of the trusted set has this `kid` and algorithm.
 * - `invalid_signature`: the signature does not verify with that key.
 * - `invalid_claim`: a registered claim has the wrong type (e.g. `exp` is a string).
 * - `missing_claim`: a required claim is absent (`claim` names it).
 * - `token_expired`: `exp` (plus tolerance) has passed, or the token is older than `maxTokenAgeSeconds`.
 * - `token_not_yet_valid`: `nbf` or `iat` is in the future (beyond tolerance).
 * - `invalid_issuer`, `invalid_audience`: `iss` / `aud` do not match (RFC 7519 §4.1.1, §4.1.3).
 * - `token_revoked`: the `isRevoked` hook says the `jti` is revoked.
 * - `jwks_unavailable`: the remote key set could not be fetched and no usable cached copy
 *   exists (fail closed; HTTP 503).
 * - `revocation_unavailable`: the `isRevoked` hook failed (fail closed; HTTP 503).
 */
export type JwtVerificationErrorCode =
  | 'token_too_large'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unsupported_header'
  | 'invalid_token_type'
  | 'unknown_key'
  | 'invalid_signature'
  | 'invalid_claim'
  | 'missing_claim'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'token_revoked'
  | 'jwks_unavailable'
  | 'revocation_unavailable';

/** Every {@link JwtVerificationErrorCode}, for exhaustive tests and metrics labels. */
export const jwtVerificationErrorCodes: readonly JwtVerificationErrorCode[] = Object.freeze([
  'token_too_large',
  'malformed',
  'unsupported_algorithm',
  'unsupported_header',
  'invalid_token_type',
  'unknown_key',
  'invalid_signature',
  'invalid_claim',
  'missing_claim',
  'token_expired',
  'token_not_yet_valid',
  'invalid_issuer',
  'invalid_audience',
  'token_revoked',
  'jwks_unavailable',
  'revocation_unavailable',
]);

/**
 * Thrown (or rejected with) by a JWT verifier when a token is refused. `code` is stable;
 * `message` is a short description of the failed check. Neither ever contains the token,
 * a claim value or key material, so the error is safe to log as is. `claim` names the
 * claim or header parameter concerned, when there is one.
 *
 * Failures of the verifier's own dependencies (`jwks_unavailable`, `revocation_unavailable`)
 * carry the underlying error as `cause`; the HTTP middleware answers them with 503, every
 * other code with 401 `invalid_token`.
 *
 * @example
 * try {
 *   await verifier.verify(token);
 * } catch (err) {
 *   if (err instanceof JwtVerificationError) log.info({ jwt_error: err.code, claim: err.claim }, 'token refused');
 *   else throw err;
 * }
 */
export class JwtVerificationError extends Error {
  override readonly name = 'JwtVerificationError';
  readonly code: JwtVerificationErrorCode;
  /** The claim or header parameter whose check failed (`exp`, `aud`, `typ`, `crit` …), if any. */
  readonly claim: string | undefined;

  constructor(code: JwtVerificationErrorCode, message: string, options: { claim?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.claim = options.claim;
  }

  /** True for the codes that mean "could not check" rather than "bad token" (HTTP 503). */
  get unavailable(): boolean {
    return this.code === 'jwks_unavailable' || this.code === 'revocation_unavailable';
  }
}

/** True for a {@link JwtVerificationError}. */
export function isJwtVerificationError(err: unknown): err is JwtVerificationError {
  return err instanceof JwtVerificationError;
}
