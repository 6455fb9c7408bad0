/**
 * `grant_type=refresh_token` (RFC 6749 §6): the refresh token rotates on every use; only the
 * client it was issued to may use it (another client's gets `invalid_grant`, and the token is
 * left usable by its owner); `scope` may narrow the new access token but never widen it
 * (`invalid_scope`); a revoked refresh token is `invalid_grant`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainCode, pkcePair } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('POST /oauth2/token grant_type=refresh_token', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  let other: { client_id: string; client_secret: string };
  let spa: { client_id: string };
  let session: SignedIn;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer();
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], scope: 'read write admin' });
    other = await registerClient(server, { client_name: 'other', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], scope: 'read write admin' });
    spa = await registerClient(server, { client_name: 'spa', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: ['https://spa.example.com/cb'], scope: 'read' });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const tokensFor = async (client: { client_id: string; client_secret?: string }, redirectUri = REDIRECT, scope = 'read write') => {
    const pkce = pkcePair();
    const { code } = await obtainCode(server, session, { response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, scope, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const res = await token(client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier });
    expect(res.status).toBe(200);
    return res.json as { access_token: string; refresh_token: string };
  };
  const token = (client: { client_id: string; client_secret?: string }, params: Record<string, string>) =>
    postForm(server, '/oauth2/token', { ...params, ...(client.client_secret ? {} : { client_id: client.client_id }) }, client.client_secret ? { authorization: basic(client.client_id, client.client_secret) } : {});

  it('rotates: a new refresh token each time, the same scope by default', async () => {
    const t = await tokensFor(web);
    const res = await token(web, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.scope).toBe('read write');
    expect(res.json.refresh_token).toMatch(/^ghrt_/);
    expect(res.json.refresh_token).not.toBe(t.refresh_token);
  });

  it('narrows the scope when asked', async () => {
    const t = await tokensFor(web);
    const res = await token(web, { grant_type: 'refresh_token', refresh_token: t.refresh_token, scope: 'read' });
    expect(res.json.scope).toBe('read');
  });

  it('refuses scope escalation with invalid_scope, even to a scope registered for the client', async () => {
    const t = await tokensFor(web);
    const res = await token(web, { grant_type: 'refresh_token', refresh_token: t.refresh_token, scope: 'read admin' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_scope');
    expect((await token(web, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).status).toBe(200);
  });

  it('refuses a refresh token of another client with invalid_grant', async () => {
    const t = await tokensFor(web);
    const res = await token(other, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
    expect(server.events.filter((e) => e.type === 'token.refresh' && e.outcome === 'failure').at(-1)?.reason).toBe('client_mismatch');
    expect((await token(web, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).status).toBe(200);
  });

  it('lets a public client refresh with its client_id alone, always rotating', async () => {
    const t = await tokensFor(spa, 'https://spa.example.com/cb', 'read');
    const res = await token(spa, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    expect(res.status).toBe(200);
    expect(res.json.refresh_token).not.toBe(t.refresh_token);
  });

  it('refuses a revoked refresh token, and a missing one as invalid_request', async () => {
    const t = await tokensFor(web);
    expect((await postForm(server, '/oauth2/revoke', { token: t.refresh_token, token_type_hint: 'refresh_token' }, { authorization: basic(web.client_id, web.client_secret) })).status).toBe(200);
    expect((await token(web, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).json.error).toBe('invalid_grant');
    expect((await token(web, { grant_type: 'refresh_token' })).json.error).toBe('invalid_request');
  });
});
