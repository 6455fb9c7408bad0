/**
 * Invariant: an ID token is accepted only when it was signed by a key of the authorization
 * server's JWK Set with an asymmetric algorithm, names this server as `iss` and this client in
 * `aud` (and `azp` when there are several audiences), has not expired by the injected clock,
 * carries the `nonce` of this user's pending request, and — when it has an `at_hash` — was
 * issued with the access token it came with (OpenID Connect Core §3.1.3.7–3.1.3.8). Any other
 * token fails with `invalid_id_token` naming the failed check, and no tokens are stored.
 */
import { createHash } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
import { beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { createMemoryTokenStore, createOAuthClient, OAuthValidationError, validateIdToken } from '../../src/client/index.js';
import { ISSUER } from '../helpers/fake-oauth-server.js';

const NOW_MS = Date.UTC(2026, 0, 1);
const now = NOW_MS / 1000;
const ACCESS_TOKEN = 'access-token-value';
const atHash = (token: string) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

let keys: ReturnType<typeof createLocalJWKSet>;
let privateKey: SigningKey;
let otherKey: SigningKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] });
});

function sign(claims: JWTPayload, key: SigningKey = privateKey, alg = 'ES256'): Promise<string> {
  return new SignJWT({ iss: ISSUER, sub: 'alice', aud: 'app', iat: now, exp: now + 300, nonce: 'n-1', at_hash: atHash(ACCESS_TOKEN), ...claims })
    .setProtectedHeader({ alg, kid: 'k1' })
    .sign(key);
}

const expect_ = { issuer: ISSUER, clientId: 'app', nonce: 'n-1', accessToken: ACCESS_TOKEN, nowMs: NOW_MS, clockToleranceSeconds: 60 };

describe('ID token is bound to this request', () => {
  it('accepts a valid token', async () => {
    await expect(validateIdToken(await sign({}), keys, expect_)).resolves.toMatchObject({ sub: 'alice', nonce: 'n-1' });
  });

  it.each<[string, JWTPayload, string]>([
    ['another nonce', { nonce: 'n-2' }, 'nonce'],
    ['no nonce', { nonce: undefined }, 'nonce'],
    ['an at_hash of another access token', { at_hash: atHash('other') }, 'at_hash'],
    ['another issuer', { iss: 'https://evil.example' }, 'iss'],
    ['another audience', { aud: 'other-app' }, 'aud'],
    ['several audiences without azp', { aud: ['app', 'other-app'] }, 'azp'],
    ['an azp of another client', { azp: 'other-app' }, 'azp'],
    ['an expired exp (beyond tolerance)', { exp: now - 61 }, 'exp'],
  ])('refuses %s', async (_label, claims, claim) => {
    const err = await validateIdToken(await sign(claims), keys, expect_).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthValidationError);
    expect(err).toMatchObject({ code: 'invalid_id_token', claim });
  });

  it('refuses a token signed by a key outside the JWK Set', async () => {
    await expect(validateIdToken(await sign({}, otherKey), keys, expect_)).rejects.toMatchObject({ code: 'invalid_id_token', claim: 'signature' });
  });

  it('refuses alg none and HMAC', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: 'app', sub: 'a', iat: now, exp: now + 60, nonce: 'n-1' })).toString('base64url')}.`;
    await expect(validateIdToken(unsigned, keys, expect_)).rejects.toMatchObject({ code: 'invalid_id_token' });
    const hs = await new SignJWT({ iss: ISSUER, aud: 'app', sub: 'a', iat: now, exp: now + 60, nonce: 'n-1' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('app-client-secret-used-as-hmac-key'));
    await expect(validateIdToken(hs, keys, expect_)).rejects.toMatchObject({ code: 'invalid_id_token' });
  });

  it('handleCallback stores nothing when the ID token nonce does not match', async () => {
    const store = createMemoryTokenStore();
    const idToken = await sign({ nonce: 'someone-elses-nonce' });
    const oauth = createOAuthClient({
      issuer: ISSUER,
      clientId: 'app',
      clientSecret: 'secret',
      redirectUri: 'https://app.example.com/cb',
      store,
      clock: createManualClock(NOW_MS),
      idTokenKeys: keys,
      metadata: { issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token`, jwks_uri: `${ISSUER}/jwks` },
      fetch: () => Promise.resolve(Response.json({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300, id_token: idToken })),
    });
    const { pending } = await oauth.createAuthorizationRequest({ scope: 'openid' });
    await expect(oauth.handleCallback('sid', `https://app.example.com/cb?code=c&state=${pending.state}`, pending)).rejects.toMatchObject({ code: 'invalid_id_token', claim: 'nonce' });
    expect(store.size).toBe(0);
  });

  it('handleCallback refuses a token response without id_token when openid was requested', async () => {
    const store = createMemoryTokenStore();
    const oauth = createOAuthClient({
      issuer: ISSUER, clientId: 'app', clientSecret: 'secret', redirectUri: 'https://app.example.com/cb', store,
      metadata: { issuer: ISSUER, authorization_endpoint: `${ISSUER}/authorize`, token_endpoint: `${ISSUER}/token` },
      fetch: () => Promise.resolve(Response.json({ access_token: ACCESS_TOKEN, token_type: 'Bearer' })),
    });
    const { pending } = await oauth.createAuthorizationRequest({ scope: 'openid' });
    await expect(oauth.handleCallback('sid', `https://app.example.com/cb?code=c&state=${pending.state}`, pending)).rejects.toMatchObject({ code: 'invalid_token_response' });
    expect(store.size).toBe(0);
  });
});
