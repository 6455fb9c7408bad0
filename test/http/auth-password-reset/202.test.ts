import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOutbox, TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS, server: { publicUrl: 'https://auth.example.com' } } });
  await server.gatehouse.accounts.create({ email: 'Ann@Example.com', password: 'correct horse battery staple' });
});
afterAll(async () => {
  await server.close();
});

describe('POST /auth/password-reset → 202', () => {
  it('mails a reset link to the public URL for a known address', async () => {
    const res = await call(server, '/auth/password-reset', { body: { email: 'ann@example.com' } });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ status: 'accepted', message: 'If an account exists for this address, we sent it a link to reset the password.' });
    const [mail] = await readOutbox(server);
    expect(mail).toMatchObject({ to: 'Ann@Example.com', subject: 'Reset your password' });
    expect(mail!.text).toMatch(/https:\/\/auth\.example\.com\/reset-password\?token=[A-Za-z0-9_-]{43}\n/);
    expect(mail!.text).toContain('for 30 minutes');
    const event = server.events.find((e) => e.type === 'account.password_reset');
    expect(event).toMatchObject({ outcome: 'success', reason: 'requested', details: { phase: 'request' }, http: { route: '/auth/password-reset' } });
    expect(JSON.stringify(server.events)).not.toContain(mail!.text.match(/token=([^\n]+)/)![1]);
  });

  it('refuses a malformed body with 400', async () => {
    for (const body of [{}, { email: 'nope' }, { email: ['a@example.com'] }, { email: 'a@example.com', extra: 1 }]) {
      const res = await call(server, '/auth/password-reset', { body });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('request.invalid');
    }
  });
});
