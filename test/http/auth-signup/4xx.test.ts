import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox, TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /auth/signup when sign-up is off (the default) → 403', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses with account.signup_disabled and creates nothing; the page says so', async () => {
    const res = await call(server, '/auth/signup', { body: { email: 'ann@example.com', password: 'correct horse battery staple' } });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('account.signup_disabled');
    expect((await server.gatehouse.accounts.list()).items).toEqual([]);
    expect(await readOutbox(server)).toEqual([]);
    const page = await call(server, '/signup');
    expect(page.status).toBe(403);
    expect(page.text).toContain('Sign-up is closed');
  });
});

describe('POST /auth/signup → 400', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { accounts: { ...TEST_ACCOUNTS, signup: { enabled: true } } } });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['no body', undefined, 'request.malformed_body'],
    ['missing password', { email: 'ann@example.com' }, 'request.invalid'],
    ['extra field', { email: 'ann@example.com', password: 'correct horse battery staple', status: 'active' }, 'request.invalid'],
    ['malformed e-mail', { email: 'ann', password: 'correct horse battery staple' }, 'request.invalid'],
    ['short password', { email: 'ann@example.com', password: 'tooshort' }, 'password.too_short'],
    ['common password', { email: 'ann@example.com', password: 'qwertyuiop12' }, 'password.too_common'],
  ])('%s → %s, nothing created, password never echoed', async (_label, body, code) => {
    const res = body === undefined
      ? await call(server, '/auth/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: '' })
      : await call(server, '/auth/signup', { body });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe(code);
    const password = (body as { password?: string } | undefined)?.password;
    if (password) expect(res.text).not.toContain(password);
    expect((await server.gatehouse.accounts.list()).items).toEqual([]);
  });

  it('a form post with a policy failure re-renders the form with the error and the e-mail, not the password', async () => {
    const res = await call(server, '/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: new URLSearchParams({ email: 'ann@example.com', password: 'tooshort' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('The password must have at least 12 characters.');
    expect(res.text).toContain('value="ann@example.com"');
    expect(res.text).not.toContain('tooshort');
  });

  it('escapes what it echoes into the page', async () => {
    const res = await call(server, '/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: new URLSearchParams({ email: '"><script>alert(1)</script>', password: 'correct horse battery staple' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('&quot;&gt;&lt;script&gt;');
  });
});
