import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, loginForm, PASSWORD, postForm } from '../../helpers/sessions.js';

describe('POST /auth/login → 400 / 415 (missing and malformed bodies)', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it.each([
    ['no password', { email: 'alice@example.com' }],
    ['no e-mail', { password: PASSWORD }],
    ['an empty e-mail', { email: '', password: PASSWORD }],
    ['a number as password', { email: 'alice@example.com', password: 12345678 }],
    ['an unknown field', { email: 'alice@example.com', password: PASSWORD, remember: true }],
    ['an array', [{ email: 'alice@example.com', password: PASSWORD }]],
    ['a password over 1024 characters', { email: 'alice@example.com', password: 'x'.repeat(1025) }],
  ])('JSON with %s → 400 request.invalid, no cookie, no login event', async (_label, body) => {
    const res = await call(server, '/auth/login', { body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json.code).toBe('request.invalid');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(server.events.some((e) => e.type === 'auth.login')).toBe(false);
    expect(res.text).not.toContain(PASSWORD);
  });

  it('malformed JSON → 400 request.malformed_body', async () => {
    const res = await call(server, '/auth/login', { rawBody: '{"email": "alice@example.com", "password": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('request.malformed_body');
  });

  it('an empty JSON body → 400', async () => {
    const res = await call(server, '/auth/login', { rawBody: '', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
  });

  it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x'])('a %s body → 415', async (type) => {
    const res = await call(server, '/auth/login', { rawBody: 'email=a&password=b', headers: { 'content-type': type } });
    expect(res.status).toBe(415);
  });

  it('a form without a password re-renders the page (400) with an alert and the e-mail kept', async () => {
    const { cookie, csrf } = await loginForm(server);
    const res = await postForm(server, '/auth/login', { email: 'alice@example.com', _csrf: csrf }, { cookie });
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('Enter your e-mail address and password.');
    expect(res.text).toContain('value="alice@example.com"');
  });

  it('a form repeating a field (two passwords) is refused, not half-read', async () => {
    const { cookie, csrf } = await loginForm(server);
    const body = `email=alice%40example.com&password=${encodeURIComponent(PASSWORD)}&password=other&_csrf=${csrf}`;
    const res = await call(server, '/auth/login', { rawBody: body, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie } });
    expect(res.status).toBe(400);
  });
});
