import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestToken, TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: { ...TEST_ACCOUNTS, signup: { enabled: true } } } });
  await server.gatehouse.accounts.create({ email: 'ann@example.com', password: 'correct horse battery staple' });
});
afterAll(async () => {
  await server.close();
});

const form = (path: string, fields: Record<string, string>) =>
  call(server, path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: new URLSearchParams(fields).toString() });

describe('account pages', () => {
  it('GET /reset-password is an accessible form that posts to /auth/password-reset, with page headers', async () => {
    const res = await call(server, '/reset-password');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('<form method="post" action="/auth/password-reset"');
    expect(res.text).toMatch(/<label for="email">[^<]+<\/label>\s*<input id="email" name="email" type="email" autocomplete="email"/);
  });

  it('GET /reset-password?token=… carries the token in a hidden field; a bad token gets an error page without echo', async () => {
    await call(server, '/auth/password-reset', { body: { email: 'ann@example.com' } });
    const token = await latestToken(server, 'ann@example.com');
    const page = await call(server, `/reset-password?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(page.text).toContain('autocomplete="new-password"');
    const bad = await call(server, '/reset-password?token=%3Cscript%3E');
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('<script>');
    expect(bad.text).toContain('This link is invalid');
  });

  it('the whole reset works through the forms', async () => {
    const token = await latestToken(server, 'ann@example.com');
    const mismatch = await form('/auth/password-reset/confirm', { token, password: 'a new passphrase here', password_confirmation: 'something else entirely' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The two passwords do not match.');
    expect(mismatch.text).toContain(`value="${token}"`);
    expect(mismatch.text).not.toContain('a new passphrase here');
    const done = await form('/auth/password-reset/confirm', { token, password: 'a new passphrase here', password_confirmation: 'a new passphrase here' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Password changed');
    const reused = await form('/auth/password-reset/confirm', { token, password: 'a new passphrase here', password_confirmation: 'a new passphrase here' });
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('This link is invalid');
  });

  it('GET /signup renders the sign-up form; GET /verify-email?token=… a confirm button (no change on GET)', async () => {
    const signup = await call(server, '/signup');
    expect(signup.status).toBe(200);
    expect(signup.text).toContain('<form method="post" action="/auth/signup"');
    expect(signup.text).toContain('minlength="12"');
    await call(server, '/auth/signup', { body: { email: 'new@example.com', password: 'correct horse battery staple' } });
    const token = await latestToken(server, 'new@example.com');
    const page = await call(server, `/verify-email?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post" action="/auth/verify-email">');
    const user = (await server.gatehouse.accounts.list()).items.find((u) => u.email === 'new@example.com')!;
    expect(user.emailVerified).toBe(false);
    const confirmed = await form('/auth/verify-email', { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('E-mail address confirmed');
    expect((await server.gatehouse.accounts.get(user.id)).emailVerified).toBe(true);
    expect((await call(server, '/verify-email')).status).toBe(400);
  });
});
