import { hash } from 'node:crypto';
import type { TokenDeps } from './context.js';
import type { PublicJwk } from './types.js';

/** The JWK Set document (RFC 7517 §5) and how to cache it. */
export interface JwksDocument {
  /** Published keys (pending, active, retired), oldest first; public members only. */
  keys: PublicJwk[];
  /** A strong ETag of the serialised document (RFC 9110 §8.8.3), quoted. */
  etag: string;
  /** For `Cache-Control: max-age`: `jwt.jwks.maxAgeSeconds`, at most the pre-publish time. */
  maxAgeSeconds: number;
  /** The document as served. */
  body: string;
}

/**
 * The JWKS of the keys published now: every pending, active and retired key, each with `kid`,
 * `alg` and `use: "sig"` and only its public members (never `d`, `p`, `q`, `dp`, `dq`, `qi`).
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example const { body, etag } = await gatehouse.tokens.jwks();
 */
export async function getJwks(deps: TokenDeps): Promise<JwksDocument> {
  const published = await deps.keyCache.published(deps.clock.now());
  const keys = published.map(({ publicJwk: k }) => {
    // Rebuilt member by member: whatever the stored JSON holds, only public members leave.
    const jwk: PublicJwk = { kty: k.kty, kid: k.kid, alg: k.alg, use: 'sig' };
    if (k.kty === 'RSA') Object.assign(jwk, { n: k.n, e: k.e });
    else if (k.kty === 'EC') Object.assign(jwk, { crv: k.crv, x: k.x, y: k.y });
    else Object.assign(jwk, { crv: k.crv, x: k.x });
    return jwk;
  });
  const body = JSON.stringify({ keys });
  return { keys, body, etag: `"${hash('sha256', body, 'base64url').slice(0, 27)}"`, maxAgeSeconds: deps.config.jwks.maxAgeSeconds };
}
