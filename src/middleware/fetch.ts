import type { VerifiedJwt } from '../jwt/verifier/verifier.js';
import { authenticateJwtNow, checkRouteScopes, type JwtAuthOptions, type JwtRouteOptions } from './jwt-auth.js';
import { requestIdFrom } from './request-id.js';

export { JwtVerificationError } from '../jwt/verifier/errors.js';
export type { JwtAuthOptions, JwtRouteOptions } from './jwt-auth.js';
export type { VerifiedJwt } from '../jwt/verifier/verifier.js';

/** A fetch-style handler: `(Request) => Response` (Node ≥ 18, Deno, Bun, workers). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A handler that also receives the verified token. */
export type AuthenticatedFetchHandler = (request: Request, jwt: VerifiedJwt) => Response | Promise<Response>;

/** Outcome of {@link jwtAuth}'s check: the verified token, or the response to return. */
export type FetchJwtAuthResult = { ok: true; jwt: VerifiedJwt } | { ok: false; response: Response };

/**
 * Bearer-JWT authentication for fetch-style handlers (RFC 6750, RFC 9068). Returns a
 * function checking one request, optionally against required scopes: it resolves with the
 * verified token, or with the response to return as is (401 `invalid_token` for every bad
 * token, 400 `invalid_request`, 403 `insufficient_scope`, 503 when keys are unavailable).
 * It never rejects. Repeated `Authorization` headers reach fetch joined with a comma, which
 * is refused as `invalid_request`.
 *
 * @throws {TypeError} when `scopes` are not scope tokens.
 *
 * @example
 * import { jwtAuth } from 'gatehouse/middleware/fetch';
 * const authenticate = jwtAuth({ verifier });
 * export default async function handler(request: Request): Promise<Response> {
 *   const auth = await authenticate(request, { scopes: ['orders:read'] });
 *   if (!auth.ok) return auth.response;
 *   return Response.json({ user: auth.jwt.claims.sub });
 * }
 */
export function jwtAuth(options: JwtAuthOptions): (request: Request, route?: JwtRouteOptions) => Promise<FetchJwtAuthResult> {
  return async (request, route = {}) => {
    const scopes = checkRouteScopes(route.scopes);
    const headers = request.headers;
    const requestId = requestIdFrom(headers.get('x-request-id') ?? undefined);
    const outcome = await authenticateJwtNow(options, (name) => headers.get(name), { scopes, requestId });
    if (outcome.ok) return { ok: true, jwt: outcome.jwt };
    return { ok: false, response: new Response(JSON.stringify(outcome.response.body), { status: outcome.response.status, headers: outcome.response.headers }) };
  };
}

/**
 * Wraps a fetch-style handler so it runs only for requests with a valid bearer JWT holding
 * `scopes`; every other request gets the RFC 6750 response from {@link jwtAuth}.
 *
 * @example
 * import { withJwtAuth } from 'gatehouse/middleware/fetch';
 * const handler = withJwtAuth((request, jwt) => Response.json({ user: jwt.claims.sub }), { verifier, scopes: ['orders:read'] });
 * // Deno.serve(handler); Bun.serve({ fetch: handler }); export default { fetch: handler };
 */
export function withJwtAuth(handler: AuthenticatedFetchHandler, options: JwtAuthOptions & JwtRouteOptions): FetchHandler {
  const authenticate = jwtAuth(options);
  const route: JwtRouteOptions = options.scopes === undefined ? {} : { scopes: checkRouteScopes(options.scopes)! };
  return async (request) => {
    const auth = await authenticate(request, route);
    return auth.ok ? handler(request, auth.jwt) : auth.response;
  };
}
