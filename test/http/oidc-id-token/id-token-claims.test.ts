/**
 * OpenID Connect ID tokens (OIDC Core §2, §3.1.3.3, §3.1.3.6): the `authorization_code` grant
 * with `openid` granted returns an `id_token` signed by Gatehouse's active key (verifiable
 * with the published JWKS), for the client (`aud` = `azp` = client_id), for the user (`sub`),
 * with the authorization request's `nonce`, the session's `auth_time` and `amr`, `at_hash` of
 * the access token issued beside it, and the configured short lifetime. No ID token without
 * `openid`, from `client_credentials`, or from `refresh_token` (OIDC Core §12.2 allows
 * omitting it; Gatehouse does).
 */
import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainCode, pkcePair } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('id_token from the authorization_code grant', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  let session: SignedIn;
  let userId: string;
  let issuer: string;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer({ overrides: { oauth: { idTokenLifetimeSeconds: 120 } } });
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], redirect_uris: [REDIRECT], scope: 'openid email profile read' });
    userId = (await createUser(server)).id;
    session = await signIn(server);
    issuer = (await call(server, '/.well-known/openid-configuration')).json.issuer;
  });
  afterAll(() => server.close());

  const exchange = async (scope: string, nonce?: string) => {
    const pkce = pkcePair();
    const { code } = await obtainCode(server, session, { response_type: 'code', client_id: web.client_id, redirect_uri: REDIRECT, scope, nonce, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    return postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }, { authorization: basic(web.client_id, web.client_secret) });
  };
  const verify = async (idToken: string) => {
    const jwks = (await call(server, '/.well-known/jwks.json')).json as JSONWebKeySet;
    return jwtVerify(idToken, createLocalJWKSet(jwks), { issuer, audience: web.client_id, currentDate: new Date(server.clock.now()) });
  };

  it('carries iss, sub, aud, azp, exp (configured lifetime), iat, auth_time, nonce, amr and at_hash, verified against /.well-known/jwks.json', async () => {
    const res = await exchange('openid email read', 'n-0S6_WzA2Mj');
    expect(res.status).toBe(200);
    const { payload, protectedHeader } = await verify(res.json.id_token);
    expect(protectedHeader).toMatchObject({ typ: 'JWT', alg: 'RS256', kid: expect.any(String) });
    const now = Math.floor(server.clock.now() / 1000);
    expect(payload).toMatchObject({ iss: issuer, sub: userId, aud: web.client_id, azp: web.client_id, iat: now, exp: now + 120, nonce: 'n-0S6_WzA2Mj', amr: ['pwd'] });
    expect(payload.auth_time).toBe(Math.floor(Date.parse(session.res.json.session.authenticated_at) / 1000));
    // OIDC Core §3.1.3.6: left half of SHA-256 (RS256) of the access token, base64url.
    const digest = createHash('sha256').update(res.json.access_token, 'ascii').digest();
    expect(payload.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
    expect(server.events.filter((e) => e.type === 'oauth.id_token.issue').at(-1)).toMatchObject({ outcome: 'success', client: { id: web.client_id }, details: { user_id: userId, nonce_present: true } });
    expect(JSON.stringify(server.events)).not.toContain(res.json.id_token);
    expect(JSON.stringify(server.events)).not.toContain('n-0S6_WzA2Mj');
  });

  it('omits nonce when the authorization request had none', async () => {
    const res = await exchange('openid');
    const { payload } = await verify(res.json.id_token);
    expect(payload.nonce).toBeUndefined();
    expect(decodeProtectedHeader(res.json.id_token).kid).toBeTypeOf('string');
  });

  it('issues no id_token without openid, from client_credentials, or on refresh', async () => {
    const plain = await exchange('read');
    expect(plain.status).toBe(200);
    expect(plain.json.id_token).toBeUndefined();

    const cc = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', scope: 'openid read' }, { authorization: basic(web.client_id, web.client_secret) });
    expect(cc.status).toBe(200);
    expect(cc.json.id_token).toBeUndefined();

    const withOpenid = await exchange('openid read');
    const refreshed = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: withOpenid.json.refresh_token }, { authorization: basic(web.client_id, web.client_secret) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.id_token).toBeUndefined();
  });

  it('expires after idTokenLifetimeSeconds (injected clock)', async () => {
    const res = await exchange('openid');
    server.clock.advance(121_000);
    await expect(verify(res.json.id_token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });
});
