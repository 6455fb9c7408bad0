// The JWT-protected server of `bench/jwt.js`: Fastify with Gatehouse's `jwtAuth` hook on
// `GET /` (same body as bench/bare-server.js), verifying with keys given inline
// (BENCH_JWT_JWKS: a JWK Set as JSON; BENCH_JWT_ALG: the algorithm). The client reuses one
// token, so after the first request each verification is a verified-token cache hit.
// Prints one JSON line `{ "ready": true, "url": ... }`; stops on SIGTERM/SIGINT or stdin EOF.
import process from 'node:process';
import { serveUntilStopped } from './child.js';
import Fastify from 'fastify';
import { createJwtVerifier } from '../dist/jwt/verifier/index.js';
import { jwtAuth } from '../dist/middleware/fastify.js';

const verifier = createJwtVerifier({
  issuer: 'https://auth.example.com',
  audience: 'orders-api',
  algorithms: [process.env.BENCH_JWT_ALG],
  jwks: JSON.parse(process.env.BENCH_JWT_JWKS),
});
const requireToken = jwtAuth({ verifier });
const app = Fastify({ logger: false });
app.get('/', { onRequest: requireToken({ scopes: ['orders:read'] }) }, () => ({ hello: 'world' }));

const url = await app.listen({ host: '127.0.0.1', port: 0 });
serveUntilStopped({ url }, () => app.close());
