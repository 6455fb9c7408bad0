import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('DELETE /v1/keys/:id → 200', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('revokes a key: the next request with it is refused, even though it was cached', async () => {
    const created = await server.gatehouse.apiKeys.create({ name: 'doomed' });
    expect((await call(server, '/v1/whoami', { key: created.key })).status).toBe(200);
    const res = await call(server, `/v1/keys/${created.apiKey.id}`, { key: server.adminKey, method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: created.apiKey.id, revoked_at: '2026-01-01T00:00:00.000Z' });
    expect(res.json).not.toHaveProperty('key');
    expect(res.text).not.toContain(created.key);
    expect((await call(server, '/v1/whoami', { key: created.key })).status).toBe(401);
  });

  it('is idempotent: a second DELETE answers 200 with the first revocation time', async () => {
    const created = await server.gatehouse.apiKeys.create({ name: 'twice' });
    const first = await call(server, `/v1/keys/${created.apiKey.id}`, { key: server.adminKey, method: 'DELETE' });
    server.clock.advanceSeconds(30);
    const second = await call(server, `/v1/keys/${created.apiKey.id}`, { key: server.adminKey, method: 'DELETE' });
    expect(second.status).toBe(200);
    expect(second.json.revoked_at).toBe(first.json.revoked_at);
    const events = server.events.filter((e) => e.type === 'api_key.revoke' && e.target?.id === created.apiKey.id);
    expect(events.map((e) => e.reason)).toEqual(['ok', 'already_revoked']);
  });

  it('an admin key can revoke itself, and is refused afterwards', async () => {
    const res = await call(server, `/v1/keys/${server.adminId}`, { key: server.adminKey, method: 'DELETE' });
    expect(res.status).toBe(200);
    expect((await call(server, '/v1/keys', { key: server.adminKey })).status).toBe(401);
  });

  it('revoking one key leaves the others working', async () => {
    const a = await server.gatehouse.apiKeys.create({ name: 'a' });
    const b = await server.gatehouse.apiKeys.create({ name: 'b' });
    await call(server, `/v1/keys/${a.apiKey.id}`, { key: server.adminKey, method: 'DELETE' });
    expect((await call(server, '/v1/whoami', { key: b.key })).status).toBe(200);
  });
});
