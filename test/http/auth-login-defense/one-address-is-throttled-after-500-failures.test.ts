import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHEAP_ARGON2, GOOD_PASSWORD, postLogin, withConcurrency } from '../../helpers/defense.js';
import { PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Invariant (credential stuffing): more than 500 failed logins from one client address
 * within 60 s, spread over any number of accounts (none of which gets locked), throttle that
 * address: the first 500 are checked and answered 401, the 501st failure and every login
 * from the address after it get 429 with `Retry-After` and the RateLimit fields, the correct
 * password included, until the throttle ends. One `alert.raise` (credential_stuffing)
 * reports it. Other addresses are unaffected (see the trusted-proxy test).
 */
describe('POST /auth/login: one address is throttled after 500 failures across accounts', () => {
  let server: TestServer;
  const accounts = ['u0@example.com', 'u1@example.com', 'u2@example.com', 'u3@example.com', 'u4@example.com'];

  beforeAll(async () => {
    server = await startTestServer({ overrides: { accounts: { argon2: CHEAP_ARGON2 } } });
    for (const email of accounts) await server.gatehouse.accounts.create({ email, password: GOOD_PASSWORD });
  });

  afterAll(async () => {
    await server.close();
  });

  it('500 failures over 100 e-mails get 401; the 501st gets 429; the right password is throttled too', async () => {
    // 100 identifiers (5 real accounts, 95 unknown) × 5 failures: none reaches the account lockout.
    const identifiers = Array.from({ length: 100 }, (_, i) => (i < accounts.length ? accounts[i]! : `stuffed${i}@example.com`));
    const first = await withConcurrency(
      8,
      Array.from({ length: 500 }, (_, i) => () => postLogin(server, identifiers[i % 100]!, `leaked password ${i}`)),
    );
    expect(first.filter((r) => r.status === 401)).toHaveLength(500);
    expect(server.events.filter((e) => e.type === 'account.lock')).toHaveLength(0);
    expect(server.events.filter((e) => e.type === 'alert.raise')).toHaveLength(0);

    const throttled = await postLogin(server, 'another@example.com', 'leaked password x');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('900');
    expect(throttled.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(throttled.headers.get('ratelimit-policy')).toBe('"login_ip";q=500;w=60');
    expect(throttled.headers.get('ratelimit')).toBe('"login_ip";r=0;t=900');
    expect(JSON.parse(throttled.text)).toMatchObject({ status: 429, 'violated-policies': ['login_ip'] });
    expect(throttled.text).not.toContain('another@example.com');

    const right = await postLogin(server, accounts[0]!, GOOD_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.deviceCookie).toBeUndefined();

    const alerts = server.events.filter((e) => e.type === 'alert.raise');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ reason: 'credential_stuffing', target: { type: 'client_address', id: '127.0.0.1' }, details: { max_failures: 500 } });
    expect(server.events.filter((e) => e.type === 'auth.login' && e.reason === 'ip_throttled')).toHaveLength(2);

    server.clock.advanceSeconds(600);
    expect((await postLogin(server, accounts[1]!, GOOD_PASSWORD)).headers.get('retry-after')).toBe('300');
    server.clock.advanceSeconds(300);
    expect((await postLogin(server, accounts[1]!, GOOD_PASSWORD)).status).toBe(200);
  });
});
