/**
 * OpenID Connect Discovery 1.0 §3 at `/.well-known/openid-configuration`, and the same content
 * at the RFC 8414 document, so the two can never disagree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /.well-known/openid-configuration', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { server: { publicUrl: 'https://auth.example.com' }, oauth: { scopesSupported: ['jobs:run'] } } });
  });
  afterAll(() => server.close());

  it('lists the OIDC endpoints and capabilities, and equals the RFC 8414 document', async () => {
    const res = await call(server, '/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.json).toMatchObject({
      issuer: 'https://auth.example.com',
      authorization_endpoint: 'https://auth.example.com/oauth2/authorize',
      token_endpoint: 'https://auth.example.com/oauth2/token',
      userinfo_endpoint: 'https://auth.example.com/userinfo',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      scopes_supported: ['openid', 'profile', 'email', 'jobs:run'],
      prompt_values_supported: ['none', 'login', 'consent'],
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
    expect(res.json.id_token_signing_alg_values_supported).toContain('RS256');
    expect(res.json.claims_supported).toEqual(expect.arrayContaining(['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'at_hash', 'email', 'email_verified', 'name']));
    expect((await call(server, '/.well-known/oauth-authorization-server')).json).toEqual(res.json);
  });
});
