/**
 * Example: a plain fetch handler (`(Request) => Response`: Deno, Bun, workers, or Node through
 * a bridge) protected by Gatehouse access tokens (JWT, RFC 9068).
 *
 *   npx tsx examples/jwt-fetch.ts                           # demo tokens printed at start-up
 *
 * In your app: `import { jwtAuth, withJwtAuth } from 'gatehouse/middleware/fetch'`.
 */
import type { JwtVerifier } from '../src/jwt/verifier/index.js';
import { jwtAuth, withJwtAuth, type FetchHandler } from '../src/middleware/fetch.js';
import { isMain, orderFrom, printDemoTokens, verifierFromEnv, type Order } from './jwt-demo.js';
import { serveFetch } from './jwt-node-server.js';

/** `GET /` public, `GET /me` any valid token (withJwtAuth), `GET|POST /orders` per-method scopes (jwtAuth). */
export function buildJwtFetchHandler(options: { verifier: JwtVerifier }): FetchHandler {
  const authenticate = jwtAuth({ verifier: options.verifier });
  const orders: Order[] = [];
  const me = withJwtAuth((_request, jwt) => Response.json({ sub: jwt.claims.sub, client_id: jwt.claims.client_id, scopes: jwt.scopes, expires_at: jwt.claims.exp }), {
    verifier: options.verifier,
  });

  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/' && request.method === 'GET') return Response.json({ service: 'orders-api', auth: 'Authorization: Bearer <access token>' });
    if (pathname === '/me' && request.method === 'GET') return me(request);
    if (pathname === '/orders' && (request.method === 'GET' || request.method === 'POST')) {
      const auth = await authenticate(request, { scopes: [request.method === 'GET' ? 'orders:read' : 'orders:write'] });
      if (!auth.ok) return auth.response;
      const owner = auth.jwt.claims.sub!;
      if (request.method === 'GET') return Response.json({ items: orders.filter((o) => o.owner === owner) });
      const order = orderFrom(await request.json().catch(() => ({})), owner);
      orders.push(order);
      return Response.json(order, { status: 201 });
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  };
}

if (isMain(import.meta.url)) {
  const setup = verifierFromEnv();
  const { server, url } = await serveFetch(buildJwtFetchHandler({ verifier: setup.verifier }), Number(process.env.EXAMPLE_PORT ?? 3000));
  process.stdout.write(`fetch-handler JWT example listening on ${url}, accepting ${setup.describe}\n`);
  printDemoTokens(setup.issuer);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
