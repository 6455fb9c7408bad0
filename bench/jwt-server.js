// The JWT-protected server of `bench/jwt.js`: Fastify with Gatehouse's `jwtAuth` hook on
// `GET /` (same body as bench/bare-server.js), verifying with keys given inline
// (BENCH_JWT_JWKS: a JWK Set as JSON; BENCH_JWT_ALG: the algorithm). The client reuses one
// token, so after the first request each verification is a verified-token cache hit.
// Prints one JSON line `{ "ready": true, "url": ... }`; stops on SIGTERM/SIGINT or stdin EOF.
import process from 'node:process';
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
process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
