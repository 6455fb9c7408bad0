/**
 * Example: a Fastify API protected by Gatehouse access tokens (JWT, RFC 9068).
 *
 *   npx tsx examples/jwt-fastify.ts                         # demo tokens printed at start-up
 *   EXAMPLE_JWKS_URI=http://127.0.0.1:8080/.well-known/jwks.json EXAMPLE_ISSUER=http://127.0.0.1:8080 npx tsx examples/jwt-fastify.ts
 *
 * In your app: `import { jwtAuth } from 'gatehouse/middleware/fastify'` and
 * `import { createJwtVerifier } from 'gatehouse/jwt/verifier'`. See examples/README.md.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { JwtVerifier } from '../src/jwt/verifier/index.js';
import { jwtAuth } from '../src/middleware/fastify.js';
import { isMain, orderFrom, printDemoTokens, verifierFromEnv, type Order } from './jwt-demo.js';

/** `GET /` public, `GET /me` any valid token, `GET /orders` scope orders:read, `POST /orders` scope orders:write. */
export function buildJwtFastifyApp(options: { verifier: JwtVerifier }): FastifyInstance {
  const app = Fastify({ logger: false });
  const requireToken = jwtAuth({ verifier: options.verifier });
  const orders: Order[] = [];

  app.get('/', () => ({ service: 'orders-api', auth: 'Authorization: Bearer <access token>' }));
  app.get('/me', { onRequest: requireToken() }, (request) => {
    const { claims, scopes } = request.gatehouseJwt!;
    return { sub: claims.sub, client_id: claims.client_id, scopes, expires_at: claims.exp };
  });
  app.get('/orders', { onRequest: requireToken({ scopes: ['orders:read'] }) }, (request) => ({
    items: orders.filter((o) => o.owner === request.gatehouseJwt!.claims.sub),
  }));
  app.post('/orders', { onRequest: requireToken({ scopes: ['orders:write'] }) }, async (request, reply) => {
    const order = orderFrom(request.body, request.gatehouseJwt!.claims.sub!);
    orders.push(order);
    return reply.code(201).send(order);
  });
  return app;
}

if (isMain(import.meta.url)) {
  const setup = verifierFromEnv();
  const app = buildJwtFastifyApp({ verifier: setup.verifier });
  const url = await app.listen({ host: '127.0.0.1', port: Number(process.env.EXAMPLE_PORT ?? 3000) });
  process.stdout.write(`Fastify JWT example listening on ${url}, accepting ${setup.describe}\n`);
  printDemoTokens(setup.issuer);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
