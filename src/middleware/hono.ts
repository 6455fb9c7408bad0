import type { Context, MiddlewareHandler } from 'hono';
import type { VerifiedJwt } from '../jwt/verifier/verifier.js';
import { authenticateJwtNow, checkRouteScopes, type JwtAuthOptions, type JwtRouteOptions } from './jwt-auth.js';
import { requestIdFrom } from './request-id.js';

export { JwtVerificationError } from '../jwt/verifier/errors.js';
export type { JwtAuthOptions, JwtRouteOptions } from './jwt-auth.js';
export type { VerifiedJwt } from '../jwt/verifier/verifier.js';

/**
 * The context variables the JWT middleware sets: declare your app as
 * `new Hono<{ Variables: JwtAuthVariables }>()` and read `c.get('gatehouseJwt')`.
 */
export interface JwtAuthVariables {
  gatehouseJwt: VerifiedJwt;
}

/**
 * Protects Hono routes with bearer JWTs (RFC 6750, RFC 9068). `hono` is an optional peer
 * dependency: this module imports only its types. Returns a factory of middleware, one per
 * scope set. On success `c.get('gatehouseJwt')` holds the verified header, claims and scopes;
 * on failure it answers 401 `invalid_token` (one response for every bad token), 400
 * `invalid_request`, 403 `insufficient_scope` or 503 (fail closed), and the handler never runs.
 *
 * @throws {TypeError} when a route's `scopes` are not scope tokens (at declaration).
 *
 * @example
 * import { Hono } from 'hono';
 * import { jwtAuth, type JwtAuthVariables } from 'gatehouse/middleware/hono';
 * const app = new Hono<{ Variables: JwtAuthVariables }>();
 * const requireJwt = jwtAuth({ verifier });
 * app.get('/orders', requireJwt({ scopes: ['orders:read'] }), (c) => c.json({ user: c.get('gatehouseJwt').claims.sub }));
 */
export function jwtAuth(options: JwtAuthOptions): (route?: JwtRouteOptions) => MiddlewareHandler<{ Variables: JwtAuthVariables }> {
  return (route = {}) => {
    const scopes = checkRouteScopes(route.scopes);
    return async function gatehouseJwtAuth(c: Context<{ Variables: JwtAuthVariables }>, next: () => Promise<void>): Promise<Response | void> {
      const requestId = requestIdFrom(c.req.header('x-request-id'));
      const outcome = await authenticateJwtNow(options, (name) => c.req.header(name), { scopes, requestId });
      if (outcome.ok) {
        c.set('gatehouseJwt', outcome.jwt);
        await next();
        return;
      }
      return new Response(JSON.stringify(outcome.response.body), { status: outcome.response.status, headers: outcome.response.headers });
    };
  };
}
