import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { VerifiedJwt } from '../jwt/verifier/verifier.js';
import { nodeHeaderReader } from './api-key-auth.js';
import { authenticateJwtNow, checkRouteScopes, type JwtAuthOptions, type JwtAuthOutcome, type JwtRouteOptions } from './jwt-auth.js';
import { requestIdFrom } from './request-id.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by Gatehouse's JWT middleware once the request's bearer token is verified. */
    gatehouseJwt?: VerifiedJwt;
  }
}

/** Options of {@link jwtAuth} for Express. */
export type ExpressJwtAuthOptions = JwtAuthOptions;

/**
 * Protects Express routes with bearer JWTs (RFC 6750, RFC 9068). Returns a factory of
 * middleware, one per scope set. On success `req.gatehouseJwt` holds the verified header,
 * claims and scopes and `next()` runs; on failure it answers 401 `invalid_token` (one
 * response for every bad token), 400 `invalid_request`, 403 `insufficient_scope` or 503 (fail
 * closed) and does not call `next`. Refusal reasons go to `onFailure`, 503 causes to
 * `onError`; never the token.
 *
 * @throws {TypeError} when a route's `scopes` are not scope tokens (at declaration).
 *
 * @example
 * import { jwtAuth } from 'gatehouse/middleware/express';
 * const requireJwt = jwtAuth({ verifier });
 * app.get('/orders', requireJwt({ scopes: ['orders:read'] }), (req, res) => res.json({ user: req.gatehouseJwt?.claims.sub }));
 */
export function jwtAuth(options: ExpressJwtAuthOptions): (route?: JwtRouteOptions) => RequestHandler {
  return (route = {}) => {
    const scopes = checkRouteScopes(route.scopes);
    return function gatehouseJwtAuth(req: Request, res: Response, next: NextFunction): void {
      const requestId = requestIdFrom(req.headers['x-request-id']);
      const outcome = authenticateJwtNow(options, nodeHeaderReader(req), { scopes, requestId });
      if (outcome instanceof Promise) outcome.then((settled) => finish(req, res, next, settled), (err: unknown) => next(err));
      else finish(req, res, next, outcome);
    };
  };
}

function finish(req: Request, res: Response, next: NextFunction, outcome: JwtAuthOutcome): void {
  if (outcome.ok) {
    req.gatehouseJwt = outcome.jwt;
    next();
    return;
  }
  res.status(outcome.response.status).set(outcome.response.headers).send(JSON.stringify(outcome.response.body));
}
