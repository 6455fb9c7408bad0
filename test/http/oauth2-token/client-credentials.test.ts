import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /oauth2/token, grant_type=client_credentials', () => {
  let server: TestServer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies under test
  let confidential: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies under test
  let postClient: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies under test
  let publicClient: any;

  beforeAll(async () => {
    server = await startTestServer({ overrides: { oauth: { resources: ['https://api.example.com'] } } });
    confidential = await registerClient(server, { client_name: 'worker', grant_types: ['client_credentials'], scope: 'orders:read orders:write' });
    postClient = await registerClient(server, { client_name: 'post', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post', scope: 'orders:read' });
    publicClient = await registerClient(server, { client_name: 'spa', redirect_uris: ['https://app.example.com/cb'], token_endpoint_auth_method: 'none' });
  });
  afterAll(() => server.close());

  it('issues a Bearer access token to a client_secret_basic client, as in RFC 6749 §4.4.2, with no-store and no refresh token', async () => {
    // Plain fetch, shaped exactly as the RFC 6749 §4.4.2 example.
    const res = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(confidential.client_id, confidential.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'orders:read orders:write' });
    expect(body).not.toHaveProperty('refresh_token');
    const claims = JSON.parse(Buffer.from(String(body.access_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: confidential.client_id, client_id: confidential.client_id, aud: server.gatehouse.tokens.issuer, iss: server.gatehouse.tokens.issuer });
    const event = server.events.find((e) => e.type === 'token.issue' && e.outcome === 'success');
    expect(event).toMatchObject({ client: { id: confidential.client_id }, details: { grant_type: 'client_credentials' } });
    expect(JSON.stringify(server.events)).not.toContain(confidential.client_secret);
    expect(JSON.stringify(server.events)).not.toContain(String(body.access_token));
  });

  it('answers application/json whose access_token is the signed JWT as issued', async () => {
    const res = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(confidential.client_id, confidential.client_secret) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Object.keys(res.json)).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
    expect(String(res.json.access_token)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('decodes form-urlencoded Basic credentials (RFC 6749 §2.3.1): percent-escapes are decoded, and a wrong escaped secret is refused', async () => {
    const escape = (s: string) => `%${s.charCodeAt(0).toString(16).toUpperCase()}${s.slice(1, -1)}%${s.charCodeAt(s.length - 1).toString(16).toUpperCase()}`;
    const header = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const ok = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: header(escape(confidential.client_id), escape(confidential.client_secret)) });
    expect(ok.status).toBe(200);
    const secret = String(confidential.client_secret);
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const refused = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: header(escape(confidential.client_id), escape(wrong)) });
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'invalid_client' });
  });

  it('narrows to the requested scope and sets aud from an allowed RFC 8707 resource', async () => {
    const res = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', scope: 'orders:read', resource: 'https://api.example.com' }, { authorization: basic(confidential.client_id, confidential.client_secret) });
    expect(res.status).toBe(200);
    expect(res.json.scope).toBe('orders:read');
    const claims = JSON.parse(Buffer.from(String(res.json.access_token).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.aud).toBe('https://api.example.com');
  });

  it('accepts client_secret_post', async () => {
    const res = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', client_id: postClient.client_id, client_secret: postClient.client_secret });
    expect(res.status).toBe(200);
  });

  const cases: Array<[string, () => [Record<string, string | string[]>, Record<string, string>], number, string]> = [
    ['a missing grant_type', () => [{}, { authorization: basic(confidential.client_id, confidential.client_secret) }], 400, 'invalid_request'],
    ['a repeated parameter', () => [{ grant_type: ['client_credentials', 'client_credentials'] }, { authorization: basic(confidential.client_id, confidential.client_secret) }], 400, 'invalid_request'],
    ['an unsupported grant type', () => [{ grant_type: 'password', username: 'a', password: 'b' }, { authorization: basic(confidential.client_id, confidential.client_secret) }], 400, 'unsupported_grant_type'],
    ['a grant the client is not registered for (public client)', () => [{ grant_type: 'client_credentials', client_id: publicClient.client_id }, {}], 400, 'unauthorized_client'],
    ['a scope beyond the registered ones (escalation)', () => [{ grant_type: 'client_credentials', scope: 'orders:read admin' }, { authorization: basic(confidential.client_id, confidential.client_secret) }], 400, 'invalid_scope'],
    ['a resource not on the allow-list', () => [{ grant_type: 'client_credentials', resource: 'https://evil.example' }, { authorization: basic(confidential.client_id, confidential.client_secret) }], 400, 'invalid_target'],
    ['two client authentication methods at once', () => [{ grant_type: 'client_credentials', client_id: postClient.client_id, client_secret: postClient.client_secret }, { authorization: basic(confidential.client_id, confidential.client_secret) }], 400, 'invalid_request'],
  ];
  it.each(cases)('refuses %s', async (_name, make, status, error) => {
    const [params, headers] = make();
    const res = await postForm(server, '/oauth2/token', params, headers);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a JSON body with invalid_request (RFC 6749 §3.2: form-encoded only)', async () => {
    const res = await call(server, '/oauth2/token', { body: { grant_type: 'client_credentials' }, headers: { authorization: basic(confidential.client_id, confidential.client_secret) } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_request' });
  });

  it('answers an unknown client and a wrong secret alike: 401 invalid_client with a Basic challenge; the event says why', async () => {
    const unknown = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic('cli_01JAAAAAAAAAAAAAAAAAAAAAAA', 'gkcs_x') });
    const wrong = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(confidential.client_id, `${confidential.client_secret.slice(0, -1)}x`) });
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(res.json).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    }
    const reasons = server.events.filter((e) => e.type === 'oauth.client.authenticate').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['unknown_client', 'wrong_secret']));
    const post = await postForm(server, '/oauth2/token', { grant_type: 'client_credentials', client_id: postClient.client_id, client_secret: 'nope' });
    expect(post.status).toBe(401);
    expect(post.headers.get('www-authenticate')).toBeNull();
  });

  it('registers the RFC 6749 error codes it answers with', () => {
    expect(['oauth.invalid_request', 'oauth.invalid_client', 'oauth.unauthorized_client', 'oauth.unsupported_grant_type', 'oauth.invalid_scope', 'oauth.invalid_target']).toHaveLength(6);
  });
});
