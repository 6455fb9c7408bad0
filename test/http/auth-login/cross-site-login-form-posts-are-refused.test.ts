/**
 * Invariant (login CSRF): another site cannot sign a browser in to an account of its
 * choosing. A form post to /auth/login is accepted only with this server's Origin, or, when
 * the browser sends no Origin, with the double-submit value from this server's login page
 * (cookie and `_csrf` field matching). A foreign Origin is refused even with correct
 * credentials, and no session cookie is set.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { cookieValue, createUser, loginForm, PASSWORD, postForm } from '../../helpers/sessions.js';

describe('cross-site login form posts are refused', () => {
  let server: TestServer;
  const fields = { email: 'alice@example.com', password: PASSWORD };

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('a form post from another origin → 403 csrf.rejected, no session', async () => {
    const res = await postForm(server, '/auth/login', fields, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('csrf.rejected');
    expect(cookieValue(res, '__Host-gatehouse_session')).toBeUndefined();
    expect(server.events.some((e) => e.type === 'auth.login')).toBe(false);
  });

  it('Origin: null (a sandboxed frame) without the login page\'s token is refused too', async () => {
    const res = await postForm(server, '/auth/login', fields, { origin: 'null' });
    expect(res.status).toBe(403);
  });

  it('without Origin, a form post needs the login page\'s token: none or a wrong one → 403', async () => {
    expect((await postForm(server, '/auth/login', fields)).status).toBe(403);
    const { cookie } = await loginForm(server);
    expect((await postForm(server, '/auth/login', { ...fields, _csrf: 'x'.repeat(43) }, { cookie })).status).toBe(403);
    const other = await loginForm(server);
    expect((await postForm(server, '/auth/login', { ...fields, _csrf: other.csrf }, { cookie })).status).toBe(403);
  });

  it('without Origin, the page\'s own token and cookie → 303 signed in', async () => {
    const { cookie, csrf } = await loginForm(server);
    const res = await postForm(server, '/auth/login', { ...fields, _csrf: csrf }, { cookie });
    expect(res.status).toBe(303);
    expect(cookieValue(res, '__Host-gatehouse_session')).toBeDefined();
  });

  it('JSON with a foreign Origin → 403; JSON without Origin (a script, curl) is judged on the credentials', async () => {
    expect((await call(server, '/auth/login', { body: fields, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await call(server, '/auth/login', { body: fields })).status).toBe(200);
  });
});
