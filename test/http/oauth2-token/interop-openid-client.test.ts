/**
 * Interoperability: `openid-client` 6, a standard, certified client library, runs the
 * authorization code flow with PKCE (S256, `state`, RFC 9207 `iss` checked by the library),
 * refresh, client credentials, introspection (of access and refresh tokens) and revocation
 * against Gatehouse unchanged. The browser steps
 * (authorize, sign-in, consent) are driven with `fetch` and a cookie header; every token call is
 * made by the library, configured from Gatehouse's RFC 8414 metadata.
 */
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentFields, getManual, postConsent } from '../../helpers/authorize.js';
import { registerClient } from '../../helpers/oauth.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('openid-client 6 against Gatehouse', () => {
  let server: TestServer;
  let session: SignedIn;
  let config: oidc.Configuration;
  let publicConfig: oidc.Configuration;
  let machineConfig: oidc.Configuration;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer();
    const web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], scope: 'read write' });
    const spa = await registerClient(server, { client_name: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], scope: 'read' });
    // The metadata as served; its endpoint URLs name the configured public URL, so point them
    // at the test server's ephemeral port (the issuer is kept: openid-client checks `iss` against it).
    const metadata = (await call(server, '/.well-known/oauth-authorization-server')).json as Record<string, unknown>;
    const issuer = metadata.issuer as string;
    for (const [k, v] of Object.entries(metadata)) if (typeof v === 'string' && k.endsWith('endpoint') && v.startsWith(issuer)) metadata[k] = server.url + v.slice(issuer.length);
    config = new oidc.Configuration(metadata as unknown as oidc.ServerMetadata, web.client_id, {}, oidc.ClientSecretBasic(web.client_secret));
    publicConfig = new oidc.Configuration(metadata as unknown as oidc.ServerMetadata, spa.client_id, {}, oidc.None());
    const worker = await registerClient(server, { client_name: 'worker', token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'], scope: 'invoices:read' });
    machineConfig = new oidc.Configuration(metadata as unknown as oidc.ServerMetadata, worker.client_id, {}, oidc.ClientSecretPost(worker.client_secret));
    oidc.allowInsecureRequests(machineConfig);
    oidc.allowInsecureRequests(config);
    oidc.allowInsecureRequests(publicConfig);
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  /** The browser: follow the authorization URL, consent, and return the callback URL. */
  const browse = async (url: URL): Promise<URL> => {
    const local = url.href.replace(/^https?:\/\/[^/]+/, '');
    let res = await getManual(server, local, session.header);
    if (res.status === 200) res = await postConsent(server, session, consentFields(res.text), 'allow');
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!);
  };

  const runFlow = async (cfg: oidc.Configuration, scope: string) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(cfg, { redirect_uri: REDIRECT, scope, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const callback = await browse(url);
    return oidc.authorizationCodeGrant(cfg, callback, { pkceCodeVerifier: verifier, expectedState: state });
  };

  it('runs code + PKCE, refresh, introspection and revocation (confidential client, client_secret_basic)', async () => {
    const tokens = await runFlow(config, 'read write');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('read write');
    expect(tokens.refresh_token).toMatch(/^ghrt_/);

    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection).toMatchObject({ active: true, client_id: expect.any(String), scope: 'read write' });

    expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token', scope: 'read write' });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'read' });
    expect(refreshed.scope).toBe('read');
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('runs client_credentials (client_secret_post), and the token introspects as active for the same client', async () => {
    const tokens = await oidc.clientCredentialsGrant(machineConfig, { scope: 'invoices:read' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.refresh_token).toBeUndefined();
    expect(await oidc.tokenIntrospection(machineConfig, tokens.access_token)).toMatchObject({ active: true, scope: 'invoices:read' });
    await expect(oidc.clientCredentialsGrant(machineConfig, { scope: 'invoices:write' })).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('runs the flow for a public client without a secret, and refuses a wrong state on the client side', async () => {
    const tokens = await runFlow(publicConfig, 'read');
    expect(tokens.access_token).toBeTypeOf('string');
    const refreshed = await oidc.refreshTokenGrant(publicConfig, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTypeOf('string');

    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(publicConfig, { redirect_uri: REDIRECT, scope: 'read', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'one' });
    const callback = await browse(url);
    await expect(oidc.authorizationCodeGrant(publicConfig, callback, { pkceCodeVerifier: verifier, expectedState: 'two' })).rejects.toThrow();
  });

  it('surfaces an error redirect (access_denied) as an error in the library', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'write', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 's' });
    const other = await createUser(server, 'carol@example.com');
    const carol = await signIn(server, other.email);
    const page = await getManual(server, url.href.replace(/^https?:\/\/[^/]+/, ''), carol.header);
    const denied = await postConsent(server, carol, consentFields(page.text), 'deny');
    const callback = new URL(denied.headers.get('location')!);
    await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 's' })).rejects.toMatchObject({ error: 'access_denied' });
  });
});
