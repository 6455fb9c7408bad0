/**
 * Invariant: a token with `alg: none` (an unsecured JWS, RFC 7518 §3.6) is never accepted, in
 * any casing, with or without a signature, and no verifier can even be configured to allow it:
 * `none` in `algorithms` is a TypeError at construction. Every such token gets the one 401
 * `invalid_token` response from every framework's middleware, never a 200 or a 500.
 */
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/jwt/verifier/index.js';
import { useProtectedApp } from './helpers/harness.js';
import { accessClaims, AUDIENCE, b64, ISSUER } from './helpers/tokens.js';

describe('alg none is never accepted', () => {
  const app = useProtectedApp();
  const casings = ['none', 'None', 'NONE', 'nOnE', 'NoNe', 'nonE'];

  it.each(casings)('alg %s with an empty signature is refused', async (alg) => {
    await app.expectRefused(`${b64({ alg, typ: 'at+jwt' })}.${b64(accessClaims())}.`, 'unsupported_algorithm');
  });

  it.each(casings)('alg %s with a kid of a trusted key and a garbage signature is refused', async (alg) => {
    await app.expectRefused(`${b64({ alg, kid: app.keys.rsa.kid, typ: 'at+jwt' })}.${b64(accessClaims())}.${b64('signature')}`, 'unsupported_algorithm');
  });

  it.each([[undefined], [null], [['RS256']], [''], [' RS256'], ['rs256']])('alg %j (missing, wrong type or not exact) is refused', async (alg) => {
    await app.expectRefused(`${b64({ alg, kid: app.keys.rsa.kid, typ: 'at+jwt' })}.${b64(accessClaims())}.${b64('x')}`, 'unsupported_algorithm');
  });

  it.each(casings)('a verifier cannot be configured with %s', (alg) => {
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256', alg as never], jwks: { keys: [app.keys.rsa.jwk] } })).toThrow(TypeError);
  });

  it('a verifier cannot be configured without algorithms', () => {
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [app.keys.rsa.jwk] } } as never)).toThrow(/algorithms is required/);
    expect(() => createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: [], jwks: { keys: [app.keys.rsa.jwk] } })).toThrow(TypeError);
  });
});
