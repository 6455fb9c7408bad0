/**
 * Invariant: a verifier that cannot obtain its keys never passes a token: when the JWK Set
 * cannot be fetched (down, timeout, non-200, redirect, oversize, not a JWK Set) and no usable
 * cached copy exists, verification fails with `jwks_unavailable` and the middleware answers
 * 503 with `Retry-After`, never 200 and never 500. A cached set keeps serving while refreshes
 * fail, up to `staleIfErrorSeconds` past its max-age; after that the verifier fails closed.
 * Failed fetches are retried at most once per cooldown.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { createJwtVerifier, type JwtVerifier } from '../../src/jwt/verifier/index.js';
import { httpTargets } from './helpers/http-targets.js';
import { startJwksServer, type JwksServer } from './helpers/jwks-server.js';
import { accessToken, AUDIENCE, ISSUER, makeKey, NOW_S } from './helpers/tokens.js';

describe('an unreachable key set fails closed', () => {
  const key = makeKey('ES256', 'es-1');
  let jwks: JwksServer;
  let verifier: JwtVerifier;
  const clock = createManualClock(NOW_S * 1000);

  beforeEach(async () => {
    clock.set(NOW_S * 1000);
    jwks = await startJwksServer([key.jwk]);
    verifier = createJwtVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      jwksUri: jwks.url,
      jwksOptions: { timeoutMs: 300, maxBytes: 4096, cooldownSeconds: 10, staleIfErrorSeconds: 600 },
      clock,
    });
  });
  afterEach(() => jwks.close());

  it.each<[string, JwksServer['mode'] | 'big' | 'not-jwks']>([
    ['server error', { status: 500, body: 'oops' }],
    ['not found', { status: 404 }],
    ['redirect (never followed)', 'redirect'],
    ['timeout', 'hang'],
    ['body over maxBytes', 'big'],
    ['not a JWK Set', 'not-jwks'],
  ])('%s: 503 on every framework, never 200 or 500', async (_name, mode) => {
    if (mode === 'big') jwks.keys = Array.from({ length: 40 }, (_, i) => ({ ...key.jwk, kid: `k${i}` }));
    else if (mode === 'not-jwks') jwks.mode = { status: 200, body: '{"keys":"none"}' };
    else jwks.mode = mode;
    await expect(verifier.verify(accessToken(key))).rejects.toMatchObject({ code: 'jwks_unavailable' });
    const targets = await httpTargets(verifier);
    try {
      for (const target of targets) {
        const answer = await target.request('/me', { authorization: `Bearer ${accessToken(key)}` });
        expect(answer.status, target.name).toBe(503);
        expect(answer.headers['retry-after']).toBe('5');
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'auth.verifier_unavailable' });
      }
    } finally {
      for (const target of targets) await target.close();
    }
    // One attempt, then the cooldown: no fetch per request.
    expect(jwks.hits).toBe(1);
  });

  it('retries after the cooldown and recovers', async () => {
    jwks.mode = { status: 503 };
    await expect(verifier.verify(accessToken(key))).rejects.toMatchObject({ code: 'jwks_unavailable' });
    jwks.mode = 'ok';
    await expect(verifier.verify(accessToken(key))).rejects.toMatchObject({ code: 'jwks_unavailable' });
    expect(jwks.hits).toBe(1);
    clock.advanceSeconds(10);
    await expect(verifier.verify(accessToken(key))).resolves.toBeDefined();
    expect(jwks.hits).toBe(2);
  });

  it('serves the cached set while refreshes fail, up to staleIfErrorSeconds, then fails closed', async () => {
    const token = (jti: string) => accessToken(key, { jti, exp: NOW_S + 3600 });
    await verifier.verify(token('a'));
    jwks.mode = { status: 500 };
    clock.advanceSeconds(300 + 1); // max-age passed: background refresh fails
    await verifier.verify(token('b'));
    await verifier.warmUp().catch(() => undefined);
    clock.advanceSeconds(500);
    await expect(verifier.verify(token('c'))).resolves.toBeDefined();
    clock.advanceSeconds(100); // 300 + 600 past the fetch: too stale
    await expect(verifier.verify(token('d'))).rejects.toMatchObject({ code: 'jwks_unavailable' });
  });
});
