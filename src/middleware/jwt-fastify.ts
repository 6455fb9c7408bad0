import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
import type { VerifiedJwt } from '../jwt/verifier/verifier.js';
import { nodeHeaderReader } from './api-key-auth.js';
import { authenticateJwtNow, checkRouteScopes, type JwtAuthOptions, type JwtAuthOutcome, type JwtRouteOptions } from './jwt-auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by Gatehouse's JWT middleware once the request's bearer token is verified. */
    gatehouseJwt?: VerifiedJwt;
  }
}

/** Options of {@link jwtAuth} for Fastify. */
export type FastifyJwtAuthOptions = JwtAuthOptions;

/**
 * Protects Fastify routes with bearer JWTs (RFC 6750, RFC 9068). Returns a factory of hooks,
 * one per route and scope set, for `onRequest` (recommended: an unauthenticated caller is
 * answered before its body is read) or `preHandler`. On success `request.gatehouseJwt` holds
 * the verified header, claims and scopes; on failure the hook answers 401 `invalid_token`
 * (one response for every bad token), 400 `invalid_request` (malformed `Authorization`,
 * repeated header), 403 `insufficient_scope` or 503 (key set unavailable: fail closed), and
 * the route never runs. A token verified before (the verifier's cache) is answered without a
 * promise. Refusal reasons go to `onFailure` (default: `request.log.debug`) and 503 causes to
 * `onError` (default: `request.log.error`); never the token.
 *
 * @throws {TypeError} when a route's `scopes` are not scope tokens (at declaration).
 *
 * @example
 * import { jwtAuth } from 'gatehouse/middleware/fastify';
 * import { createJwtVerifier } from 'gatehouse/jwt/verifier';
 * const verifier = createJwtVerifier({ issuer: 'https://auth.example.com', audience: 'orders-api', algorithms: ['EdDSA'], jwksUri: 'https://auth.example.com/.well-known/jwks.json' });
 * const requireJwt = jwtAuth({ verifier });
 * app.get('/orders', { onRequest: requireJwt({ scopes: ['orders:read'] }) }, (req) => ({ user: req.gatehouseJwt?.claims.sub }));
 */
export function jwtAuth(options: FastifyJwtAuthOptions): (route?: JwtRouteOptions) => onRequestHookHandler {
  return (route = {}) => {
    const scopes = checkRouteScopes(route.scopes);
    return function gatehouseJwtAuth(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
      const requestId = String(request.id);
      const outcome = authenticateJwtNow(
        {
          verifier: options.verifier,
          onFailure: options.onFailure ?? ((error) => request.log.debug({ jwt_error: error.code, claim: error.claim, request_id: requestId }, 'bearer token refused')),
          onError: options.onError ?? ((error) => request.log.error({ err: error, request_id: requestId, route: request.routeOptions.url }, 'bearer token could not be checked')),
        },
        nodeHeaderReader(request.raw),
        { scopes, requestId },
      );
      if (outcome instanceof Promise) outcome.then((settled) => finish(request, reply, settled, done), (err: unknown) => done(err as Error));
      else finish(request, reply, outcome, done);
    };
  };
}

function finish(request: FastifyRequest, reply: FastifyReply, outcome: JwtAuthOutcome, done: HookHandlerDoneFunction): void {
  if (outcome.ok) {
    request.gatehouseJwt = outcome.jwt;
    done();
    return;
  }
  // Answering from a hook: send, and do not call done (Fastify then runs no handler).
  void reply.code(outcome.response.status).headers(outcome.response.headers).send(outcome.response.body);
}
