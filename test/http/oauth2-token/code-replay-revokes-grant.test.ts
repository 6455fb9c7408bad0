/**
 * Invariant: an authorization code is single use. A second exchange of the same code (an
 * attacker who intercepted it, or a replay) fails with `invalid_grant` and revokes every token
 * issued from the first exchange: the refresh-token family (so its refresh token stops working)
 * and its access tokens still live (introspection answers `active: false`), and raises an
 * `alert.raise` (`authorization_code_replay`) (RFC 6749 §4.1.2 and §10.5, RFC 9700 §4.5).
 * Concurrent exchanges of one code yield tokens at most once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainCode, pkcePair } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('authorization code replay', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  let rs: { client_id: string; client_secret: string };
  let session: SignedIn;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer();
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: [REDIRECT], scope: 'read' });
    rs = await registerClient(server, { client_name: 'resource server', grant_types: ['client_credentials'] });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const fresh = async () => {
    const pkce = pkcePair();
    const { code } = await obtainCode(server, session, { response_type: 'code', client_id: web.client_id, redirect_uri: REDIRECT, scope: 'read', code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    return { code, verifier: pkce.verifier };
  };
  const exchange = (code: string, verifier: string) => postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, { authorization: basic(web.client_id, web.client_secret) });

  it('fails the second use and revokes the refresh token and access token issued from the first', async () => {
    const { code, verifier } = await fresh();
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    const introspect = () => postForm(server, '/oauth2/introspect', { token: first.json.access_token }, { authorization: basic(rs.client_id, rs.client_secret) });
    expect((await introspect()).json.active).toBe(true);

    const second = await exchange(code, verifier);
    expect(second.status).toBe(400);
    expect(second.json.error).toBe('invalid_grant');
    expect(second.text).not.toContain(code);

    expect((await introspect()).json).toEqual({ active: false });
    const refresh = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, { authorization: basic(web.client_id, web.client_secret) });
    expect(refresh.json.error).toBe('invalid_grant');
    const alert = server.events.filter((e) => e.type === 'alert.raise').at(-1);
    expect(alert).toMatchObject({ reason: 'authorization_code_replay', severity: 'high', client: { id: web.client_id }, details: { action: 'family_revoked' } });
    expect(JSON.stringify(alert)).not.toContain(code);
  });

  it('still revokes when the replay comes after the code expired', async () => {
    const { code, verifier } = await fresh();
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    server.clock.advanceSeconds(3600);
    expect((await exchange(code, verifier)).json.error).toBe('invalid_grant');
    const refresh = await postForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, { authorization: basic(web.client_id, web.client_secret) });
    expect(refresh.json.error).toBe('invalid_grant');
    expect(server.events.filter((e) => e.type === 'token.refresh' && e.outcome === 'failure').at(-1)?.reason).toBe('revoked');
    session = await signIn(server); // the hour also ended the idle session
  });

  it('issues tokens at most once for concurrent exchanges of one code', async () => {
    const { code, verifier } = await fresh();
    const results = await Promise.all(Array.from({ length: 5 }, () => exchange(code, verifier)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status === 400).every((r) => r.json.error === 'invalid_grant')).toBe(true);
    for (const r of ok) {
      const introspection = await postForm(server, '/oauth2/introspect', { token: r.json.access_token }, { authorization: basic(rs.client_id, rs.client_secret) });
      // Any replay among the concurrent calls revokes what the winner got.
      expect(introspection.json.active).toBe(false);
    }
  });
});
