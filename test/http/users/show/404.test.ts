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

describe('/v1/users/:id → 404', () => {
  it.each([
    ['GET', 'usr_01KDZZZZZZZZZZZZZZZZZZZZZZ'],
    ['GET', 'key_01KDZZZZZZZZZZZZZZZZZZZZZZ'],
    ['GET', 'usr_%00'],
    ['PATCH', 'usr_01KDZZZZZZZZZZZZZZZZZZZZZZ'],
    ['POST', 'usr_01KDZZZZZZZZZZZZZZZZZZZZZZ/disable'],
    ['POST', 'usr_01KDZZZZZZZZZZZZZZZZZZZZZZ/enable'],
    ['DELETE', 'usr_01KDZZZZZZZZZZZZZZZZZZZZZZ'],
    ['DELETE', 'usr_01KDZZZZZZZZZZZZZZZZZZZZZZ/sessions'],
  ])('%s %s → account.not_found', async (method, id) => {
    const res = await call(server, `/v1/users/${id}`, { method, key: server.adminKey, ...(method === 'PATCH' ? { body: { name: 'x' } } : {}) });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'account.not_found', status: 404 });
  });

  it('GET /v1/users/:id answers 200 for an existing user', async () => {
    const user = await server.gatehouse.accounts.create({ email: 'ann@example.com', password: 'correct horse battery staple' });
    const res = await call(server, `/v1/users/${user.id}`, { key: server.adminKey });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: user.id, email: 'ann@example.com' });
  });
});
