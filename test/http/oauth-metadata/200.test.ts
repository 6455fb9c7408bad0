import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /.well-known/oauth-authorization-server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { server: { publicUrl: 'https://auth.example.com' }, oauth: { scopesSupported: ['jobs:run'] } } });
  });
  afterAll(() => server.close());

  it('lists exactly what exists now (RFC 8414 §2), with issuer = server.publicUrl, the authorization endpoint, S256 only and RFC 9207 iss', async () => {
    const res = await call(server, '/.well-known/oauth-authorization-server');
    expect(res.status).toBe(200);
    const m = res.json;
    expect(m).toMatchObject({
      issuer: 'https://auth.example.com',
      token_endpoint: 'https://auth.example.com/oauth2/token',
      revocation_endpoint: 'https://auth.example.com/oauth2/revoke',
      introspection_endpoint: 'https://auth.example.com/oauth2/introspect',
      authorization_endpoint: 'https://auth.example.com/oauth2/authorize',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ['openid', 'profile', 'email', 'jobs:run'],
      userinfo_endpoint: 'https://auth.example.com/userinfo',
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    });
    expect(m.token_endpoint_auth_signing_alg_values_supported).toContain('EdDSA');
    expect(m.token_endpoint_auth_signing_alg_values_supported).not.toContain('none');
    expect(m.token_endpoint_auth_signing_alg_values_supported).not.toContain('HS256');
    expect(m.response_types_supported).not.toContain('token');
  });

  it('advertises plain only when oauth.pkce.allowPlain is on', async () => {
    const other = await startTestServer({ overrides: { oauth: { pkce: { allowPlain: true } } } });
    try {
      expect((await call(other, '/.well-known/oauth-authorization-server')).json.code_challenge_methods_supported).toEqual(['S256', 'plain']);
    } finally {
      await other.close();
    }
  });
});
