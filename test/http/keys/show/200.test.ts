import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../../../src/core/crypto/hash.js';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('GET /v1/keys/:id → 200', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('returns the key as created, never the raw key or its hash', async () => {
    const created = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'shown', scopes: ['x'], metadata: { a: 1 } } });
    const res = await call(server, `/v1/keys/${created.json.id}`, { key: server.adminKey });
    expect(res.status).toBe(200);
    const { key: _key, ...withoutKey } = created.json;
    expect(res.json).toEqual(withoutKey);
    expect(res.json).not.toHaveProperty('key');
    expect(res.text).not.toContain(created.json.key);
    expect(res.text).not.toContain(hashSecret(created.json.key, undefined));
  });

  it('shows last_used_at once uses have been flushed', async () => {
    const created = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'used' } });
    server.clock.advanceSeconds(5);
    await call(server, '/v1/whoami', { key: created.json.key });
    await server.gatehouse.apiKeys.flushLastUsed();
    const res = await call(server, `/v1/keys/${created.json.id}`, { key: server.adminKey });
    expect(res.json.last_used_at).toBe(new Date(server.clock.now()).toISOString());
  });

  it('shows a revoked key with its revocation time', async () => {
    const created = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'gone' } });
    await call(server, `/v1/keys/${created.json.id}`, { key: server.adminKey, method: 'DELETE' });
    const res = await call(server, `/v1/keys/${created.json.id}`, { key: server.adminKey });
    expect(res.status).toBe(200);
    expect(res.json.revoked_at).toBe(new Date(server.clock.now()).toISOString());
  });
});
