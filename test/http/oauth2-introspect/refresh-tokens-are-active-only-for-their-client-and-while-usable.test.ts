/**
 * Invariant: RFC 7662 introspection of a refresh token answers `active: true` (with
 * `client_id`, `sub`, `scope`, `exp`) only to the client the token was issued to, and only while
 * a refresh would accept it. Another client, a rotated (used) token, a revoked family and an
 * unknown or malformed value all get exactly `{"active":false}`: introspection never tells a
 * client about another client's grant, nor confirms that a stolen, already-rotated token exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainCode, pkcePair } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('POST /oauth2/introspect with a refresh token', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  let other: { client_id: string; client_secret: string };
  let session: SignedIn;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer();
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], scope: 'read write' });
    other = await registerClient(server, { client_name: 'other', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], scope: 'read write' });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const tokens = async () => {
    const pkce = pkcePair();
    const { code } = await obtainCode(server, session, { response_type: 'code', client_id: web.client_id, redirect_uri: REDIRECT, scope: 'read', code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const res = await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }, { authorization: basic(web.client_id, web.client_secret) });
    expect(res.status).toBe(200);
    return res.json as { access_token: string; refresh_token: string };
  };
  const introspect = (client: { client_id: string; client_secret: string }, token: string) =>
    postForm(server, '/oauth2/introspect', { token, token_type_hint: 'refresh_token' }, { authorization: basic(client.client_id, client.client_secret) });

  it('is active for its own client, with its grant, and inactive for another client', async () => {
    const t = await tokens();
    const mine = await introspect(web, t.refresh_token);
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ active: true, token_type: 'refresh_token', client_id: web.client_id, scope: 'read', sub: expect.any(String) });
    expect(mine.json.exp).toBeGreaterThan(mine.json.iat);
    const theirs = await introspect(other, t.refresh_token);
    expect(theirs.status).toBe(200);
    expect(theirs.json).toEqual({ active: false });
  });

  it('is inactive once rotated, once revoked, and for unknown or malformed values', async () => {
    const t = await tokens();
    const rotated = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(web.client_id, web.client_secret) });
    expect(rotated.status).toBe(200);
    expect((await introspect(web, t.refresh_token)).json).toEqual({ active: false });
    const next = (rotated.json as { refresh_token: string }).refresh_token;
    expect((await introspect(web, next)).json.active).toBe(true);
    await postForm(server, '/oauth2/revoke', { token: next, token_type_hint: 'refresh_token' }, { authorization: basic(web.client_id, web.client_secret) });
    expect((await introspect(web, next)).json).toEqual({ active: false });
    expect((await introspect(web, `ghrt_${'A'.repeat(43)}`)).json).toEqual({ active: false });
    expect((await introspect(web, 'not a token')).json).toEqual({ active: false });
  });
});
