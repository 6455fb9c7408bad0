import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ACCOUNTS } from '../../../helpers/outbox.js';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

let server: TestServer;
const ids: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ overrides: { accounts: TEST_ACCOUNTS } });
  for (const [i, status] of (['active', 'disabled', 'active'] as const).entries()) {
    server.clock.advance(1000);
    ids.push((await server.gatehouse.accounts.create({ email: `u${i}@example.com`, password: 'correct horse battery staple', status })).id);
  }
});
afterAll(async () => {
  await server.close();
});

describe('GET /v1/users', () => {
  it('lists newest first and pages with next_cursor', async () => {
    const first = await call(server, '/v1/users?limit=2', { key: server.adminKey });
    expect(first.status).toBe(200);
    expect(first.json.items.map((u: { id: string }) => u.id)).toEqual([ids[2], ids[1]]);
    expect(first.json.next_cursor).toBe(ids[1]);
    const second = await call(server, `/v1/users?limit=2&cursor=${first.json.next_cursor}`, { key: server.adminKey });
    expect(second.json.items.map((u: { id: string }) => u.id)).toEqual([ids[0]]);
    expect(second.json.next_cursor).toBeNull();
    expect(JSON.stringify(first.json)).not.toContain('argon2');
  });

  it('filters by status', async () => {
    const res = await call(server, '/v1/users?status=disabled', { key: server.adminKey });
    expect(res.json.items.map((u: { id: string }) => u.id)).toEqual([ids[1]]);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'cursor=nope', 'status=root', 'unknown=1'])('refuses %s with 400', async (query) => {
    const res = await call(server, `/v1/users?${query}`, { key: server.adminKey });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('request.invalid');
  });
});
