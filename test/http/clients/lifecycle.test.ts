import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm } from '../../helpers/oauth.js';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('/v1/clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('registers a confidential client with RFC 7591 names and shows the secret once', async () => {
    const res = await call(server, '/v1/clients', { key: server.adminKey, body: { client_name: 'billing', grant_types: ['client_credentials'], scope: 'invoices:read' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/clients/${res.json.client_id}`);
    expect(res.json).toMatchObject({
      client_name: 'billing',
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'invoices:read',
      client_id_issued_at: Date.UTC(2026, 0, 1) / 1000,
      client_secret_expires_at: 0,
    });
    expect(res.json.client_id).toMatch(/^cli_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(res.json.client_secret).toMatch(/^gkcs_[0-9A-Za-z]{43}$/);
    const shown = await call(server, `/v1/clients/${res.json.client_id}`, { key: server.adminKey });
    expect(shown.status).toBe(200);
    expect(shown.json).not.toHaveProperty('client_secret');
    expect(shown.text).not.toContain(res.json.client_secret);
    const list = await call(server, '/v1/clients', { key: server.adminKey });
    expect(list.json.items.map((c: { client_id: string }) => c.client_id)).toContain(res.json.client_id);
    expect(server.events.find((e) => e.type === 'oauth.client.create')).toMatchObject({ type: 'oauth.client.create', client: { id: res.json.client_id }, actor: { type: 'api_key', id: server.adminId } });
  });

  it('updates, rotates the secret (the old one stops working) and deletes', async () => {
    const created = (await call(server, '/v1/clients', { key: server.adminKey, body: { client_name: 'w', grant_types: ['client_credentials'], scope: 'a' } })).json;
    const patched = await call(server, `/v1/clients/${created.client_id}`, { method: 'PATCH', key: server.adminKey, body: { scope: 'a b' } });
    expect(patched.json.scope).toBe('a b');
    const rotated = await call(server, `/v1/clients/${created.client_id}/rotate-secret`, { method: 'POST', key: server.adminKey });
    expect(rotated.status).toBe(200);
    expect(rotated.json.client_secret).not.toBe(created.client_secret);
    expect((await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(created.client_id, created.client_secret) })).status).toBe(401);
    expect((await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(created.client_id, rotated.json.client_secret) })).status).toBe(200);
    expect((await call(server, `/v1/clients/${created.client_id}`, { method: 'DELETE', key: server.adminKey })).status).toBe(200);
    const gone = await call(server, `/v1/clients/${created.client_id}`, { key: server.adminKey });
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('oauth.client_not_found');
    expect((await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(created.client_id, rotated.json.client_secret) })).status).toBe(401);
    expect(server.events.map((e) => e.type)).toEqual(expect.arrayContaining(['oauth.client.update', 'oauth.client.secret_rotate', 'oauth.client.delete']));
  });

  it('requires an admin key', async () => {
    expect((await call(server, '/v1/clients', { body: { client_name: 'x' } })).status).toBe(401);
  });

  it.each([
    ['a wildcard', 'https://*.example.com/cb'],
    ['a fragment', 'https://app.example.com/cb#x'],
    ['plain http off loopback', 'http://app.example.com/cb'],
    ['localhost by name (RFC 8252 §8.3)', 'http://localhost/cb'],
    ['a relative URI', '/cb'],
    ['javascript:', 'javascript:alert(1)'],
  ])('refuses a redirect URI with %s (oauth.invalid_redirect_uri)', async (_name, uri) => {
    const res = await call(server, '/v1/clients', { key: server.adminKey, body: { client_name: 'x', redirect_uris: [uri] } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json.code).toBe('oauth.invalid_redirect_uri');
  });

  it('accepts https, loopback http and private-use scheme redirect URIs', async () => {
    const res = await call(server, '/v1/clients', {
      key: server.adminKey,
      body: { client_name: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['https://app.example.com/cb', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'com.example.app:/oauth2redirect'] },
    });
    expect(res.status).toBe(201);
    expect(res.json).not.toHaveProperty('client_secret');
  });

  it.each([
    ['a public client with client_credentials', { client_name: 'x', grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }],
    ['private_key_jwt without jwks', { client_name: 'x', grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' }],
    ['an unknown grant type', { client_name: 'x', grant_types: ['password'] }],
    ['a private key in jwks', { client_name: 'x', grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'a', d: 'b' }] } }],
  ])('refuses %s (oauth.invalid_client_metadata)', async (_name, body) => {
    const res = await call(server, '/v1/clients', { key: server.adminKey, body });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('oauth.invalid_client_metadata');
  });
});
