/**
 * The browser part of the authorization code flow: without a session the user is sent to the
 * sign-in page and back to the same authorization request (same origin only); the consent page
 * names the client and the scopes and accepts a decision only with the session's CSRF token;
 * consent is remembered per user, client and scope set, listed at `GET /auth/consents`, and
 * revocable with `DELETE /auth/consents/{client_id}`, which also revokes the client's tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePath, consentFields, getManual, obtainCode, pkcePair, postConsent, redirectParams } from '../../helpers/authorize.js';
import { basic, postForm as postOAuthForm, registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, loginForm, PASSWORD, postForm, sessionCookieName, signIn, withSession, type SignedIn } from '../../helpers/sessions.js';

describe('sign-in and consent at /oauth2/authorize', () => {
  let server: TestServer;
  let client: { client_id: string; client_secret: string };
  let session: SignedIn;
  const { challenge, verifier } = pkcePair();

  beforeAll(async () => {
    server = await startTestServer();
    client = await registerClient(server, { client_name: 'Photo <Printer>', grant_types: ['authorization_code', 'refresh_token'], redirect_uris: ['https://app.example.com/cb'], scope: 'photos:read photos:write' });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const params = (over: Record<string, string> = {}) => ({ response_type: 'code', client_id: client.client_id, redirect_uri: 'https://app.example.com/cb', code_challenge: challenge, code_challenge_method: 'S256', state: 'st', ...over });

  it('sends a signed-out browser to /login with the authorize URL as return_to, and back after sign-in', async () => {
    const path = authorizePath(params({ scope: 'photos:read' }));
    const res = await getManual(server, path);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toBe(`/login?return_to=${encodeURIComponent(path)}`);
    const loginPage = await getManual(server, location);
    expect(loginPage.text).toContain(`name="return_to" value="${path.replace(/&/g, '&amp;')}"`);
    const form = await loginForm(server);
    const login = await postForm(server, '/auth/login', { email: 'alice@example.com', password: PASSWORD, _csrf: form.csrf, return_to: path }, { cookie: form.cookie });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(path);
    const cookie = `${sessionCookieName(server)}=${cookieValue(login, sessionCookieName(server))}`;
    const page = await getManual(server, path, cookie);
    expect(page.status).toBe(200);
  });

  it('keeps return_to same-origin only (an absolute URL falls back to /login)', async () => {
    const form = await loginForm(server);
    const login = await postForm(server, '/auth/login', { email: 'alice@example.com', password: PASSWORD, _csrf: form.csrf, return_to: 'https://evil.example/oauth2/authorize' }, { cookie: form.cookie });
    expect(login.headers.get('location')).toBe('/login');
  });

  it('shows the client name (escaped) and the scopes, with a strict CSP allowing the redirect target as form-action', async () => {
    const page = await getManual(server, authorizePath(params({ scope: 'photos:read photos:write' })), session.header);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Photo &lt;Printer&gt;');
    expect(page.text).toContain('<code>photos:read</code>');
    expect(page.text).toContain('<code>photos:write</code>');
    expect(page.text).toContain('name="_csrf"');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://app.example.com;");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.text).not.toContain(verifier);
  });

  it('refuses a consent decision without the session CSRF token or from another origin', async () => {
    const page = await getManual(server, authorizePath(params({ scope: 'photos:read' })), session.header);
    const fields = consentFields(page.text);
    const { _csrf: _, ...withoutToken } = fields;
    expect((await postConsent(server, session, withoutToken, 'allow')).status).toBe(403);
    const foreign = await fetch(`${server.url}/oauth2/authorize/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.header, origin: 'https://evil.example' },
      body: new URLSearchParams({ ...fields, decision: 'allow' }).toString(),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('location')).toBeNull();
    expect((await postConsent(server, session, fields, 'maybe')).status).toBe(400);
  });

  it('remembers consent per user, client and scope set, lists it, and asks again for a wider set', async () => {
    const first = await obtainCode(server, session, params({ scope: 'photos:read' }));
    expect(first.code).toMatch(/^ghac_/);
    expect(server.events.filter((e) => e.type === 'oauth.consent').at(-1)).toMatchObject({ outcome: 'success', reason: 'grant', client: { id: client.client_id } });
    const remembered = await getManual(server, authorizePath(params({ scope: 'photos:read' })), session.header);
    expect(remembered.status).toBe(303);
    expect(redirectParams(remembered).params.get('code')).toMatch(/^ghac_/);
    expect((await getManual(server, authorizePath(params({ scope: 'photos:read photos:write' })), session.header)).status).toBe(200);

    const other = await createUser(server, 'bob@example.com');
    const bob = await signIn(server, other.email);
    expect((await getManual(server, authorizePath(params({ scope: 'photos:read' })), bob.header)).status).toBe(200);

    const list = await withSession(server, session, '/auth/consents');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([expect.objectContaining({ client_id: client.client_id, client_name: 'Photo <Printer>', scope: 'photos:read' })]);
  });

  it('revokes a consent: the next request asks again and the refresh tokens of the client die', async () => {
    const { code } = await obtainCode(server, session, params({ scope: 'photos:read' }));
    const tokens = await postOAuthForm(server, '/oauth2/token', { grant_type: 'authorization_code', code, redirect_uri: 'https://app.example.com/cb', code_verifier: verifier }, { authorization: basic(client.client_id, client.client_secret) });
    expect(tokens.status).toBe(200);
    const del = await withSession(server, session, `/auth/consents/${client.client_id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(server.events.filter((e) => e.type === 'oauth.consent').at(-1)).toMatchObject({ reason: 'revoke', client: { id: client.client_id } });
    expect((await getManual(server, authorizePath(params({ scope: 'photos:read' })), session.header)).status).toBe(200);
    const refresh = await postOAuthForm(server, '/oauth2/token', { grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token }, { authorization: basic(client.client_id, client.client_secret) });
    expect(refresh.status).toBe(400);
    expect(refresh.json.error).toBe('invalid_grant');
    const again = await withSession(server, session, `/auth/consents/${client.client_id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('oauth.consent_not_found');
    expect((await withSession(server, session, `/auth/consents/${client.client_id}`, { method: 'DELETE', csrf: false })).status).toBe(403);
  });
});
