/**
 * Invariant: a verifier with a cached JWK Set picks up a rotated-in key on first sight of its
 * `kid`, by refetching the set, but an unknown `kid` triggers at most one fetch per cooldown
 * window however many tokens carry it, concurrently or not (no amplification towards the
 * issuer); tokens signed by a key that stays published keep verifying across the rotation,
 * and a key removed from the set stops verifying, cached tokens included. Tested against a
 * real local JWKS server with an injected clock: no sleeping.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { createJwtVerifier, type JwtVerifier } from '../../src/jwt/verifier/index.js';
import { expectInvalidToken, httpTargets } from './helpers/http-targets.js';
import { startJwksServer, type JwksServer } from './helpers/jwks-server.js';
import { accessToken, AUDIENCE, ISSUER, makeKey, NOW_S } from './helpers/tokens.js';

describe('a new kid is fetched at most once per cooldown', () => {
  const oldKey = makeKey('EdDSA', 'key-2025');
  const newKey = makeKey('EdDSA', 'key-2026');
  let jwks: JwksServer;
  let verifier: JwtVerifier;
  const clock = createManualClock(NOW_S * 1000);

  beforeEach(async () => {
    clock.set(NOW_S * 1000);
    jwks = await startJwksServer([oldKey.jwk]);
    verifier = createJwtVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      jwksUri: jwks.url,
      jwksOptions: { cooldownSeconds: 10 },
      clock,
    });
  });
  afterEach(() => jwks.close());

  it('picks up a new kid on first sight once the cooldown has passed, keeping the old key', async () => {
    await verifier.verify(accessToken(oldKey));
    expect(jwks.hits).toBe(1);
    jwks.keys = [oldKey.jwk, newKey.jwk];
    clock.advanceSeconds(11);
    await expect(verifier.verify(accessToken(newKey, { exp: NOW_S + 900 }))).resolves.toMatchObject({ header: { kid: 'key-2026' } });
    expect(jwks.hits).toBe(2);
    // A token signed before the rotation keeps verifying (the old key is still published).
    await expect(verifier.verify(accessToken(oldKey, { jti: 'before-rotation' }))).resolves.toBeDefined();
    expect(jwks.hits).toBe(2);
  });

  it('within the cooldown an unknown kid is refused without a fetch', async () => {
    await verifier.verify(accessToken(oldKey));
    jwks.keys = [oldKey.jwk, newKey.jwk];
    clock.advanceSeconds(5);
    await expect(verifier.verify(accessToken(newKey))).rejects.toMatchObject({ code: 'unknown_key' });
    expect(jwks.hits).toBe(1);
    clock.advanceSeconds(5);
    await expect(verifier.verify(accessToken(newKey))).resolves.toBeDefined();
    expect(jwks.hits).toBe(2);
  });

  it('200 concurrent tokens with 50 different unknown kids cause one fetch', async () => {
    await verifier.verify(accessToken(oldKey));
    clock.advanceSeconds(60);
    const strangers = Array.from({ length: 50 }, (_, i) => makeKey('EdDSA', `stranger-${i % 3}`));
    const tokens = Array.from({ length: 200 }, (_, i) => accessToken({ ...strangers[i % 50]!, kid: `unknown-${i % 50}` }));
    const results = await Promise.allSettled(tokens.map((t) => verifier.verify(t)));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'unknown_key')).toBe(true);
    expect(jwks.hits).toBe(2);
    // And again right after: still within the cooldown, no fetch.
    await Promise.allSettled(tokens.slice(0, 20).map((t) => verifier.verify(t)));
    expect(jwks.hits).toBe(2);
  });

  it('through the HTTP middleware: unknown kids get 401, and the rotated key 200 after the cooldown', async () => {
    const targets = await httpTargets(verifier);
    try {
      await verifier.warmUp();
      expect(jwks.hits).toBe(1);
      jwks.keys = [newKey.jwk];
      for (const target of targets) {
        const answer = await target.request('/me', { authorization: `Bearer ${accessToken(newKey)}` });
        expectInvalidToken(answer);
      }
      expect(jwks.hits).toBe(1);
      clock.advanceSeconds(10);
      for (const target of targets) expect((await target.request('/me', { authorization: `Bearer ${accessToken(newKey)}` })).status).toBe(200);
      expect(jwks.hits).toBe(2);
      // The old key left the set: its tokens, even cached ones, are refused now.
      for (const target of targets) expectInvalidToken(await target.request('/me', { authorization: `Bearer ${accessToken(oldKey)}` }));
    } finally {
      for (const target of targets) await target.close();
    }
  });

  it('a cached token stops verifying when its key leaves the set', async () => {
    const token = accessToken(oldKey, { jti: 'cached-old' });
    await verifier.verify(token);
    expect(verifier.status().cacheEntries).toBe(1);
    jwks.keys = [newKey.jwk];
    clock.advanceSeconds(301); // past max-age=300: the next verification refreshes in the background
    await verifier.verify(token); // still served from the stale set while the refresh runs
    await verifier.warmUp();
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'unknown_key' });
  });

  it('refreshes when max-age passes, respecting Cache-Control within bounds', async () => {
    jwks.cacheControl = 'public, max-age=60';
    await verifier.verify(accessToken(oldKey));
    clock.advanceSeconds(59);
    await verifier.verify(accessToken(oldKey, { jti: 'a' }));
    expect(jwks.hits).toBe(1);
    clock.advanceSeconds(2);
    await verifier.verify(accessToken(oldKey, { jti: 'b' }));
    await verifier.warmUp();
    expect(jwks.hits).toBe(2);
    expect(verifier.status().jwks).toMatchObject({ keys: 1, lastError: null });
  });

  it('reports the keys it ignores, without key material', async () => {
    const rsaSmall = { kty: 'RSA', kid: 'tiny', n: Buffer.alloc(128, 0xc5).toString('base64url'), e: 'AQAB' };
    jwks.keys = [oldKey.jwk, { ...newKey.jwk, use: 'enc' }, { kty: 'oct', kid: 'secret', k: 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI' }, rsaSmall];
    await verifier.warmUp();
    const status = verifier.status().jwks!;
    expect(status.keys).toBe(1);
    expect(status.ignored.map((i) => i.kid)).toEqual(['key-2026', 'secret', 'tiny']);
    expect(JSON.stringify(status)).not.toContain('c2VjcmV0');
  });
});
