import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestToken, readOutbox, TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: { ...TEST_ACCOUNTS, signup: { enabled: true } }, server: { publicUrl: 'https://auth.example.com' } } });
});
afterAll(async () => {
  await server.close();
});

describe('POST /auth/signup → 202', () => {
  it('creates an unverified account and mails a verification link that POST /auth/verify-email consumes once', async () => {
    const res = await call(server, '/auth/signup', { body: { email: 'Ann@Example.com', password: 'correct horse battery staple', name: 'Ann' } });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ status: 'accepted', message: expect.stringContaining('Check your e-mail') });
    const outbox = await readOutbox(server);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ to: 'Ann@Example.com', subject: 'Confirm your e-mail address' });
    expect(outbox[0]!.text).toMatch(/https:\/\/auth\.example\.com\/verify-email\?token=[A-Za-z0-9_-]{43}/);
    const user = (await server.gatehouse.accounts.list()).items[0]!;
    expect(user).toMatchObject({ email: 'Ann@Example.com', emailVerified: false, name: 'Ann' });

    const token = await latestToken(server, 'Ann@Example.com');
    const verified = await call(server, '/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.json).toEqual({ status: 'verified' });
    expect((await server.gatehouse.accounts.get(user.id)).emailVerified).toBe(true);
    const again = await call(server, '/auth/verify-email', { body: { token } });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe('account.token_invalid');
  });

  it('an HTML form post answers a page, not JSON', async () => {
    const res = await call(server, '/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      rawBody: new URLSearchParams({ email: 'bob@example.com', password: 'correct horse battery staple', _csrf: 'x' }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.text).toContain('<h1>Check your e-mail</h1>');
    expect(res.text).toContain('role="status"');
    expect((await readOutbox(server)).some((m) => m.to === 'bob@example.com')).toBe(true);
  });
});
