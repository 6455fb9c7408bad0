/**
 * RP-initiated logout never redirects anywhere but a `post_logout_redirect_uri` registered for
 * the client identified by `client_id` or a verified `id_token_hint` (OpenID Connect
 * RP-Initiated Logout 1.0 §3): an unregistered URI, an unknown client, a URI without any
 * client, or an `id_token_hint` Gatehouse did not sign gets an error page, and the session
 * stays. A hint for the session's own user ends the session at once (even if the hint has
 * expired); anything else asks first, with a CSRF-protected form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getManual, obtainCode, pkcePair } from '../../helpers/authorize.js';
import { basic, postForm, registerClient } from '../../helpers/oauth.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, postForm as postPageForm, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('GET/POST /oauth2/end_session', () => {
  let server: TestServer;
  let web: { client_id: string; client_secret: string };
  const REDIRECT = 'https://app.example.com/cb';
  const SIGNED_OUT = 'https://app.example.com/signed-out';

  beforeAll(async () => {
    server = await startTestServer();
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code'], redirect_uris: [REDIRECT], post_logout_redirect_uris: [SIGNED_OUT], scope: 'openid' });
    await createUser(server, 'alice@example.com');
    await createUser(server, 'bob@example.com');
  });
  afterAll(() => server.close());

  const idTokenFor = async (session: SignedIn): Promise<string> => {
    const pkce = pkcePair();
    const { code } = await obtainCode(server, session, { response_type: 'code', client_id: web.client_id, redirect_uri: REDIRECT, scope: 'openid', code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    const res = await postForm(server, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }, { authorization: basic(web.client_id, web.client_secret) });
    return res.json.id_token as string;
  };
  const endSession = (params: Record<string, string>, session?: SignedIn) => getManual(server, `/oauth2/end_session?${new URLSearchParams(params).toString()}`, session?.header);
  const sessionAlive = async (session: SignedIn) => (await call(server, '/auth/session', { headers: { cookie: session.header } })).status === 200;

  it('is advertised as end_session_endpoint, and the client metadata carries post_logout_redirect_uris', async () => {
    expect((await call(server, '/.well-known/openid-configuration')).json.end_session_endpoint).toMatch(/\/oauth2\/end_session$/);
    expect((await call(server, `/v1/clients/${web.client_id}`, { key: server.adminKey })).json.post_logout_redirect_uris).toEqual([SIGNED_OUT]);
    const bad = await call(server, '/v1/clients', { key: server.adminKey, body: { client_name: 'x', redirect_uris: [REDIRECT], post_logout_redirect_uris: ['https://*.example.com/out'] } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('oauth.invalid_redirect_uri');
  });

  it('ends the session at once for a hint of the same user (even expired) and redirects with state', async () => {
    const alice = await signIn(server, 'alice@example.com');
    const hint = await idTokenFor(alice);
    server.clock.advance(301_000); // past the ID token's 300 s lifetime
    const res = await endSession({ id_token_hint: hint, post_logout_redirect_uri: SIGNED_OUT, state: 'xyz' }, alice);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${SIGNED_OUT}?state=xyz`);
    expect(await sessionAlive(alice)).toBe(false);
    expect(server.events.filter((e) => e.type === 'oauth.end_session').at(-1)).toMatchObject({ outcome: 'success', reason: 'session_ended' });
  });

  it('never redirects to an unregistered URI, without a client, for an unknown client, or with a forged hint; the session stays', async () => {
    const alice = await signIn(server, 'alice@example.com');
    const hint = await idTokenFor(alice);
    const forged = `${hint.split('.').slice(0, 2).join('.')}.${'A'.repeat(342)}`;
    const cases: Record<string, string>[] = [
      { client_id: web.client_id, post_logout_redirect_uri: 'https://evil.example/out' },
      { client_id: web.client_id, post_logout_redirect_uri: `${SIGNED_OUT}/../x` },
      { post_logout_redirect_uri: SIGNED_OUT },
      { client_id: 'cli_unknown', post_logout_redirect_uri: SIGNED_OUT },
      { id_token_hint: forged, post_logout_redirect_uri: SIGNED_OUT },
      { id_token_hint: 'not-a-jwt' },
    ];
    for (const params of cases) {
      const res = await endSession(params, alice);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.text).not.toContain(hint);
    }
    expect(await sessionAlive(alice)).toBe(true);
  });

  it('asks before ending a session the hint does not prove (another user, or no hint), and the form needs the CSRF token', async () => {
    const alice = await signIn(server, 'alice@example.com');
    const bob = await signIn(server, 'bob@example.com');
    const bobsHint = await idTokenFor(bob);
    const page = await endSession({ id_token_hint: bobsHint, post_logout_redirect_uri: SIGNED_OUT, state: 's1' }, alice);
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/oauth2/end_session/confirm"');
    expect(page.text).not.toContain(bobsHint);
    expect(await sessionAlive(alice)).toBe(true);
    const fields = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
    expect(fields).toMatchObject({ client_id: web.client_id, post_logout_redirect_uri: SIGNED_OUT, state: 's1' });

    const wrongToken = await postPageForm(server, '/oauth2/end_session/confirm', { ...fields, _csrf: 'wrong' }, { cookie: alice.header });
    expect(wrongToken.status).toBe(403);
    const foreign = await postPageForm(server, '/oauth2/end_session/confirm', fields, { cookie: alice.header, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('location')).toBeNull();
    expect(await sessionAlive(alice)).toBe(true);

    const confirmed = await postPageForm(server, '/oauth2/end_session/confirm', fields, { cookie: alice.header });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${SIGNED_OUT}?state=s1`);
    expect(await sessionAlive(alice)).toBe(false);
    expect(await sessionAlive(bob)).toBe(true);
  });

  it('without a session or a post_logout_redirect_uri, shows a signed-out page', async () => {
    const res = await endSession({ client_id: web.client_id });
    expect(res.status).toBe(200);
    expect(res.text).toContain('signed out');
    const post = await postPageForm(server, '/oauth2/end_session', { client_id: web.client_id, post_logout_redirect_uri: SIGNED_OUT });
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe(SIGNED_OUT);
  });
});
