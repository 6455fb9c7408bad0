import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let readerKey: string;
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS } });
  readerKey = (await server.gatehouse.apiKeys.create({ name: 'reader', scopes: ['orders:read'] })).key;
});
afterAll(async () => {
  await server.close();
});

const routes: Array<[string, string]> = [
  ['POST', '/v1/users'],
  ['GET', '/v1/users'],
  ['GET', '/v1/users/usr_01KDZZZZZZZZZZZZZZZZZZZZZZ'],
  ['PATCH', '/v1/users/usr_01KDZZZZZZZZZZZZZZZZZZZZZZ'],
  ['POST', '/v1/users/usr_01KDZZZZZZZZZZZZZZZZZZZZZZ/disable'],
  ['POST', '/v1/users/usr_01KDZZZZZZZZZZZZZZZZZZZZZZ/enable'],
  ['PUT', '/v1/users/usr_01KDZZZZZZZZZZZZZZZZZZZZZZ/password'],
  ['DELETE', '/v1/users/usr_01KDZZZZZZZZZZZZZZZZZZZZZZ'],
  ['DELETE', '/v1/users/usr_01KDZZZZZZZZZZZZZZZZZZZZZZ/sessions'],
];

describe('/v1/users needs an admin API key', () => {
  it.each(routes)('%s %s without a key → 401 with a Bearer challenge', async (method, path) => {
    const res = await call(server, path, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { body: { email: 'x@example.com', password: 'correct horse battery staple' } }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(res.json.code).toBe('api_key.invalid');
  });

  it.each(routes)('%s %s with a key lacking scope admin → 403 insufficient_scope', async (method, path) => {
    const res = await call(server, path, { method, key: readerKey });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('auth.insufficient_scope');
  });

  it('creates nothing for an unauthenticated caller', async () => {
    await call(server, '/v1/users', { body: { email: 'sneaky@example.com', password: 'correct horse battery staple' } });
    expect((await server.gatehouse.accounts.list()).items).toEqual([]);
  });
});
