/**
 * Invariant: a token naming any critical header extension (`crit`, RFC 7515 §4.1.11) is
 * refused, since this verifier understands none; so is the unencoded payload option
 * (`b64: false`, which RFC 7797 §7 forbids in JWTs) and a nested JWT (`cty: JWT`). All get the
 * one 401 `invalid_token` response, never a 500, even when correctly signed.
 */
import { describe, it } from 'vitest';
import { useProtectedApp } from './helpers/harness.js';
import { accessClaims, signWith } from './helpers/tokens.js';

describe('unknown critical headers are refused', () => {
  const app = useProtectedApp();
  const header = (extra: Record<string, unknown>) => ({ alg: 'EdDSA', kid: app.keys.ed.kid, typ: 'at+jwt', ...extra });

  it.each([
    ['an unknown extension', { crit: ['https://example.com/ext'], 'https://example.com/ext': true }],
    ['a registered name', { crit: ['exp'] }],
    ['an empty list', { crit: [] }],
    ['b64 listed', { crit: ['b64'], b64: true }],
    ['not a list', { crit: 'b64' }],
  ])('crit with %s is refused', async (_name, extra) => {
    await app.expectRefused(signWith(app.keys.ed, header(extra), accessClaims()), 'unsupported_header');
  });

  it.each([
    ['b64 false with crit', { b64: false, crit: ['b64'] }],
    ['b64 false without crit', { b64: false }],
    ['b64 as a string', { b64: 'false' }],
    ['cty JWT (nested)', { cty: 'JWT' }],
    ['cty application/jwt', { cty: 'application/jwt' }],
  ])('%s is refused', async (_name, extra) => {
    await app.expectRefused(signWith(app.keys.ed, header(extra), accessClaims()), 'unsupported_header');
  });

  it('b64 true, a harmless cty and unknown non-critical parameters are accepted (control)', async () => {
    await app.expectAccepted(signWith(app.keys.ed, header({ b64: true, cty: 'json', 'x-trace': 'abc' }), accessClaims()));
  });
});
