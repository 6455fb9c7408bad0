/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6): a code is exchanged
 * only by the client it was issued to, with the identical `redirect_uri` and the `code_verifier`
 * of its challenge, within 60 s; every failure is `invalid_grant` with the real reason in the
 * event. A public client needs no secret (PKCE is its proof).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainCode, pkcePair } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('POST /oauth2/token grant_type=authorization_code', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  let other: { client_id: string; client_secret: string };
  let spa: { client_id: string };
  let session: SignedIn;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer();
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT, 'https://app.example.com/other'], scope: 'read write' });
    other = await registerClient(server, { client_name: 'other', grant_types: ['authorization_code'], redirect_uris: [REDIRECT], scope: 'read write' });
    spa = await registerClient(server, { client_name: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1/cb'], scope: 'read' });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const codeFor = async (clientId: string, redirectUri = REDIRECT, scope = 'read') => {
    const pkce = pkcePair();
    const { code } = await obtainCode(server, session, { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    return { code, ...pkce };
  };
  const exchange = (params: Record<string, string>, client: { client_id: string; client_secret?: string } = web) =>
    postForm(server, '/oauth2/token', { grant_type: 'authorization_code', ...params, ...(client.client_secret ? {} : { client_id: client.client_id }) }, client.client_secret ? { authorization: basic(client.client_id, client.client_secret) } : {});
  const lastFailure = () => server.events.filter((e) => e.type === 'token.issue' && e.outcome === 'failure').at(-1)?.reason;

  it('issues an access token and a refresh token for the user, no-store', async () => {
    const { code, verifier } = await codeFor(web.client_id, REDIRECT, 'read write');
    const res = await exchange({ code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'read write' });
    expect(res.json.refresh_token).toMatch(/^ghrt_/);
    const claims = JSON.parse(Buffer.from(res.json.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ client_id: web.client_id, scope: 'read write', amr: ['pwd'] });
    expect(claims.sub).toMatch(/^usr_/);
    expect(server.events.filter((e) => e.type === 'token.issue' && e.outcome === 'success').at(-1)).toMatchObject({ client: { id: web.client_id } });
  });

  it('gives no refresh token to a client without the refresh_token grant', async () => {
    const { code, verifier } = await codeFor(other.client_id);
    const res = await exchange({ code, redirect_uri: REDIRECT, code_verifier: verifier }, other);
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('refresh_token');
  });

  it('lets a public client exchange with PKCE and no secret (loopback port varied)', async () => {
    const { code, verifier } = await codeFor(spa.client_id, 'http://127.0.0.1:49152/cb');
    const res = await exchange({ code, redirect_uri: 'http://127.0.0.1:49152/cb', code_verifier: verifier }, spa);
    expect(res.status).toBe(200);
    expect(res.json.access_token).toBeTypeOf('string');
  });

  it('refuses a missing code_verifier, and the code still works with the right one', async () => {
    const { code, verifier } = await codeFor(web.client_id);
    const res = await exchange({ code, redirect_uri: REDIRECT });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
    expect(lastFailure()).toBe('missing_code_verifier');
    expect((await exchange({ code, redirect_uri: REDIRECT, code_verifier: verifier })).status).toBe(200);
  });

  it('refuses a wrong code_verifier (another pair, the challenge itself, a malformed one)', async () => {
    const { code, challenge } = await codeFor(web.client_id);
    for (const wrong of [pkcePair().verifier, challenge, 'short']) {
      const res = await exchange({ code, redirect_uri: REDIRECT, code_verifier: wrong });
      expect(res.json.error).toBe('invalid_grant');
      expect(lastFailure()).toBe('wrong_code_verifier');
    }
  });

  it('refuses a code issued to another client, without consuming it', async () => {
    const { code, verifier } = await codeFor(web.client_id);
    const res = await exchange({ code, redirect_uri: REDIRECT, code_verifier: verifier }, other);
    expect(res.json.error).toBe('invalid_grant');
    expect(lastFailure()).toBe('client_mismatch');
    expect((await exchange({ code, redirect_uri: REDIRECT, code_verifier: verifier })).status).toBe(200);
  });

  it('refuses a redirect_uri that differs from the authorization request (another registered one, or none)', async () => {
    const { code, verifier } = await codeFor(web.client_id);
    expect((await exchange({ code, redirect_uri: 'https://app.example.com/other', code_verifier: verifier })).json.error).toBe('invalid_grant');
    expect(lastFailure()).toBe('redirect_uri_mismatch');
    expect((await exchange({ code, code_verifier: verifier })).json.error).toBe('invalid_grant');
  });

  it('refuses a code at 60 s after issuance and accepts it just before (injected clock)', async () => {
    const a = await codeFor(web.client_id);
    const b = await codeFor(web.client_id);
    server.clock.advance(59_999);
    expect((await exchange({ code: a.code, redirect_uri: REDIRECT, code_verifier: a.verifier })).status).toBe(200);
    server.clock.advance(1);
    const late = await exchange({ code: b.code, redirect_uri: REDIRECT, code_verifier: b.verifier });
    expect(late.json.error).toBe('invalid_grant');
    expect(lastFailure()).toBe('code_expired');
  });

  it('refuses unknown and malformed codes, and a missing one as invalid_request', async () => {
    expect((await exchange({ code: `ghac_${'A'.repeat(43)}`, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier })).json.error).toBe('invalid_grant');
    expect(lastFailure()).toBe('code_not_found');
    expect((await exchange({ code: 'nope', redirect_uri: REDIRECT })).json.error).toBe('invalid_grant');
    expect((await exchange({ redirect_uri: REDIRECT })).json.error).toBe('invalid_request');
  });

  it('never puts a code or verifier in an event', async () => {
    const { code, verifier } = await codeFor(web.client_id);
    await exchange({ code, redirect_uri: REDIRECT, code_verifier: verifier });
    const all = JSON.stringify(server.events) + server.logLines.join('');
    expect(all).not.toContain(code);
    expect(all).not.toContain(verifier);
    expect(['oauth.invalid_grant', 'oauth.unsupported_response_type', 'oauth.access_denied']).toHaveLength(3);
  });
});
