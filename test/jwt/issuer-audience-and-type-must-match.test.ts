/**
 * Invariant: a token is accepted only if `iss` is exactly a trusted issuer, `aud` (a string,
 * or an array of which one entry suffices) names this service, and the `typ` header says it is
 * an access token (`at+jwt`, RFC 9068 §2.1, case-insensitive, optional `application/`), so an
 * ID token (`typ: JWT`), a refresh or logout token, or a token for another audience cannot be
 * replayed as an access token (RFC 8725 §3.11). Refusals get the one 401 `invalid_token`.
 */
import { describe, it } from 'vitest';
import { useProtectedApp } from './helpers/harness.js';
import { accessToken, AUDIENCE, ISSUER } from './helpers/tokens.js';

describe('issuer, audience and type must match', () => {
  const app = useProtectedApp();

  it.each([
    ['another issuer', 'https://evil.example.com', 'invalid_issuer'],
    ['a trailing slash', `${ISSUER}/`, 'invalid_issuer'],
    ['another case', ISSUER.toUpperCase(), 'invalid_issuer'],
    ['missing', undefined, 'missing_claim'],
    ['a number', 42, 'invalid_claim'],
  ])('iss %s is refused', async (_name, iss, code) => {
    await app.expectRefused(accessToken(app.keys.ec, { iss }), code);
  });

  it.each([
    ['another audience (string)', 'billing-api', 'invalid_audience'],
    ['an array without this audience', ['billing-api', 'profile-api'], 'invalid_audience'],
    ['missing', undefined, 'missing_claim'],
    ['an empty array', [], 'invalid_claim'],
    ['an array with a non-string', [AUDIENCE, 7], 'invalid_claim'],
    ['a prefix of this audience', 'orders', 'invalid_audience'],
  ])('aud %s is refused', async (_name, aud, code) => {
    await app.expectRefused(accessToken(app.keys.ec, { aud }), code);
  });

  it('aud as an array containing this audience is accepted', async () => {
    await app.expectAccepted(accessToken(app.keys.ec, { aud: ['billing-api', AUDIENCE] }));
  });

  it.each([
    ['an ID token (typ JWT)', 'JWT'],
    ['a refresh token (typ rt+jwt)', 'rt+jwt'],
    ['a logout token', 'logout+jwt'],
    ['a bare jwt', 'jwt'],
    ['no typ', undefined],
    ['at+jwt with a suffix', 'at+jwt2'],
  ])('%s is refused as an access token', async (_name, typ) => {
    await app.expectRefused(accessToken(app.keys.ec, {}, { typ }), typ === undefined || typeof typ === 'string' ? 'invalid_token_type' : 'malformed');
  });

  it.each([['at+jwt'], ['AT+JWT'], ['application/at+jwt'], ['Application/At+Jwt']])('typ %s is accepted', async (typ) => {
    await app.expectAccepted(accessToken(app.keys.ec, {}, { typ }));
  });
});
