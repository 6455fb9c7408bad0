import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('POST /v1/keys/:id/rotate → 409', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  async function expectConflict(id: string): Promise<void> {
    const res = await call(server, `/v1/keys/${id}/rotate`, { key: server.adminKey, body: { grace_period_seconds: 60 } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json).toMatchObject({ type: 'https://gatehouse.dev/errors/api_key.conflict', status: 409, code: 'api_key.conflict' });
    expect(res.json).not.toHaveProperty('key');
  }

  it('a revoked key cannot be rotated, and nothing new is issued', async () => {
    const created = await server.gatehouse.apiKeys.create({ name: 'revoked' });
    await call(server, `/v1/keys/${created.apiKey.id}`, { key: server.adminKey, method: 'DELETE' });
    await expectConflict(created.apiKey.id);
    const list = await call(server, '/v1/keys?include_revoked=true', { key: server.adminKey });
    expect(list.json.items).toHaveLength(2);
    expect(server.events.filter((e) => e.type === 'api_key.rotate')).toHaveLength(0);
  });

  it('a key already rotated cannot be rotated again', async () => {
    const created = await server.gatehouse.apiKeys.create({ name: 'once' });
    const first = await call(server, `/v1/keys/${created.apiKey.id}/rotate`, { key: server.adminKey, body: { grace_period_seconds: 3600 } });
    expect(first.status).toBe(201);
    await expectConflict(created.apiKey.id);
  });

  it('an expired key cannot be rotated', async () => {
    const created = await server.gatehouse.apiKeys.create({ name: 'expired', expiresInSeconds: 10 });
    server.clock.advanceSeconds(10);
    await expectConflict(created.apiKey.id);
  });
});
