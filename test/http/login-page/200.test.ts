import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';
import { createUser, signIn } from '../../helpers/sessions.js';

describe('GET /login → 200', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { sessions: { cookie: { secure: true } } } });
    await createUser(server);
  });

  afterEach(async () => {
    await server.close();
  });

  it('is an accessible form: labelled fields with autocomplete hints, the CSRF field, no script, strict page headers', async () => {
    const res = await call(server, '/login?return_to=%2Faccount');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('<label for="email">E-mail address</label>');
    expect(res.text).toMatch(/<input id="email" name="email" type="email" autocomplete="username"/);
    expect(res.text).toContain('<label for="password">Password</label>');
    expect(res.text).toMatch(/<input id="password" name="password" type="password" autocomplete="current-password"/);
    expect(res.text).toMatch(/<input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{43}">/);
    expect(res.text).toContain('<input type="hidden" name="return_to" value="/account">');
    expect(res.text).not.toContain('<script');
    expect(res.text).not.toContain('role="alert"');
    const set = res.headers.getSetCookie().find((l) => l.startsWith('__Host-gatehouse_login_csrf='));
    expect(set?.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
  });

  it('drops an off-site return_to, escaped or not', async () => {
    const res = await call(server, `/login?return_to=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(res.text).toContain('<input type="hidden" name="return_to" value="/login">');
    expect(res.text).not.toContain('<script>');
  });

  it('with a valid session shows who is signed in, with sign-out forms carrying the CSRF token', async () => {
    const s = await signIn(server);
    const res = await call(server, '/login', { headers: { cookie: s.header } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are signed in as <strong>Alice</strong> (alice@example.com).');
    expect(res.text).toContain(`<form method="post" action="/auth/logout">\n<input type="hidden" name="_csrf" value="${s.csrf}">`);
    expect(res.text).not.toContain(s.cookie);
  });
});
