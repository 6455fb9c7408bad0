/**
 * Invariant: introspection (RFC 7662) says `active: true`, with claims, only for an access
 * token Gatehouse signed that is unexpired and not revoked; expired, revoked, malformed and
 * foreign tokens get exactly `{ "active": false }` and nothing else. Only authenticated
 * confidential clients may ask (§2.1).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /oauth2/introspect', () => {
  let server: TestServer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies under test
  let rs: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies under test
  let worker: any;

  const issue = async () => (await postForm(server, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(worker.client_id, worker.client_secret) })).json.access_token as string;
  const introspect = (token: string, headers = { authorization: basic(rs.client_id, rs.client_secret) }) => postForm(server, '/oauth2/introspect', { token }, headers);

  beforeAll(async () => {
    server = await startTestServer();
    rs = await registerClient(server, { client_name: 'resource server', grant_types: ['client_credentials'] });
    worker = await registerClient(server, { client_name: 'worker', grant_types: ['client_credentials'], scope: 'jobs:run' });
  });
  afterAll(() => server.close());

  it('answers an active token with its claims', async () => {
    const res = await introspect(await issue());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({ active: true, token_type: 'Bearer', client_id: worker.client_id, sub: worker.client_id, scope: 'jobs:run', iss: server.gatehouse.tokens.issuer });
    expect(server.events.at(-1)).toMatchObject({ type: 'token.introspect', reason: 'active', client: { id: rs.client_id } });
  });

  it('answers a revoked token active: false', async () => {
    const token = await issue();
    const revoked = await postForm(server, '/oauth2/revoke', { token, token_type_hint: 'access_token' }, { authorization: basic(worker.client_id, worker.client_secret) });
    expect(revoked.status).toBe(200);
    expect((await introspect(token)).json).toEqual({ active: false });
  });

  it('answers an expired token active: false', async () => {
    const token = await issue();
    server.clock.advanceSeconds(900 + 61);
    expect((await introspect(token)).json).toEqual({ active: false });
  });

  it('answers malformed, opaque and foreign tokens active: false', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const input = `${Buffer.from('{"alg":"EdDSA","typ":"at+jwt"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: server.gatehouse.tokens.issuer, sub: 'x', aud: server.gatehouse.tokens.issuer, exp: 9_999_999_999, jti: 'j', client_id: 'x' })).toString('base64url')}`;
    for (const token of ['garbage', 'a.b.c', `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`]) {
      expect((await introspect(token)).json).toEqual({ active: false });
    }
  });

  it('requires client authentication, and refuses public clients', async () => {
    const anonymous = await postForm(server, '/oauth2/introspect', { token: 'x' });
    expect(anonymous.status).toBe(401);
    const spa = await registerClient(server, { client_name: 'spa', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' });
    const res = await postForm(server, '/oauth2/introspect', { token: 'x', client_id: spa.client_id });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_client');
  });
});
