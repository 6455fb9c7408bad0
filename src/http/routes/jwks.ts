import type { FastifyPluginAsync } from 'fastify';
import type { Gatehouse } from '../../gatehouse.js';

/**
 * `GET /.well-known/jwks.json`: the public signing keys (RFC 7517 §5), each with `kid`, `alg`
 * and `use: "sig"`, never a private member. Cacheable for `jwt.jwks.maxAgeSeconds` (at most the
 * pre-publish time, so a cached copy always holds a key before it signs); a strong ETag lets
 * verifiers revalidate with `If-None-Match` (304).
 */
export function jwksRoutes(gatehouse: Gatehouse): FastifyPluginAsync {
  return (app) => {
    app.get('/.well-known/jwks.json', async (request, reply) => {
      const jwks = await gatehouse.tokens.jwks();
      void reply.headers({
        'cache-control': `public, max-age=${jwks.maxAgeSeconds}`,
        etag: jwks.etag,
        // Verifiers may run in browsers of other origins (RFC 8414 deployments publish JWKS openly).
        'access-control-allow-origin': '*',
      });
      const inm = request.headers['if-none-match'];
      if (typeof inm === 'string' && inm.split(',').some((tag) => tag.trim() === jwks.etag || tag.trim() === '*')) return reply.code(304).send();
      return reply.type('application/jwk-set+json').send(jwks.body);
    });
    return Promise.resolve();
  };
}
