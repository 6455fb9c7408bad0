/**
 * Invariant: a key verifies only tokens of the algorithm it is published for, so an attacker
 * cannot switch algorithms. In particular the RS256 → HS256 confusion (an HMAC computed with
 * the issuer's public key, as PEM or as JWK JSON, used as the secret) never passes: HMAC is
 * only possible with secrets given explicitly in `keys`, HMAC and asymmetric algorithms cannot
 * be mixed in one verifier, and a JWK Set never supplies a symmetric key. Each such token gets
 * the one 401 `invalid_token` response, never a 500.
 */
import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/jwt/verifier/index.js';
import { useProtectedApp } from './helpers/harness.js';
import { accessClaims, AUDIENCE, b64, hmacToken, ISSUER, makeKey, rawSignature, signWith } from './helpers/tokens.js';

describe('a key verifies only its published algorithm', () => {
  const app = useProtectedApp();

  it('HS256 signed with the RSA public key as PEM (SPKI and PKCS#1) is refused', async () => {
    for (const type of ['spki', 'pkcs1'] as const) {
      const pem = app.keys.rsa.publicKey.export({ format: 'pem', type }) as string;
      for (const secret of [pem, pem.trim()]) {
        await app.expectRefused(hmacToken(secret, { alg: 'HS256', kid: app.keys.rsa.kid, typ: 'at+jwt' }, accessClaims()), 'unsupported_algorithm');
      }
    }
  });

  it('HS256 signed with the public key as JWK JSON (and its modulus bytes) is refused', async () => {
    const jwk = app.keys.rsa.jwk;
    for (const secret of [JSON.stringify(jwk), JSON.stringify({ kty: 'RSA', n: jwk.n, e: jwk.e }), Buffer.from(jwk.n as string, 'base64url')]) {
      await app.expectRefused(hmacToken(secret, { alg: 'HS256', kid: app.keys.rsa.kid, typ: 'at+jwt' }, accessClaims()), 'unsupported_algorithm');
    }
  });

  it('an EC public key as HMAC secret (Wycheproof symmetry confusion) is refused', async () => {
    const pem = app.keys.ec.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    await app.expectRefused(hmacToken(pem, { alg: 'HS256', kid: app.keys.ec.kid, typ: 'at+jwt' }, accessClaims()), 'unsupported_algorithm');
  });

  it('PS256 signed with the RS256-published RSA key is refused (same key, other algorithm)', async () => {
    const withPss = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256', 'PS256'], jwks: { keys: [app.keys.rsa.jwk] } });
    const pss = { ...app.keys.rsa, alg: 'PS256' as const };
    const token = signWith(pss, { alg: 'PS256', kid: app.keys.rsa.kid, typ: 'at+jwt' }, accessClaims());
    await expect(withPss.verify(token)).rejects.toMatchObject({ code: 'unknown_key' });
    await app.expectRefused(token, 'unsupported_algorithm');
  });

  it('a header naming ES256 with the RSA key id, or RS256 with the EC key id, is refused', async () => {
    const claims = b64(accessClaims());
    const esWithRsaKid = `${b64({ alg: 'ES256', kid: app.keys.rsa.kid, typ: 'at+jwt' })}.${claims}`;
    await app.expectRefused(`${esWithRsaKid}.${rawSignature(app.keys.ec, esWithRsaKid).toString('base64url')}`, 'unknown_key');
    const rsWithEcKid = `${b64({ alg: 'RS256', kid: app.keys.ec.kid, typ: 'at+jwt' })}.${claims}`;
    await app.expectRefused(`${rsWithEcKid}.${rawSignature(app.keys.rsa, rsWithEcKid).toString('base64url')}`, 'unknown_key');
  });

  it('cannot be configured to mix HMAC with asymmetric algorithms, or to take HMAC secrets from a JWK Set', () => {
    const secret = { kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url'), alg: 'HS256' };
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256', 'HS256'], jwks: { keys: [app.keys.rsa.jwk] } })).toThrow(/cannot be mixed/);
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], jwks: { keys: [secret] } })).toThrow(/secrets in `keys`/);
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], keys: [app.keys.rsa.jwk as never, secret as never] })).toThrow(TypeError);
  });

  it('HS256 with an explicit secret works, and refuses a token signed with the RSA public key', async () => {
    const secret = Buffer.alloc(32, 9);
    const verifier = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], keys: [{ alg: 'HS256', key: createSecretKey(secret), kid: 'hs' }] });
    const good = hmacToken(secret, { alg: 'HS256', kid: 'hs', typ: 'at+jwt' }, accessClaims({ exp: 4_000_000_000 }));
    await expect(verifier.verify(good)).resolves.toMatchObject({ claims: { sub: 'usr_alice' } });
    const pem = app.keys.rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    await expect(verifier.verify(hmacToken(pem, { alg: 'HS256', kid: 'hs', typ: 'at+jwt' }, accessClaims({ exp: 4_000_000_000 })))).rejects.toMatchObject({ code: 'invalid_signature' });
  });

  it('a JWK whose alg does not match its kty or curve is never used', () => {
    const ec384 = makeKey('ES384');
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], keys: [{ ...ec384.jwk, alg: 'ES256' } as never] })).toThrow(/alg does not match crv/);
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], keys: [{ ...app.keys.ec.jwk, alg: 'RS256' } as never] })).toThrow(/alg does not match kty/);
  });
});
