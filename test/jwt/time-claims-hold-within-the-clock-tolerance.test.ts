/**
 * Invariant: a token is accepted only while now < exp + tolerance (RFC 7519 §4.1.4), from
 * nbf − tolerance on (§4.1.5), never when issued more than the tolerance in the future, and
 * never without a numeric `exp`; the verified-token cache never outlives `exp` + tolerance.
 * Boundaries are exact to the millisecond with an injected clock. Refusals get the one 401
 * `invalid_token` response, never a 500.
 */
import { describe, expect, it } from 'vitest';
import { useProtectedApp } from './helpers/harness.js';
import { accessToken, NOW_S } from './helpers/tokens.js';

const TOLERANCE_S = 5;

describe('time claims hold within the clock tolerance', () => {
  const app = useProtectedApp({ clockToleranceSeconds: TOLERANCE_S, cache: false });
  const at = (seconds: number) => app.clock.set(seconds * 1000);

  it('exp: just within the tolerance is accepted, at exp + tolerance it is refused', async () => {
    const token = accessToken(app.keys.ed, { exp: NOW_S + 60, jti: 'exp-edge' });
    at(NOW_S + 60 + TOLERANCE_S - 0.001);
    await app.expectAccepted(token);
    at(NOW_S + 60 + TOLERANCE_S);
    await app.expectRefused(token, 'token_expired');
    at(NOW_S);
  });

  it('a token expired long ago is refused', async () => {
    await app.expectRefused(accessToken(app.keys.ed, { exp: NOW_S - 3600, iat: NOW_S - 4500 }), 'token_expired');
  });

  it('nbf: within the tolerance is accepted, beyond it refused', async () => {
    await app.expectAccepted(accessToken(app.keys.ed, { nbf: NOW_S + TOLERANCE_S }));
    await app.expectRefused(accessToken(app.keys.ed, { nbf: NOW_S + TOLERANCE_S + 0.001 }), 'token_not_yet_valid');
    await app.expectRefused(accessToken(app.keys.ed, { nbf: NOW_S + 3600 }), 'token_not_yet_valid');
  });

  it('iat: within the tolerance is accepted, in the future beyond it refused', async () => {
    await app.expectAccepted(accessToken(app.keys.ed, { iat: NOW_S + TOLERANCE_S }));
    await app.expectRefused(accessToken(app.keys.ed, { iat: NOW_S + TOLERANCE_S + 1 }), 'token_not_yet_valid');
  });

  it.each([
    ['missing', undefined, 'missing_claim'],
    ['a string', String(NOW_S + 900), 'invalid_claim'],
    ['null', null, 'invalid_claim'],
    ['a boolean', true, 'invalid_claim'],
  ])('exp %s is refused', async (_name, exp, code) => {
    await app.expectRefused(accessToken(app.keys.ed, { exp }), code);
  });

  it('exp as 1e400 (parsed as Infinity) is refused', async () => {
    const { signWith, accessClaims } = await import('./helpers/tokens.js');
    const claims = JSON.stringify(accessClaims()).replace(/"exp":\d+/, '"exp":1e400');
    await app.expectRefused(signWith(app.keys.ed, { alg: 'EdDSA', kid: app.keys.ed.kid, typ: 'at+jwt' }, claims), 'invalid_claim');
  });

  it.each([['nbf'], ['iat']])('%s as a string is refused', async (claim) => {
    await app.expectRefused(accessToken(app.keys.ed, { [claim]: 'yesterday' }), 'invalid_claim');
  });
});

describe('the verified-token cache never outlives exp + tolerance', () => {
  const app = useProtectedApp({ clockToleranceSeconds: TOLERANCE_S });

  it('a cached token is refused from exp + tolerance on', async () => {
    app.clock.set(NOW_S * 1000);
    const token = accessToken(app.keys.rsa, { exp: NOW_S + 30, jti: 'cached' });
    await app.expectAccepted(token);
    expect(app.verifier.status().cacheEntries).toBeGreaterThan(0);
    app.clock.set((NOW_S + 30 + TOLERANCE_S) * 1000 - 1);
    await app.expectAccepted(token);
    app.clock.set((NOW_S + 30 + TOLERANCE_S) * 1000);
    await app.expectRefused(token, 'token_expired');
  });
});
