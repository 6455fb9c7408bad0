import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RequestContext } from '../core/events.js';
import { authenticateApiKey, nodeHeaderReader, type ApiKeyAuthResult, type ApiKeyVerifier } from './api-key-auth.js';
import { requestIdFrom } from './request-id.js';

export type { ApiKeyVerifier, ApiKeyAuthResult } from './api-key-auth.js';
export { createRemoteApiKeyVerifier, type RemoteApiKeyVerifierOptions } from './remote-verifier.js';
import { authenticateSession, type SessionAuthResult, type SessionRequest, type SessionValidator } from './session-auth.js';
import { CSRF_HEADER, presentedCsrfToken } from './csrf.js';
export type { SessionAuthResult, SessionValidator } from './session-auth.js';
export { checkCsrf, readCookie, type CsrfCheckInput, type CsrfCheckResult } from './csrf.js';
export { jwtAuth, type ExpressJwtAuthOptions } from './jwt-express.js';
export type { JwtRouteOptions } from './jwt-auth.js';
export type { VerifiedJwt } from '../jwt/verifier/verifier.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by Gatehouse middleware once the request is authenticated. */
    gatehouse?: ApiKeyAuthResult;
  }
}

/** Options of {@link apiKeyAuth}. */
export interface ExpressApiKeyAuthOptions {
  /** `gatehouse.apiKeys` in process, or `createRemoteApiKeyVerifier(...)`. */
  verifier: ApiKeyVerifier;
  /** Told of the failure behind every 503 (storage or verifier down), for your log. Never given a secret. */
  onError?: (error: unknown, requestId: string) => void;
}

/**
 * Protects Express routes with API keys. Returns a factory of middleware, one per scope set.
 * On success `req.gatehouse.apiKey` holds the verified key and the response carries the
 * `RateLimit` fields; on failure it answers 401/403/429/400/503 (RFC 6750, RFC 9457) and
 * does not call `next`. A repeated `Authorization` or `X-API-Key` header is refused with 400.
 *
 * @example
 * import { apiKeyAuth } from 'gatehouse/middleware/express';
 * const requireKey = apiKeyAuth({ verifier: gatehouse.apiKeys });
 * app.get('/orders', requireKey({ scopes: ['orders:read'] }), (req, res) => res.json({ owner: req.gatehouse?.apiKey.ownerId }));
 */
export function apiKeyAuth(options: ExpressApiKeyAuthOptions): (route?: { scopes?: readonly string[] }) => RequestHandler {
  return (route = {}) =>
    function gatehouseApiKeyAuth(req: Request, res: Response, next: NextFunction): void {
      const requestId = requestIdFrom(req.headers['x-request-id']);
      const ua = req.headers['user-agent'];
      const context: RequestContext = {
        source: { ...(req.ip ? { ip: req.ip } : {}), ...(ua ? { user_agent: ua.slice(0, 512) } : {}) },
        http: { method: req.method, route: (req.baseUrl ?? '') + (req.route ? String((req.route as { path: unknown }).path) : req.path), request_id: requestId },
      };
      authenticateApiKey(options.verifier, nodeHeaderReader(req), {
        ...(route.scopes ? { scopes: route.scopes } : {}),
        context,
        requestId,
      }).then(
        (outcome) => {
          if (outcome.ok) {
            req.gatehouse = outcome.auth;
            res.set(outcome.headers);
            next();
            return;
          }
          if (outcome.response.status >= 500) options.onError?.(outcome.error, requestId);
          res.status(outcome.response.status).set(outcome.response.headers).send(JSON.stringify(outcome.response.body));
        },
        (err: unknown) => next(err),
      );
    };
}

// ---------------------------------------------------------------------------------------------
// Session cookies (browser sign-in), beside API keys.

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by Gatehouse's session middleware once the request's session cookie is valid. */
    gatehouseSession?: SessionAuthResult;
  }
}

/** Options of {@link sessionAuth}. */
export interface ExpressSessionAuthOptions {
  /** `gatehouse.sessions` (in process). */
  validator: SessionValidator;
  /** The session cookie's name: `gatehouse.sessionCookie.name`. */
  cookieName: string;
  /** Origins allowed to send state-changing requests with the cookie (CSRF), e.g. `['https://app.example.com']`. */
  allowedOrigins: readonly string[] | (() => readonly string[]);
  /** Told of the failure behind every 503 (storage down), for your log. Never given a secret. */
  onError?: (error: unknown, requestId: string) => void;
}

/**
 * Protects Express routes with Gatehouse session cookies. Returns a factory of middleware.
 * On success `req.gatehouseSession` holds the session and its CSRF token. On unsafe methods
 * it requires a matching `Origin`, or without one the synchronizer token in `X-CSRF-Token`
 * or a `_csrf` field of a body parsed before it (`express.urlencoded()`). Failures: 401
 * `session.invalid` (one body for every bad cookie), 403 `csrf.rejected`, 503 when storage is
 * down (fail closed); `next` is not called then.
 *
 * @example
 * import { sessionAuth } from 'gatehouse/middleware/express';
 * const requireSession = sessionAuth({ validator: gatehouse.sessions, cookieName: gatehouse.sessionCookie.name, allowedOrigins: ['https://app.example.com'] });
 * app.post('/profile', express.urlencoded({ extended: false }), requireSession(), (req, res) => res.json({ user: req.gatehouseSession?.session.userId }));
 */
export function sessionAuth(options: ExpressSessionAuthOptions): (route?: { csrf?: boolean }) => RequestHandler {
  const origins = typeof options.allowedOrigins === 'function' ? options.allowedOrigins : () => options.allowedOrigins as readonly string[];
  return (route = {}) =>
    function gatehouseSessionAuth(req: Request, res: Response, next: NextFunction): void {
      const requestId = requestIdFrom(req.headers['x-request-id']);
      const ua = req.headers['user-agent'];
      const h = req.headers;
      const request: SessionRequest = {
        method: req.method,
        cookieHeader: h.cookie,
        origin: typeof h.origin === 'string' ? h.origin : undefined,
        secFetchSite: typeof h['sec-fetch-site'] === 'string' ? h['sec-fetch-site'] : undefined,
        csrfToken: presentedCsrfToken(h[CSRF_HEADER], req.body),
        context: {
          source: { ...(req.ip ? { ip: req.ip } : {}), ...(ua ? { user_agent: ua.slice(0, 512) } : {}) },
          http: { method: req.method, route: (req.baseUrl ?? '') + (req.route ? String((req.route as { path: unknown }).path) : req.path), request_id: requestId },
        },
        requestId,
      };
      authenticateSession(options.validator, request, { cookieName: options.cookieName, allowedOrigins: origins(), ...(route.csrf === false ? { csrf: false } : {}) }).then(
        (outcome) => {
          if (outcome.ok) {
            req.gatehouseSession = outcome.auth;
            next();
            return;
          }
          if (outcome.response.status >= 500) options.onError?.(outcome.error, requestId);
          res.status(outcome.response.status).set(outcome.response.headers).send(JSON.stringify(outcome.response.body));
        },
        (err: unknown) => next(err),
      );
    };
}
