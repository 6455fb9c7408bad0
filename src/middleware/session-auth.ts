import type { Session } from '../sessions/types.js';
import type { SessionValidationResult, ValidateSessionOptions } from '../sessions/validate.js';
import { constantTimeEqual } from '../core/crypto/hash.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { errorResponse, PROBLEM_CONTENT_TYPE, problemBody, type HttpErrorResponse } from '../http/errors.js';
import { checkCsrf, readCookie, type CsrfCheckResult } from './csrf.js';

/**
 * Anything that validates session cookie values: in process, `gatehouse.sessions`.
 */
export interface SessionValidator {
  validate(presented: string, options?: ValidateSessionOptions): Promise<SessionValidationResult>;
}

/** What a successful session authentication puts on the request. */
export interface SessionAuthResult {
  session: Session;
  /** The session's CSRF token, to embed in forms (`_csrf`) or hand to scripts (`X-CSRF-Token`). */
  csrfToken: string;
}

/** The request parts session authentication reads. */
export interface SessionRequest {
  method: string;
  /** The raw `Cookie` header. */
  cookieHeader: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** The synchronizer token the request carries, if any (see `presentedCsrfToken`). */
  csrfToken: string | undefined;
  context: RequestContext;
  requestId: string;
}

/** Options of {@link authenticateSession}. */
export interface AuthenticateSessionOptions {
  /** The session cookie's name: `gatehouse.sessionCookie.name` (`__Host-gatehouse_session`). */
  cookieName: string;
  /** Origins allowed to send state-changing requests (CSRF defence). */
  allowedOrigins: readonly string[];
  /** Check CSRF on unsafe methods. Default true; turn off only for routes that change nothing. */
  csrf?: boolean;
}

/** Outcome of {@link authenticateSession}. */
export type SessionAuthOutcome =
  | { ok: true; auth: SessionAuthResult }
  | {
      ok: false;
      response: HttpErrorResponse;
      /** The validator's failure behind a 5xx, or the CSRF reason behind a 403, for the operational log (never sent). */
      error?: unknown;
      csrf?: Extract<CsrfCheckResult, { ok: false }>['reason'];
    };

/**
 * The one response for every failed session authentication: no cookie, a malformed,
 * tampered, unknown, ended or expired one all get the same 401 body (no `instance`, so it is
 * byte-identical).
 */
export function sessionUnauthorizedResponse(): HttpErrorResponse {
  return { status: 401, headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' }, body: problemBody('session.invalid') };
}

/**
 * Framework-independent session-cookie authentication: reads the cookie, validates it, and
 * on unsafe methods (POST, PUT, PATCH, DELETE …) enforces CSRF: a matching `Origin`, or
 * without one the session's synchronizer token. Answers 401 `session.invalid` (identical for
 * every bad cookie), 403 `csrf.rejected`, or 503 when storage is down (fail closed).
 */
export async function authenticateSession(validator: SessionValidator, request: SessionRequest, options: AuthenticateSessionOptions): Promise<SessionAuthOutcome> {
  const presented = readCookie(request.cookieHeader, options.cookieName);
  if (presented === undefined || presented === '') return { ok: false, response: sessionUnauthorizedResponse() };
  let result: SessionValidationResult;
  try {
    result = await validator.validate(presented, { context: request.context });
  } catch (err) {
    return { ok: false, response: errorResponse(err, request.requestId), error: err };
  }
  if (!result.valid) return { ok: false, response: sessionUnauthorizedResponse() };
  if (options.csrf !== false) {
    const expected = result.csrfToken;
    const csrf = checkCsrf({
      method: request.method,
      origin: request.origin,
      secFetchSite: request.secFetchSite,
      token: request.csrfToken,
      allowedOrigins: options.allowedOrigins,
      verifyToken: (t) => constantTimeEqual(t, expected),
    });
    if (!csrf.ok) {
      return { ok: false, response: errorResponse(new GatehouseError('csrf.rejected', { detail: csrf.reason }), request.requestId), csrf: csrf.reason };
    }
  }
  return { ok: true, auth: { session: result.session, csrfToken: result.csrfToken } };
}
