import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { RequestContext } from '../core/events.js';
import { authenticateApiKey, nodeHeaderReader, type ApiKeyAuthResult, type ApiKeyVerifier } from './api-key-auth.js';

export type { ApiKeyVerifier, ApiKeyAuthResult } from './api-key-auth.js';
export { createRemoteApiKeyVerifier, type RemoteApiKeyVerifierOptions } from './remote-verifier.js';

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
export function apiKeyAuth(options: FastifyApiKeyAuthOptions): (route?: RouteAuthOptions) => preHandlerAsyncHookHandler {
  return (route = {}) =>
    async function gatehouseApiKeyAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const outcome = await authenticateApiKey(options.verifier, nodeHeaderReader(request.raw), {
        ...(route.scopes ? { scopes: route.scopes } : {}),
        context: fastifyRequestContext(request),
        requestId: String(request.id),
      });
      if (outcome.ok) {
        request.gatehouse = outcome.auth;
        void reply.headers(outcome.headers);
        return;
      }
      if (outcome.response.status >= 500) {
        request.log.error({ err: outcome.error, request_id: request.id, route: request.routeOptions.url }, 'api key verification failed');
      }
      await reply.code(outcome.response.status).headers(outcome.response.headers).send(outcome.response.body);
    };
}
