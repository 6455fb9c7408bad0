import { GatehouseError, InsufficientScopeError } from '../core/errors/gatehouse-error.js';
import { errorResponse, PROBLEM_CONTENT_TYPE, problemBody, REALM, type HttpErrorResponse } from '../http/errors.js';
import { JwtVerificationError } from '../jwt/verifier/errors.js';
import type { VerifiedJwt } from '../jwt/verifier/verifier.js';

/**
 * Framework-independent bearer-JWT authentication (RFC 6750) for the Fastify, Express, Hono
 * and fetch adapters: reads `Authorization: Bearer <token>`, verifies the token, checks the
 * route's scopes, and yields either the verified token or the response to send:
 *
 * - no bearer credential: 401 with a bare `WWW-Authenticate: Bearer realm="gatehouse"` (§3.1);
 * - a malformed `Authorization` header (`Bearer` without a token, several tokens, a repeated
 *   header): 400 `invalid_request`;
 * - any refused token: 401 `error="invalid_token"`, one byte-identical response whatever the
 *   reason (the reason goes to `onFailure`, for logs);
 * - a valid token without a required scope: 403 `insufficient_scope` with `scope` (§3.1);
 * - the key set or the revocation check unavailable: 503 with `Retry-After` (fail closed).
 *
 * It never throws and never answers 500 for any token input.
 */

/** Anything that verifies JWTs: `createJwtVerifier(...)`. */
export interface JwtVerifierLike {
  verifyNow(token: string): VerifiedJwt | Promise<VerifiedJwt>;
}

/** Reads one request header (lower-case name); an array for a repeated header. */
export type JwtHeaderReader = (name: string) => string | string[] | null | undefined;

/** Options shared by every JWT middleware. */
export interface JwtAuthOptions {
  /** The verifier: `createJwtVerifier({ issuer, audience, algorithms, jwksUri })`. */
  verifier: JwtVerifierLike;
  /**
   * Told of every refused token with the reason (`error.code`, `error.claim`), for your logs
   * and metrics. Never given the token.
   */
  onFailure?: (error: JwtVerificationError, requestId: string) => void;
  /** Told of the failure behind every 503 (key set or revocation check unavailable). */
  onError?: (error: unknown, requestId: string) => void;
}

/** Options of one protected route. */
export interface JwtRouteOptions {
  /** Scopes the token's `scope` claim must all contain; otherwise 403 `insufficient_scope`. */
  scopes?: readonly string[];
}

/** Outcome of {@link authenticateJwtNow}. */
export type JwtAuthOutcome =
  | { ok: true; jwt: VerifiedJwt }
  | {
      ok: false;
      response: HttpErrorResponse;
      /** The verification failure behind a 401 or 503 (never contains the token). */
      error?: unknown;
    };

/** Where the bearer token is (RFC 6750 §2.1). */
export type BearerExtraction = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'invalid_request' };

/**
 * Extracts the bearer token from `Authorization` (scheme case-insensitive, RFC 7235 §2.1).
 * `none` without the header or with another scheme; `invalid_request` for a repeated header,
 * `Bearer` without a token, or more than one token (spaces or commas in the credentials).
 */
export function extractBearerToken(readHeader: JwtHeaderReader): BearerExtraction {
  const value = readHeader('authorization');
  if (value === undefined || value === null) return { kind: 'none' };
  if (Array.isArray(value)) return { kind: 'invalid_request' };
  if (value.length < 6 || value.slice(0, 6).toLowerCase() !== 'bearer') return { kind: 'none' };
  if (value.length > 6 && value[6] !== ' ' && value[6] !== '\t') return { kind: 'none' };
  const token = value.slice(6).trim();
  if (token === '' || /[\s,]/.test(token)) return { kind: 'invalid_request' };
  return { kind: 'token', token };
}

const INVALID_TOKEN_CHALLENGE = `Bearer realm="${REALM}", error="invalid_token", error_description="The access token is missing, malformed, expired, revoked or otherwise invalid"`;

/**
 * The one response for every refused token (no `instance`, so it is byte-identical whatever
 * failed), or, with `presented: false`, for a request without a token (a bare challenge).
 */
export function invalidTokenResponse(presented: boolean): HttpErrorResponse {
  return {
    status: 401,
    headers: {
      'www-authenticate': presented ? INVALID_TOKEN_CHALLENGE : `Bearer realm="${REALM}"`,
      'content-type': PROBLEM_CONTENT_TYPE,
      'cache-control': 'no-store',
    },
    body: problemBody('jwt.invalid_token'),
  };
}

/**
 * Authenticates one request: extract, verify, check scopes. Synchronous when the verifier
 * answers synchronously (known key, cached token); otherwise a promise. Never throws.
 */
export function authenticateJwtNow(
  options: JwtAuthOptions,
  readHeader: JwtHeaderReader,
  route: { scopes?: readonly string[] | undefined; requestId: string },
): JwtAuthOutcome | Promise<JwtAuthOutcome> {
  const extracted = extractBearerToken(readHeader);
  if (extracted.kind === 'none') return { ok: false, response: invalidTokenResponse(false) };
  if (extracted.kind === 'invalid_request') return { ok: false, response: errorResponse(new GatehouseError('auth.invalid_request'), route.requestId) };
  let verified: VerifiedJwt | Promise<VerifiedJwt>;
  try {
    verified = options.verifier.verifyNow(extracted.token);
  } catch (err) {
    return refused(err, options, route.requestId);
  }
  if (verified instanceof Promise) {
    return verified.then(
      (jwt) => authorize(jwt, route),
      (err: unknown) => refused(err, options, route.requestId),
    );
  }
  return authorize(verified, route);
}

/** Scope check (RFC 6750 §3.1 `insufficient_scope`): every required scope is in the token's `scope`. */
function authorize(jwt: VerifiedJwt, route: { scopes?: readonly string[] | undefined; requestId: string }): JwtAuthOutcome {
  const required = route.scopes;
  if (required !== undefined && required.length > 0) {
    for (const scope of required) {
      if (!jwt.scopes.includes(scope)) return { ok: false, response: errorResponse(new InsufficientScopeError(required), route.requestId) };
    }
  }
  return { ok: true, jwt };
}

function refused(err: unknown, options: JwtAuthOptions, requestId: string): JwtAuthOutcome {
  if (err instanceof JwtVerificationError) {
    if (err.unavailable) {
      options.onError?.(err, requestId);
      return { ok: false, response: errorResponse(new GatehouseError('auth.verifier_unavailable', { detail: `jwt: ${err.code}`, cause: err }), requestId), error: err };
    }
    options.onFailure?.(err, requestId);
    return { ok: false, response: invalidTokenResponse(true), error: err };
  }
  // An unexpected error from a verifier: refuse the token (fail closed), never a 500.
  options.onError?.(err, requestId);
  return { ok: false, response: invalidTokenResponse(true), error: err };
}

/** Validates route scopes once, when the route is declared (a programmer mistake throws then, not per request). */
export function checkRouteScopes(scopes: readonly string[] | undefined): readonly string[] | undefined {
  if (scopes === undefined) return undefined;
  const list: unknown = scopes;
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) {
    throw new TypeError('scopes must be an array of scope tokens (RFC 6749 §3.3: printable ASCII without space, " or \\)');
  }
  return Object.freeze(list.slice() as string[]);
}
