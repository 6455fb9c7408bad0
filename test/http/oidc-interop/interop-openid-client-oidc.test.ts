/**
 * Interoperability for OpenID Connect: `openid-client` 6, unchanged, discovers Gatehouse through
 * `/.well-known/openid-configuration`, runs the code flow with PKCE, `state` and `nonce` and
 * validates the ID token (issuer, audience, expiry, `nonce`, `auth_time` with
 * `max_age`), fetches `/userinfo` with the expected subject, and builds the RP-initiated logout
 * URL, which ends the session and returns with `state`. The browser steps are driven with
 * `fetch`; the library's only adjustment is `customFetch` sending requests for the configured
 * public URL to the test server's ephemeral port (the issuer itself is unchanged).
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentFields, getManual, postConsent } from '../../helpers/authorize.js';
import { registerClient } from '../../helpers/oauth.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('openid-client 6 (OpenID Connect) against Gatehouse', () => {
  let server: TestServer;
  let session: SignedIn;
  let config: oidc.Configuration;
  let userId: string;
  const REDIRECT = 'https://app.example.com/cb';
  const SIGNED_OUT = 'https://app.example.com/signed-out';

  beforeAll(async () => {
    // openid-client checks exp and iat against the real time: start the server's clock there.
    server = await startTestServer({ startMs: Date.now() });
    const web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code'], redirect_uris: [REDIRECT], post_logout_redirect_uris: [SIGNED_OUT], scope: 'openid email profile' });
    const issuer = (await call(server, '/.well-known/openid-configuration')).json.issuer as string;
    const toServer: typeof fetch = (input, init) => fetch(String(input instanceof Request ? input.url : input).replace(issuer, server.url), init);
    config = await oidc.discovery(new URL(issuer), web.client_id, {}, oidc.ClientSecretBasic(web.client_secret), { execute: [oidc.allowInsecureRequests], [oidc.customFetch]: toServer });
    userId = (await createUser(server, 'alice@example.com', { name: 'Alice Liddell' })).id;
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const browse = async (url: URL): Promise<URL> => {
    let res = await getManual(server, url.pathname + url.search, session.header);
    if (res.status === 200 && res.text.includes('/oauth2/authorize/consent')) res = await postConsent(server, session, consentFields(res.text), 'allow');
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!);
  };

  it('discovers, runs the code flow with nonce, validates the ID token, fetches userinfo and signs out', async () => {
    expect(config.serverMetadata().userinfo_endpoint).toMatch(/\/userinfo$/);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid email profile', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce, max_age: '600' });
    const tokens = await oidc.authorizationCodeGrant(config, await browse(url), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, maxAge: 600, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ sub: userId, nonce, aud: config.clientMetadata().client_id, amr: ['pwd'] });
    expect(claims.auth_time).toBeTypeOf('number');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: userId, email: 'alice@example.com', email_verified: false, name: 'Alice Liddell' });

    const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: SIGNED_OUT, state: 'bye' });
    expect(logout.pathname).toBe('/oauth2/end_session');
    const back = await browse(logout);
    expect(back.href).toBe(`${SIGNED_OUT}?state=bye`);
    expect((await call(server, '/auth/session', { headers: { cookie: session.header } })).status).toBe(401);
  });
});
