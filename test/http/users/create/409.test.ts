import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS } });
});
afterAll(async () => {
  await server.close();
});

describe('POST /v1/users → 409', () => {
  it('refuses a second user with the same e-mail, compared case-insensitively after NFKC', async () => {
    expect((await call(server, '/v1/users', { key: server.adminKey, body: { email: 'ann@example.com', password: 'correct horse battery staple' } })).status).toBe(201);
    for (const email of ['ann@example.com', 'ANN@Example.COM', ' ann@example.com', 'ａｎｎ@example.com']) {
      const res = await call(server, '/v1/users', { key: server.adminKey, body: { email, password: 'correct horse battery staple' } });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json).toMatchObject({ code: 'account.email_taken', status: 409, type: 'https://gatehouse.dev/errors/account.email_taken' });
    }
  });
});
