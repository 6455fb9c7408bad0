/**
 * Example: the protected API behind the backend-for-frontend (`examples/oauth-bff.ts`). It accepts
 * access tokens issued by a Gatehouse server (RFC 9068 JWTs), verified with the server's JWK Set
 * (`createJwtVerifier`), and needs the scope `orders:read` on `GET /orders`.
 *
 *   GATEHOUSE_URL=http://127.0.0.1:8080 npx tsx examples/oauth-resource-api.ts
 *
 * Environment: `GATEHOUSE_URL` (the issuer, exactly as in Gatehouse's metadata; default
 * http://127.0.0.1:8080), `API_AUDIENCE` (the `aud` this API accepts; default the issuer, which is
 * what Gatehouse puts in access tokens unless `jwt.accessToken.audience` or `oauth.resources` say
 * otherwise), `API_PORT` (default 3001).
 *
 * In your app: `import { createJwtVerifier } from 'gatehouse/jwt/verifier'` and
 * `import { jwtAuth } from 'gatehouse/middleware/fastify'`. See examples/README.md.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createJwtVerifier, type JwtVerifier } from '../src/jwt/verifier/index.js';
import { jwtAuth } from '../src/middleware/fastify.js';
import { isMain } from './jwt-demo.js';

/** A verifier for access tokens of the Gatehouse server at `gatehouseUrl` (keys from its JWKS). */
export function createGatehouseTokenVerifier(options: { gatehouseUrl: string; audience?: string | undefined }): JwtVerifier {
  const issuer = options.gatehouseUrl.replace(/\/$/, '');
  return createJwtVerifier({
    issuer,
    audience: options.audience ?? issuer,
    algorithms: ['RS256', 'ES256', 'EdDSA'],
    jwksUri: `${issuer}/.well-known/jwks.json`,
    requiredClaims: ['sub', 'client_id'],
  });
}

/**
 * `GET /` public; `GET /orders` needs a valid access token with `orders:read` and answers the
 * demo orders of the token's subject. A missing or invalid token gets 401 with
 * `WWW-Authenticate: Bearer …`, a token without the scope 403 `insufficient_scope`.
 */
export function buildResourceApi(options: { verifier: JwtVerifier }): FastifyInstance {
  const app = Fastify({ logger: false });
  const requireToken = jwtAuth({ verifier: options.verifier });

  app.get('/', () => ({ service: 'orders-api', auth: 'Authorization: Bearer <Gatehouse access token>' }));
  app.get('/orders', { onRequest: requireToken({ scopes: ['orders:read'] }) }, (request) => {
    const { claims, scopes } = request.gatehouseJwt!;
    return {
      sub: claims.sub,
      client_id: claims.client_id,
      scopes,
      items: [
        { id: 'ord_1001', item: 'Fountain pen', quantity: 1 },
        { id: 'ord_1002', item: 'Notebook', quantity: 3 },
      ],
    };
  });
  return app;
}

if (isMain(import.meta.url)) {
  const gatehouseUrl = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080';
  const app = buildResourceApi({ verifier: createGatehouseTokenVerifier({ gatehouseUrl, audience: process.env.API_AUDIENCE }) });
  const url = await app.listen({ host: '127.0.0.1', port: Number(process.env.API_PORT ?? 3001) });
  process.stdout.write(`Orders API listening on ${url}, accepting access tokens of ${gatehouseUrl}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
