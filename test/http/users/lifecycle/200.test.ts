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

describe('disable, enable, password, sessions and delete under /v1/users/:id', () => {
  it('disable refuses sign-in, enable restores it; both emit their events', async () => {
    const user = await server.gatehouse.accounts.create({ email: 'ann@example.com', password: 'correct horse battery staple' });
    const disabled = await call(server, `/v1/users/${user.id}/disable`, { method: 'POST', key: server.adminKey });
    expect(disabled.status).toBe(200);
    expect(disabled.json.status).toBe('disabled');
    expect(await server.gatehouse.accounts.authenticate('ann@example.com', 'correct horse battery staple')).toMatchObject({ ok: false, reason: 'disabled' });
    const enabled = await call(server, `/v1/users/${user.id}/enable`, { method: 'POST', key: server.adminKey });
    expect(enabled.json.status).toBe('active');
    expect((await server.gatehouse.accounts.authenticate('ann@example.com', 'correct horse battery staple')).ok).toBe(true);
    expect(server.events.filter((e) => e.target?.id === user.id).map((e) => e.type)).toEqual(['account.create', 'account.disable', 'account.enable']);
  });

  it('PUT password sets a new password under the policy', async () => {
    const user = await server.gatehouse.accounts.create({ email: 'bob@example.com', password: 'correct horse battery staple' });
    const weak = await call(server, `/v1/users/${user.id}/password`, { method: 'PUT', key: server.adminKey, body: { password: 'password' } });
    expect(weak.status).toBe(400);
    expect(weak.json.code).toBe('password.too_short');
    const ok = await call(server, `/v1/users/${user.id}/password`, { method: 'PUT', key: server.adminKey, body: { password: 'another long passphrase' } });
    expect(ok.status).toBe(200);
    expect((await server.gatehouse.accounts.authenticate('bob@example.com', 'another long passphrase')).ok).toBe(true);
  });

  it('POST verification-email mails a link to an unverified user (202) and not to a verified one (200)', async () => {
    const user = await server.gatehouse.accounts.create({ email: 'dora@example.com', password: 'correct horse battery staple' });
    const res = await call(server, `/v1/users/${user.id}/verification-email`, { method: 'POST', key: server.adminKey });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ sent: true });
    await server.gatehouse.accounts.update(user.id, { emailVerified: true });
    const again = await call(server, `/v1/users/${user.id}/verification-email`, { method: 'POST', key: server.adminKey });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ sent: false });
  });

  it('DELETE /sessions answers how many sessions ended', async () => {
    const user = await server.gatehouse.accounts.create({ email: 'carol@example.com', password: 'correct horse battery staple' });
    const res = await call(server, `/v1/users/${user.id}/sessions`, { method: 'DELETE', key: server.adminKey });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ revoked: expect.any(Number) });
  });

  it('DELETE removes the user (204), then 404', async () => {
    const user = await server.gatehouse.accounts.create({ email: 'erin@example.com', password: 'correct horse battery staple' });
    const res = await call(server, `/v1/users/${user.id}`, { method: 'DELETE', key: server.adminKey });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await call(server, `/v1/users/${user.id}`, { key: server.adminKey })).status).toBe(404);
    expect(server.events.filter((e) => e.type === "account.delete").at(-1)).toMatchObject({ target: { id: user.id } });
  });
});
