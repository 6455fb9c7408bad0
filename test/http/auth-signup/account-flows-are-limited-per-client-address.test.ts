import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Invariant: the unauthenticated account flows (sign-up, e-mail verification, password reset
 * request and confirmation) each hash a password with argon2id or send mail, so one client
 * address may make at most `defense.accountFlows.limit` of them per window, counted together
 * whether they succeed or fail. The next gets 429 with Retry-After and the RateLimit fields,
 * and no work is done for it (no mail is sent). Another address is not affected. (Here the
 * server trusts X-Forwarded-For from loopback so the test can play two clients.)
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    overrides: { server: { trustProxy: ['127.0.0.1'] }, accounts: { ...TEST_ACCOUNTS, signup: { enabled: true } }, defense: { accountFlows: { limit: 3, windowSeconds: 600 } } },
  });
});
afterAll(async () => {
  await server.close();
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('account flows are limited per client address', () => {
  it('admits the limit across all flows, then answers 429 with Retry-After; another address still gets through', async () => {
    const a = from('203.0.113.5');
    const statuses = [
      (await call(server, '/auth/signup', { headers: a, body: { email: 'one@example.com', password: 'correct horse battery staple' } })).status,
      (await call(server, '/auth/password-reset', { headers: a, body: { email: 'one@example.com' } })).status,
      (await call(server, '/auth/verify-email', { headers: a, body: { token: 'A'.repeat(43) } })).status,
    ];
    expect(statuses).toEqual([202, 202, 400]);

    const refused = await call(server, '/auth/password-reset', { headers: a, body: { email: 'two@example.com' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toBe('"account_flow";q=3;w=600');
    expect(refused.json.code).toBe('rate_limit.exceeded');
    const confirm = await call(server, '/auth/password-reset/confirm', { headers: a, body: { token: 'A'.repeat(43), password: 'correct horse battery staple' } });
    expect(confirm.status).toBe(429);

    const other = await call(server, '/auth/password-reset', { headers: from('198.51.100.9'), body: { email: 'two@example.com' } });
    expect(other.status).toBe(202);
  });
});
