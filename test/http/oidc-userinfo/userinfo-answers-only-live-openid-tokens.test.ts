/**
 * The UserInfo endpoint answers only for a live access token Gatehouse issued with the `openid`
 * scope (OIDC Core §5.3): the token is verified against Gatehouse's own JWKS and its `jti`
 * against early revocation, and claims are released per granted scope (`email` →
 * `email`/`email_verified`, `profile` → `name`), never more. Failures follow RFC 6750 §3: no
 * token → 401 with a bare challenge; a bad, expired or revoked token → 401 `invalid_token`;
 * no `openid` → 403 `insufficient_scope`; a malformed header → 400 `invalid_request`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthErrorOf } from '../../../src/core/errors/registry.js';
import { obtainCode, pkcePair } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('GET/POST /userinfo', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  let session: SignedIn;
  let userId: string;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer();
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code', 'client_credentials'], redirect_uris: [REDIRECT], scope: 'openid email profile read' });
    userId = (await createUser(server, 'alice@example.com', { name: 'Alice Liddell' })).id;
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const accessToken = async (scope: string): Promise<string> => {
    const pkce = pkcePair();
    const { code } = await obtainCode(server, session, { response_type: 'code', client_id: web.client_id, redirect_uri: REDIRECT, scope, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const res = await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }, { authorization: basic(web.client_id, web.client_secret) });
    return res.json.access_token as string;
  };
  const userinfo = (token: string | undefined, method: 'GET' | 'POST' = 'GET') => call(server, '/userinfo', { method, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it('returns only sub for openid alone, by GET and by POST, no-store', async () => {
    const token = await accessToken('openid');
    for (const method of ['GET', 'POST'] as const) {
      const res = await userinfo(token, method);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ sub: userId });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(server.events.filter((e) => e.type === 'oauth.userinfo').at(-1)).toMatchObject({ outcome: 'success', client: { id: web.client_id } });
  });

  it('adds email and email_verified for scope email, name for scope profile', async () => {
    expect((await userinfo(await accessToken('openid email'))).json).toEqual({ sub: userId, email: 'alice@example.com', email_verified: false });
    expect((await userinfo(await accessToken('openid profile'))).json).toEqual({ sub: userId, name: 'Alice Liddell' });
  });

  it('refuses a token without openid with 403 insufficient_scope', async () => {
    expect(oauthErrorOf('oauth.insufficient_scope')).toBe('insufficient_scope');
    const res = await userinfo(await accessToken('read email'));
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="openid"');
    expect(res.json).toMatchObject({ error: 'insufficient_scope' });
    expect(server.events.filter((e) => e.type === 'oauth.userinfo').at(-1)?.reason).toBe('missing_openid_scope');
    const cc = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', scope: 'read' }, { authorization: basic(web.client_id, web.client_secret) });
    expect((await userinfo(cc.json.access_token)).status).toBe(403);
  });

  it('refuses a revoked, expired or forged token with 401 invalid_token', async () => {
    expect(oauthErrorOf('oauth.invalid_token')).toBe('invalid_token');
    const revoked = await accessToken('openid');
    await postForm(server, '/oauth2/revoke', { token: revoked }, { authorization: basic(web.client_id, web.client_secret) });
    const res = await userinfo(revoked);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="invalid_token"');
    expect(res.json).toMatchObject({ error: 'invalid_token' });
    expect(res.text).not.toContain(revoked);
    expect(server.events.filter((e) => e.type === 'oauth.userinfo').at(-1)?.reason).toBe('token_revoked');

    const [h, p, s] = (await accessToken('openid')).split('.');
    expect((await userinfo(`${h}.${p}.${s!.slice(0, -4)}AAAA`)).status).toBe(401);

    // A client_credentials token names no user, even with openid.
    const cc = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', scope: 'openid' }, { authorization: basic(web.client_id, web.client_secret) });
    expect((await userinfo(cc.json.access_token)).status).toBe(401);
    expect(server.events.filter((e) => e.type === 'oauth.userinfo').at(-1)?.reason).toBe('user_not_found');

    const expiring = await accessToken('openid');
    server.clock.advance(3_600_000);
    expect((await userinfo(expiring)).status).toBe(401);
  });

  it('answers no credential with a bare challenge and a malformed header with 400 invalid_request', async () => {
    const none = await userinfo(undefined);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    const malformed = await call(server, '/userinfo', { headers: { authorization: 'Bearer a b' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="invalid_request"');
  });
});
