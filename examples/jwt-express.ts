/**
 * Example: an Express 5 API protected by Gatehouse access tokens (JWT, RFC 9068).
 *
 *   npx tsx examples/jwt-express.ts                         # demo tokens printed at start-up
 *   EXAMPLE_JWKS_URI=http://127.0.0.1:8080/.well-known/jwks.json EXAMPLE_ISSUER=http://127.0.0.1:8080 npx tsx examples/jwt-express.ts
 *
 * In your app: `import { jwtAuth } from 'gatehouse/middleware/express'`. See examples/README.md.
 */
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { JwtVerifier } from '../src/jwt/verifier/index.js';
import { jwtAuth } from '../src/middleware/express.js';
import { isMain, orderFrom, printDemoTokens, verifierFromEnv, type Order } from './jwt-demo.js';

/** `GET /` public, `GET /me` any valid token, `GET /orders` scope orders:read, `POST /orders` scope orders:write. */
export function buildJwtExpressApp(options: { verifier: JwtVerifier }): Express {
  const app = express();
  const requireToken = jwtAuth({ verifier: options.verifier });
  const orders: Order[] = [];

  app.get('/', (_req, res) => res.json({ service: 'orders-api', auth: 'Authorization: Bearer <access token>' }));
  app.get('/me', requireToken(), (req, res) => {
    const { claims, scopes } = req.gatehouseJwt!;
    res.json({ sub: claims.sub, client_id: claims.client_id, scopes, expires_at: claims.exp });
  });
  app.get('/orders', requireToken({ scopes: ['orders:read'] }), (req, res) => {
    res.json({ items: orders.filter((o) => o.owner === req.gatehouseJwt!.claims.sub) });
  });
  // Authenticate before parsing the body: an unauthenticated caller is answered first.
  app.post('/orders', requireToken({ scopes: ['orders:write'] }), express.json({ limit: '16kb' }), (req, res) => {
    const order = orderFrom(req.body, req.gatehouseJwt!.claims.sub!);
    orders.push(order);
    res.status(201).json(order);
  });
  return app;
}

/** Listens on 127.0.0.1:`port`. */
export function listenJwtExpress(app: Express, port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
  });
}

if (isMain(import.meta.url)) {
  const setup = verifierFromEnv();
  const port = Number(process.env.EXAMPLE_PORT ?? 3000);
  const server = await listenJwtExpress(buildJwtExpressApp({ verifier: setup.verifier }), port);
  process.stdout.write(`Express JWT example listening on http://127.0.0.1:${port}, accepting ${setup.describe}\n`);
  printDemoTokens(setup.issuer);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
