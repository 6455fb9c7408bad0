/**
 * `prompt=none` never shows a page (OIDC Core §3.1.2.1): without a session the browser goes
 * back to the client with `error=login_required`, without a covering consent with
 * `error=consent_required` (both with `state` and `iss`); with both it gets a code at once.
 * `prompt=login` and an exceeded `max_age` force a fresh sign-in: the sign-in form is shown
 * even with a session, and the way back no longer asks for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthErrorOf } from '../../../src/core/errors/registry.js';
import { authorizePath, getManual, obtainCode, pkcePair, redirectParams } from '../../helpers/authorize.js';
import { registerClient } from '../../helpers/oauth.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn, type SignedIn } from '../../helpers/sessions.js';

describe('GET /oauth2/authorize with prompt and max_age', () => {
  let server: TestServer;
  let web: { client_id: string };
  let session: SignedIn;
  const REDIRECT = 'https://app.example.com/cb';

  beforeAll(async () => {
    server = await startTestServer();
    web = await registerClient(server, { client_name: 'web', grant_types: ['authorization_code'], redirect_uris: [REDIRECT], scope: 'openid email' });
    await createUser(server);
    session = await signIn(server);
  });
  afterAll(() => server.close());

  const params = (extra: Record<string, string>) => ({ response_type: 'code', client_id: web.client_id, redirect_uri: REDIRECT, scope: 'openid', state: 'st', code_challenge: pkcePair().challenge, code_challenge_method: 'S256', ...extra });

  it('answers prompt=none without a session with error=login_required', async () => {
    expect(oauthErrorOf('oauth.login_required')).toBe('login_required');
    const res = await getManual(server, authorizePath(params({ prompt: 'none' })));
    expect(res.status).toBe(303);
    const { base, params: p } = redirectParams(res);
    expect(base).toBe(REDIRECT);
    expect(Object.fromEntries(p)).toMatchObject({ error: 'login_required', state: 'st', iss: expect.any(String) });
  });

  it('answers prompt=none without consent with error=consent_required, and with consent issues a code', async () => {
    expect(oauthErrorOf('oauth.consent_required')).toBe('consent_required');
    const res = await getManual(server, authorizePath(params({ prompt: 'none' })), session.header);
    expect(res.status).toBe(303);
    expect(redirectParams(res).params.get('error')).toBe('consent_required');
    await obtainCode(server, session, params({}));
    const again = await getManual(server, authorizePath(params({ prompt: 'none' })), session.header);
    expect(redirectParams(again).params.get('code')).toMatch(/^ghac_/);
  });

  it('refuses prompt=none combined with another value, and unknown prompt values', async () => {
    for (const prompt of ['none login', 'select_account']) {
      const res = await getManual(server, authorizePath(params({ prompt })), session.header);
      expect(redirectParams(res).params.get('error')).toBe('invalid_request');
    }
  });

  it('prompt=login sends a signed-in browser to the sign-in form, and the way back drops prompt=login', async () => {
    const res = await getManual(server, authorizePath(params({ prompt: 'login consent' })), session.header);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!, server.url);
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('prompt')).toBe('login');
    const back = new URL(location.searchParams.get('return_to')!, server.url);
    expect(back.searchParams.get('prompt')).toBe('consent');
    const form = await getManual(server, location.pathname + location.search, session.header);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="password"');
  });

  it('max_age: a recent sign-in passes, an older one needs a fresh sign-in (or login_required with prompt=none)', async () => {
    const fresh = await getManual(server, authorizePath(params({ max_age: '600' })), session.header);
    expect(redirectParams(fresh).params.get('code')).toMatch(/^ghac_/);
    server.clock.advance(601_000);
    const stale = await getManual(server, authorizePath(params({ max_age: '600' })), session.header);
    expect(new URL(stale.headers.get('location')!, server.url).pathname).toBe('/login');
    const silent = await getManual(server, authorizePath(params({ max_age: '600', prompt: 'none' })), session.header);
    expect(redirectParams(silent).params.get('error')).toBe('login_required');
    const malformed = await getManual(server, authorizePath(params({ max_age: '-1' })), session.header);
    expect(redirectParams(malformed).params.get('error')).toBe('invalid_request');
  });
});
