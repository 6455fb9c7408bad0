import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHEAP_ARGON2, GOOD_PASSWORD, postLogin } from '../../helpers/defense.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Invariant: counting is atomic. 50 wrong-password logins sent at once against one account,
 * all in flight while argon2id runs, check exactly 10 passwords and lock the account at
 * exactly that threshold, never later: the other 40 are refused without a password check,
 * one lock is recorded, and afterwards the right password is refused. (Servers that check
 * the count, verify the password and only then increment let every request that passed the
 * check before the first increment through.)
 */
describe('POST /auth/login: 50 parallel wrong passwords lock at exactly the threshold', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { accounts: { argon2: CHEAP_ARGON2 } } });
    await server.gatehouse.accounts.create({ email: 'alice@example.com', password: GOOD_PASSWORD });
  });

  afterEach(async () => {
    await server.close();
  });

  it('checks exactly 10 passwords and refuses 40 as locked', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => postLogin(server, 'alice@example.com', `wrong password ${i}`)));
    expect(results.every((r) => r.status === 401)).toBe(true);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    const reasons = server.events.filter((e) => e.type === 'auth.login').map((e) => e.reason);
    expect(reasons.filter((r) => r === 'wrong_password')).toHaveLength(10);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(40);
    expect(server.events.filter((e) => e.type === 'account.lock')).toHaveLength(1);
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD)).status).toBe(401);
  });

  it('with the right password among them, at most 10 wrong ones are ever checked', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postLogin(server, 'alice@example.com', i === 25 ? GOOD_PASSWORD : `wrong password ${i}`)),
    );
    const reasons = server.events.filter((e) => e.type === 'auth.login').map((e) => e.reason);
    expect(reasons.filter((r) => r === 'wrong_password').length).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(49);
  });
});
