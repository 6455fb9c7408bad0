/**
 * Shared by the `jwt-*` examples: where the verifier's keys come from, and a demo issuer.
 *
 * - `EXAMPLE_JWKS_URI` (+ `EXAMPLE_ISSUER`, `EXAMPLE_AUDIENCE`): verify tokens of a running
 *   Gatehouse server through its JWK Set, e.g. `http://127.0.0.1:8080/.well-known/jwks.json`.
 * - Otherwise, demo mode: an Ed25519 key made at start-up signs a few demo tokens, printed once.
 *
 * In your app the imports are `gatehouse/jwt/verifier` and `gatehouse/middleware/<framework>`.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJwtVerifier, type JwtVerifier } from '../src/jwt/verifier/index.js';

export const DEMO_ISSUER = 'https://auth.example.com';
export const DEMO_AUDIENCE = 'orders-api';

/** A throw-away issuer for the demo: one Ed25519 key, published as a one-key JWK Set. */
export interface DemoIssuer {
  jwks: { keys: Array<Record<string, unknown>> };
  /** Signs an RFC 9068 access token for `sub` with `scope`, valid `ttlSeconds` from `nowS`. */
  accessToken(options: { sub: string; scope?: string; ttlSeconds?: number; nowS?: number; aud?: string }): string;
}

export function createDemoIssuer(): DemoIssuer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const kid = `demo-${randomUUID().slice(0, 8)}`;
  return {
    jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' }] },
    accessToken: ({ sub, scope, ttlSeconds = 900, nowS = Math.floor(Date.now() / 1000), aud = DEMO_AUDIENCE }) =>
      signDemo(privateKey, { alg: 'EdDSA', kid, typ: 'at+jwt' }, { iss: DEMO_ISSUER, sub, aud, iat: nowS, exp: nowS + ttlSeconds, jti: randomUUID(), client_id: 'demo-client', ...(scope ? { scope } : {}) }),
  };
}

function signDemo(key: KeyObject, header: object, claims: object): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

/** The verifier of the examples, from the environment (see the module comment). */
export function verifierFromEnv(env: NodeJS.ProcessEnv = process.env): { verifier: JwtVerifier; issuer?: DemoIssuer; describe: string } {
  const jwksUri = env.EXAMPLE_JWKS_URI;
  if (jwksUri) {
    const issuer = env.EXAMPLE_ISSUER ?? new URL(jwksUri).origin;
    const audience = env.EXAMPLE_AUDIENCE ?? DEMO_AUDIENCE;
    return {
      verifier: createJwtVerifier({ issuer, audience, algorithms: ['EdDSA', 'ES256', 'RS256'], jwksUri, requiredClaims: ['sub', 'jti'] }),
      describe: `tokens of ${issuer} (keys from ${jwksUri}), audience ${audience}`,
    };
  }
  const issuer = createDemoIssuer();
  return {
    verifier: createJwtVerifier({ issuer: DEMO_ISSUER, audience: DEMO_AUDIENCE, algorithms: ['EdDSA'], jwks: issuer.jwks, requiredClaims: ['sub', 'jti'] }),
    issuer,
    describe: 'demo tokens signed by a key made at start-up',
  };
}

/** Prints the demo tokens (demo mode only) so the README's curl calls work at once. */
export function printDemoTokens(issuer: DemoIssuer | undefined): void {
  if (!issuer) return;
  process.stdout.write(
    'Demo tokens (demo only, valid 15 minutes):\n' +
      `  READER_TOKEN=${issuer.accessToken({ sub: 'user_alice', scope: 'orders:read' })}\n` +
      `  WRITER_TOKEN=${issuer.accessToken({ sub: 'user_alice', scope: 'orders:read orders:write' })}\n` +
      `  EXPIRED_TOKEN=${issuer.accessToken({ sub: 'user_bob', scope: 'orders:read', nowS: Math.floor(Date.now() / 1000) - 3600 })}\n`,
  );
}

/** True when `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** One order of the examples' in-memory store. */
export interface Order {
  id: string;
  owner: string;
  item: string;
  quantity: number;
}

/** Reads `{ item, quantity }` leniently from a parsed body. */
export function orderFrom(body: unknown, owner: string): Order {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { item?: unknown; quantity?: unknown };
  const item = typeof b.item === 'string' && b.item.length > 0 ? b.item.slice(0, 100) : 'widget';
  const quantity = typeof b.quantity === 'number' && Number.isInteger(b.quantity) && b.quantity > 0 ? b.quantity : 1;
  return { id: randomUUID(), owner, item, quantity };
}
