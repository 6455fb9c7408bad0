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

describe('POST /v1/users → 201', () => {
  it('creates a user and answers its snake_case view, never a password or hash', async () => {
    const res = await call(server, '/v1/users', { key: server.adminKey, body: { email: ' Ann@Example.com ', password: 'correct horse battery staple', name: 'Ann' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/users/${res.json.id}`);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^usr_[0-9A-Z]{26}$/),
      email: 'Ann@Example.com',
      email_verified: false,
      name: 'Ann',
      status: 'active',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      password_changed_at: '2026-01-01T00:00:00.000Z',
    });
    expect(res.text).not.toContain('correct horse');
    expect(res.text).not.toContain('argon2');
    const event = server.events.find((e) => e.type === 'account.create');
    expect(event).toMatchObject({ outcome: 'success', actor: { type: 'api_key', id: server.adminId }, target: { type: 'user', id: res.json.id }, http: { method: 'POST', route: '/v1/users' } });
  });

  it('accepts email_verified and status from the (trusted) admin, and a null name', async () => {
    const res = await call(server, '/v1/users', { key: server.adminKey, body: { email: 'bob@example.com', password: 'correct horse battery staple', name: null, email_verified: true, status: 'disabled' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ email_verified: true, status: 'disabled', name: null });
  });

  it('the created user can be authenticated with the password', async () => {
    await call(server, '/v1/users', { key: server.adminKey, body: { email: 'carol@example.com', password: 'a passphrase for carol' } });
    expect((await server.gatehouse.accounts.authenticate('CAROL@example.com', 'a passphrase for carol')).ok).toBe(true);
  });
});
