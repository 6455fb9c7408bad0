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

describe('PATCH /v1/users/:id', () => {
  it('changes name, e-mail, verified flag and status', async () => {
    const user = await server.gatehouse.accounts.create({ email: 'ann@example.com', password: 'correct horse battery staple', emailVerified: true });
    server.clock.advance(5000);
    const res = await call(server, `/v1/users/${user.id}`, { method: 'PATCH', key: server.adminKey, body: { name: 'Ann Smith', email: 'Ann@New.example' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'Ann Smith', email: 'Ann@New.example', email_verified: false, updated_at: '2026-01-01T00:00:05.000Z' });
    const verified = await call(server, `/v1/users/${user.id}`, { method: 'PATCH', key: server.adminKey, body: { email_verified: true, status: 'locked' } });
    expect(verified.json).toMatchObject({ email_verified: true, status: 'locked' });
    expect(server.events.filter((e) => e.type === 'account.update')).toHaveLength(2);
  });

  it('answers 409 for an e-mail another user has, and 400 for an empty or invalid patch', async () => {
    await server.gatehouse.accounts.create({ email: 'taken@example.com', password: 'correct horse battery staple' });
    const user = await server.gatehouse.accounts.create({ email: 'free@example.com', password: 'correct horse battery staple' });
    const taken = await call(server, `/v1/users/${user.id}`, { method: 'PATCH', key: server.adminKey, body: { email: 'TAKEN@example.com' } });
    expect(taken.status).toBe(409);
    expect(taken.json.code).toBe('account.email_taken');
    for (const body of [{}, { password: 'correct horse battery staple' }, { status: 'gone' }, { email: 'nope' }, { email_verified: 'yes' }]) {
      const res = await call(server, `/v1/users/${user.id}`, { method: 'PATCH', key: server.adminKey, body });
      expect(res.status).toBe(400);
      expect(res.json.code).toBe('request.invalid');
    }
  });
});
