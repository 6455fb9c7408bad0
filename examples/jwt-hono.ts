/**
 * Example: a Hono API protected by Gatehouse access tokens (JWT, RFC 9068).
 *
 *   npx tsx examples/jwt-hono.ts                            # demo tokens printed at start-up
 *
 * In your app: `import { jwtAuth, type JwtAuthVariables } from 'gatehouse/middleware/hono'`
 * (hono is an optional peer dependency). See examples/README.md.
 */
import { Hono } from 'hono';
import type { JwtVerifier } from '../src/jwt/verifier/index.js';
import { jwtAuth, type JwtAuthVariables } from '../src/middleware/hono.js';
import { isMain, orderFrom, printDemoTokens, verifierFromEnv, type Order } from './jwt-demo.js';
import { serveFetch } from './jwt-node-server.js';

/** `GET /` public, `GET /me` any valid token, `GET /orders` scope orders:read, `POST /orders` scope orders:write. */
export function buildJwtHonoApp(options: { verifier: JwtVerifier }): Hono<{ Variables: JwtAuthVariables }> {
  const app = new Hono<{ Variables: JwtAuthVariables }>();
  const requireToken = jwtAuth({ verifier: options.verifier });
  const orders: Order[] = [];

  app.get('/', (c) => c.json({ service: 'orders-api', auth: 'Authorization: Bearer <access token>' }));
  app.get('/me', requireToken(), (c) => {
    const { claims, scopes } = c.get('gatehouseJwt');
    return c.json({ sub: claims.sub, client_id: claims.client_id, scopes, expires_at: claims.exp });
  });
  app.get('/orders', requireToken({ scopes: ['orders:read'] }), (c) => c.json({ items: orders.filter((o) => o.owner === c.get('gatehouseJwt').claims.sub) }));
  app.post('/orders', requireToken({ scopes: ['orders:write'] }), async (c) => {
    const body: unknown = await c.req.json().catch(() => ({}));
    const order = orderFrom(body, c.get('gatehouseJwt').claims.sub!);
    orders.push(order);
    return c.json(order, 201);
  });
  return app;
}

if (isMain(import.meta.url)) {
  const setup = verifierFromEnv();
  const app = buildJwtHonoApp({ verifier: setup.verifier });
  const { server, url } = await serveFetch((request) => app.fetch(request), Number(process.env.EXAMPLE_PORT ?? 3000));
  process.stdout.write(`Hono JWT example listening on ${url}, accepting ${setup.describe}\n`);
  printDemoTokens(setup.issuer);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
