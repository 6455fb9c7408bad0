import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/accounts/types.js';
import { latestToken, TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let user: User;
let n = 0;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS } });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  n++;
  user = await server.gatehouse.accounts.create({ email: `user${n}@example.com`, password: 'correct horse battery staple' });
});

async function requestToken(): Promise<string> {
  expect((await call(server, '/auth/password-reset', { body: { email: user.email } })).status).toBe(202);
  return latestToken(server, user.email);
}

const confirm = (body: Record<string, unknown>) => call(server, '/auth/password-reset/confirm', { body });

describe('POST /auth/password-reset/confirm', () => {
  it('200: sets the password and ends every session of the user', async () => {
    const sessionA = await server.gatehouse.sessions.create({ userId: user.id, amr: ['pwd'], authLevel: 1 });
    const sessionB = await server.gatehouse.sessions.create({ userId: user.id, amr: ['pwd'], authLevel: 1 });
    expect((await server.gatehouse.sessions.validate(sessionA.token)).valid).toBe(true);
    const token = await requestToken();
    const res = await confirm({ token, password: 'a fresh passphrase here' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'password_reset' });
    expect((await server.gatehouse.sessions.validate(sessionA.token)).valid).toBe(false);
    expect((await server.gatehouse.sessions.validate(sessionB.token)).valid).toBe(false);
    expect((await server.gatehouse.accounts.authenticate(user.email, 'a fresh passphrase here')).ok).toBe(true);
    expect(server.events.filter((e) => e.type === 'account.password_reset').at(-1)).toMatchObject({ outcome: 'success', details: { phase: 'complete', sessions_revoked: 2 } });
  });

  it('400: a reused token is refused, and the second password does not take', async () => {
    const token = await requestToken();
    expect((await confirm({ token, password: 'a fresh passphrase here' })).status).toBe(200);
    const again = await confirm({ token, password: 'an attacker passphrase' });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe('account.token_invalid');
    expect((await server.gatehouse.accounts.authenticate(user.email, 'a fresh passphrase here')).ok).toBe(true);
  });

  it('400: an expired token (at exactly 30 minutes) is refused', async () => {
    const token = await requestToken();
    server.clock.advance(30 * 60 * 1000);
    const res = await confirm({ token, password: 'a fresh passphrase here' });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('account.token_invalid');
  });

  it('400: tampered, malformed and unknown tokens get the same body, which never echoes them', async () => {
    const token = await requestToken();
    const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    const bodies = [];
    for (const t of [tampered, 'xQ9zzshortToken', `${token}==`, 'A'.repeat(43)]) {
      const res = await confirm({ token: t, password: 'a fresh passphrase here' });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('account.token_invalid');
      expect(res.text).not.toContain(t);
      bodies.push({ ...res.json, instance: undefined });
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect((await confirm({ token, password: 'a fresh passphrase here' })).status).toBe(200);
  });

  it('400: a weak password names the rule, keeps the link usable; mismatched confirmation is refused', async () => {
    const token = await requestToken();
    const weak = await confirm({ token, password: 'password' });
    expect(weak.status).toBe(400);
    expect(weak.json.code).toBe('password.too_short');
    const mismatch = await confirm({ token, password: 'a fresh passphrase here', password_confirmation: 'a fresh passphrase herE' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.detail).toBe('The two passwords do not match.');
    expect((await confirm({ token, password: 'a fresh passphrase here', password_confirmation: 'a fresh passphrase here' })).status).toBe(200);
  });

  it('400: missing or malformed bodies', async () => {
    for (const body of [{}, { token: 'x' }, { password: 'a fresh passphrase here' }, { token: 1, password: 'a fresh passphrase here' }]) {
      const res = await confirm(body);
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('request.invalid');
    }
  });
});
