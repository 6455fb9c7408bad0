import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /.well-known/jwks.json', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { jwt: { jwks: { maxAgeSeconds: 300 } } } });
  });
  afterAll(() => server.close());

  it('serves the public keys only, each with kid, alg and use "sig", cacheable for max-age', async () => {
    const res = await call(server, '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(res.json.keys).toHaveLength(1);
    const [key] = res.json.keys;
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers 304 to a matching If-None-Match, and a new ETag once a key is added', async () => {
    const first = await call(server, '/.well-known/jwks.json');
    const etag = first.headers.get('etag')!;
    const again = await call(server, '/.well-known/jwks.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const next = await server.gatehouse.tokens.signingKeys.rotate();
    server.clock.advanceSeconds(server.gatehouse.config.jwt.keyCacheSeconds);
    const after = await call(server, '/.well-known/jwks.json', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.json.keys.map((k: { kid: string }) => k.kid)).toContain(next.kid);
  });
});
