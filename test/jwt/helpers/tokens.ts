import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** Test issuer keys and a signer that writes any header and payload (including hostile ones). */
export type TestAlg = 'RS256' | 'ES256' | 'EdDSA' | 'PS256' | 'ES384';

export interface TestKey {
  alg: TestAlg;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public JWK as an issuer publishes it: kid, alg, use. */
  jwk: Record<string, unknown>;
}

const cache = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();

export function makeKey(alg: TestAlg, kid = `${alg.toLowerCase()}-1`): TestKey {
  const cacheKey = `${alg}/${kid}`;
  let pair = cache.get(cacheKey);
  if (!pair) {
    pair =
      alg === 'RS256' || alg === 'PS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : alg === 'ES256'
          ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
          : alg === 'ES384'
            ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
            : generateKeyPairSync('ed25519');
    cache.set(cacheKey, pair);
  }
  return { alg, kid, ...pair, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

export const b64 = (value: string | Buffer | object): string =>
  (typeof value === 'string' || Buffer.isBuffer(value) ? Buffer.from(value as string) : Buffer.from(JSON.stringify(value))).toString('base64url');

/** Signs `header.payload` (given as objects or raw JSON text) with a test key's algorithm. */
export function signWith(key: TestKey, header: object | string, payload: object | string): string {
  const input = `${b64(typeof header === 'string' ? header : header)}.${b64(typeof payload === 'string' ? payload : payload)}`;
  return `${input}.${rawSignature(key, input).toString('base64url')}`;
}

export function rawSignature(key: TestKey, input: string): Buffer {
  const data = Buffer.from(input);
  switch (key.alg) {
    case 'RS256':
      return sign('sha256', data, key.privateKey);
    case 'PS256':
      return sign('sha256', data, { key: key.privateKey, padding: 6, saltLength: 32 });
    case 'ES256':
      return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'ES384':
      return sign('sha384', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, key.privateKey);
  }
}

/** HMAC-SHA256 over `header.payload` with any secret (the algorithm-confusion attack). */
export function hmacToken(secret: Buffer | string, header: object, payload: object): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export const ISSUER = 'https://auth.example.com';
export const AUDIENCE = 'orders-api';
/** A fixed "now" for every test: 2026-01-01T00:00:00Z. */
export const NOW_S = 1_767_225_600;

/** The claims of a good access token at {@link NOW_S}. */
export function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: 'usr_alice',
    aud: AUDIENCE,
    exp: NOW_S + 900,
    iat: NOW_S - 10,
    jti: 'jti_1',
    client_id: 'client_1',
    scope: 'orders:read profile',
    ...overrides,
  };
}

/** A good access token signed by `key` (RFC 9068 header), with claim overrides. */
export function accessToken(key: TestKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
  return signWith(key, { alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }, accessClaims(claims));
}

/** Re-imports a private key (keeps imports of node:crypto in one place for tests). */
export const privateFromPem = (pem: string): KeyObject => createPrivateKey(pem);
