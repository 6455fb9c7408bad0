import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
import type { RequestContext } from '../core/events.js';
import { authenticateApiKeyNow, nodeHeaderReader, type ApiKeyAuthOutcome, type ApiKeyAuthResult, type ApiKeyVerifier } from './api-key-auth.js';

export type { ApiKeyVerifier, ApiKeyAuthResult } from './api-key-auth.js';
export { createRemoteApiKeyVerifier, type RemoteApiKeyVerifierOptions } from './remote-verifier.js';
import { authenticateSession, type SessionAuthResult, type SessionRequest, type SessionValidator } from './session-auth.js';
import { CSRF_HEADER, presentedCsrfToken } from './csrf.js';
import type { preHandlerAsyncHookHandler } from 'fastify';
export type { SessionAuthResult, SessionValidator } from './session-auth.js';
export { checkCsrf, readCookie, type CsrfCheckInput, type CsrfCheckResult } from './csrf.js';
export { jwtAuth, type FastifyJwtAuthOptions } from './jwt-fastify.js';
export type { JwtRouteOptions } from './jwt-auth.js';
export type { VerifiedJwt } from '../jwt/verifier/verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by Gatehouse middleware once the request is authenticated. */
    gatehouse?: { apiKey: ApiKeyAuthResult['apiKey']; rateLimit: ApiKeyAuthResult['rateLimit'] };
  }
}

/** Options of {@link apiKeyAuth}. */
export interface FastifyApiKeyAuthOptions {
  /** `gatehouse.apiKeys` in process, or `createRemoteApiKeyVerifier(...)`. */
  verifier: ApiKeyVerifier;
}

/** Options of one protected route. */
export interface RouteAuthOptions {
  /** Scopes the key must all hold; otherwise 403 `insufficient_scope`. */
  scopes?: readonly string[];
}

/** The audit context of a Fastify request (peer address honours Fastify's `trustProxy`). */
export function fastifyRequestContext(request: FastifyRequest): RequestContext {
  const ua = request.headers['user-agent'];
  return {
    source: ua === undefined ? { ip: request.ip } : { ip: request.ip, user_agent: ua.slice(0, 512) },
    http: { method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0] ?? '', request_id: String(request.id) },
  };
}

/**
 * Protects Fastify routes with API keys. Returns a factory of hooks, one per route and scope
 * set, for `onRequest` (recommended on routes with a body: an unauthenticated caller is
 * answered before its body is read) or `preHandler`. On success `request.gatehouse.apiKey`
 * holds the verified key and the reply carries the `RateLimit` fields; on failure the hook
 * answers 401/403/429/400/503 as RFC 6750 and RFC 9457 describe, and the route never runs.
 * A repeated `Authorization` or `X-API-Key` header is refused with 400.
 *
 * @example
 * import { apiKeyAuth } from 'gatehouse/middleware/fastify';
 * const requireKey = apiKeyAuth({ verifier: gatehouse.apiKeys });
 * app.get('/orders', { onRequest: requireKey({ scopes: ['orders:read'] }) }, (req) => ({ owner: req.gatehouse?.apiKey.ownerId }));
 */
export function apiKeyAuth(options: FastifyApiKeyAuthOptions): (route?: RouteAuthOptions) => onRequestHookHandler {
  return (route = {}) =>
    // A callback-style hook, not an async one: with the in-process verifier a cached key is
    // verified synchronously, and the request goes on without a promise in between.
    function gatehouseApiKeyAuth(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
      const outcome = authenticateApiKeyNow(options.verifier, nodeHeaderReader(request.raw), {
        ...(route.scopes ? { scopes: route.scopes } : {}),
        context: fastifyRequestContext(request),
        requestId: String(request.id),
      });
      if (outcome instanceof Promise) {
        outcome.then(
          (settled) => finish(request, reply, settled, done),
          (err: unknown) => done(err as Error),
        );
      } else {
        finish(request, reply, outcome, done);
      }
    };
}

function finish(request: FastifyRequest, reply: FastifyReply, outcome: ApiKeyAuthOutcome, done: HookHandlerDoneFunction): void {
  if (outcome.ok) {
    request.gatehouse = outcome.auth;
    const { headers } = outcome;
    for (const name in headers) void reply.header(name, headers[name]);
    done();
    return;
  }
  if (outcome.response.status >= 500) {
    request.log.error({ err: outcome.error, request_id: request.id, route: request.routeOptions.url }, 'api key verification failed');
  }
  // Answering from a hook: send, and do not call done (Fastify then runs no handler).
  void reply.code(outcome.response.status).headers(outcome.response.headers).send(outcome.response.body);
}

// ---------------------------------------------------------------------------------------------
// Session cookies (browser sign-in), beside API keys.

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by Gatehouse's session middleware once the request's session cookie is valid. */
    gatehouseSession?: SessionAuthResult;
  }
}

/** Options of {@link sessionAuth}. */
export interface FastifySessionAuthOptions {
  /** `gatehouse.sessions` (in process). */
  validator: SessionValidator;
  /** The session cookie's name: `gatehouse.sessionCookie.name`. */
  cookieName: string;
  /**
   * Origins allowed to send state-changing requests with the cookie (CSRF): your site's
   * origin(s), e.g. `['https://app.example.com']`. A function is called per request.
   */
  allowedOrigins: readonly string[] | (() => readonly string[]);
}

/** Options of one session-protected route. */
export interface SessionRouteOptions {
  /** Enforce CSRF on unsafe methods. Default true. */
  csrf?: boolean;
}

/**
 * Protects Fastify routes with Gatehouse session cookies. Returns a factory of `preHandler`
 * hooks (the body is parsed by then, so a form's `_csrf` field can be read). On success
 * `request.gatehouseSession` holds the session and its CSRF token. On unsafe methods it
 * requires a matching `Origin`, or without one the synchronizer token in `X-CSRF-Token` or
 * the `_csrf` form field. Failures: 401 `session.invalid` (one body for every bad cookie),
 * 403 `csrf.rejected`, 503 when storage is down (fail closed).
 *
 * @example
 * import { sessionAuth } from 'gatehouse/middleware/fastify';
 * const requireSession = sessionAuth({ validator: gatehouse.sessions, cookieName: gatehouse.sessionCookie.name, allowedOrigins: ['https://app.example.com'] });
 * app.post('/profile', { preHandler: requireSession() }, (req) => ({ user: req.gatehouseSession?.session.userId }));
 */
export function sessionAuth(options: FastifySessionAuthOptions): (route?: SessionRouteOptions) => preHandlerAsyncHookHandler {
  const origins = typeof options.allowedOrigins === 'function' ? options.allowedOrigins : () => options.allowedOrigins as readonly string[];
  return (route = {}) =>
    async function gatehouseSessionAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const outcome = await authenticateSession(options.validator, fastifySessionRequest(request), {
        cookieName: options.cookieName,
        allowedOrigins: origins(),
        ...(route.csrf === false ? { csrf: false } : {}),
      });
      if (outcome.ok) {
        request.gatehouseSession = outcome.auth;
        return;
      }
      if (outcome.response.status >= 500) request.log.error({ err: outcome.error, request_id: request.id, route: request.routeOptions.url }, 'session validation failed');
      else if (outcome.csrf) request.log.warn({ csrf: outcome.csrf, request_id: request.id, route: request.routeOptions.url }, 'csrf check refused a request');
      await reply.code(outcome.response.status).headers(outcome.response.headers).send(outcome.response.body);
    };
}

/** The parts of a Fastify request session authentication reads. */
export function fastifySessionRequest(request: FastifyRequest): SessionRequest {
  const h = request.headers;
  return {
    method: request.method,
    cookieHeader: h.cookie,
    origin: typeof h.origin === 'string' ? h.origin : undefined,
    secFetchSite: typeof h['sec-fetch-site'] === 'string' ? h['sec-fetch-site'] : undefined,
    csrfToken: presentedCsrfToken(h[CSRF_HEADER], request.body),
    context: fastifyRequestContext(request),
    requestId: String(request.id),
  };
}
