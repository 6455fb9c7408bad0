import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('POST /v1/keys/:id/rotate → 201', () => {
  let server: TestServer;
  let oldKey: string;
  let oldId: string;

  beforeEach(async () => {
    server = await startTestServer();
    const created = await call(server, '/v1/keys', {
      key: server.adminKey,
      body: { name: 'rotating', scopes: ['orders:read'], owner_id: 'tenant_9', metadata: { team: 'x' }, rate_limit: { limit: 50, window_seconds: 60 } },
    });
    oldKey = created.json.key;
    oldId = created.json.id;
    expect((await call(server, '/v1/whoami', { key: oldKey })).status).toBe(200);
  });

  afterEach(async () => {
    await server.close();
  });

  const rotate = (body?: unknown) => call(server, `/v1/keys/${oldId}/rotate`, { key: server.adminKey, method: 'POST', ...(body !== undefined ? { body } : {}) });

  it('with a grace period: both keys work during it; after it the old key is refused and the new one works', async () => {
    const res = await rotate({ grace_period_seconds: 3600 });
    expect(res.status).toBe(201);
    const newKey: string = res.json.key;
    expect(newKey).toMatch(/^gk_live_/);
    expect(newKey).not.toBe(oldKey);
    expect(res.headers.get('location')).toBe(`/v1/keys/${res.json.id}`);
    expect(res.json).toMatchObject({
      name: 'rotating',
      scopes: ['orders:read'],
      owner_id: 'tenant_9',
      metadata: { team: 'x' },
      rate_limit: { limit: 50, window_seconds: 60 },
      rotated_from_id: oldId,
      previous: { id: oldId, rotated_to_id: res.json.id, expires_at: '2026-01-01T01:00:00.000Z' },
    });
    expect(res.json.previous).not.toHaveProperty('key');
    expect(res.text).not.toContain(oldKey);

    const oldWho = await call(server, '/v1/whoami', { key: oldKey });
    expect(oldWho.status).toBe(200);
    expect(oldWho.json.id).toBe(oldId);
    const newWho = await call(server, '/v1/whoami', { key: newKey });
    expect(newWho.status).toBe(200);
    expect(newWho.json.id).toBe(res.json.id);

    server.clock.advanceSeconds(3599);
    expect((await call(server, '/v1/whoami', { key: oldKey })).status).toBe(200);
    server.clock.advanceSeconds(1);
    expect((await call(server, '/v1/whoami', { key: oldKey })).status).toBe(401);
    expect((await call(server, '/v1/whoami', { key: newKey })).status).toBe(200);
    expect(server.events.some((e) => e.type === 'api_key.verify' && e.reason === 'rotation_grace_ended')).toBe(true);
  });

  it('with grace 0: the old key is refused at once', async () => {
    const res = await rotate({ grace_period_seconds: 0 });
    expect(res.status).toBe(201);
    expect((await call(server, '/v1/whoami', { key: oldKey })).status).toBe(401);
    expect((await call(server, '/v1/whoami', { key: res.json.key })).status).toBe(200);
  });

  it('without a body: the default grace period of 24 h', async () => {
    const res = await rotate();
    expect(res.status).toBe(201);
    expect(res.json.previous.expires_at).toBe('2026-01-02T00:00:00.000Z');
    server.clock.advanceSeconds(86_399);
    expect((await call(server, '/v1/whoami', { key: oldKey })).status).toBe(200);
    server.clock.advanceSeconds(1);
    expect((await call(server, '/v1/whoami', { key: oldKey })).status).toBe(401);
  });

  it('the new key can be rotated in turn', async () => {
    const first = await rotate({ grace_period_seconds: 0 });
    const second = await call(server, `/v1/keys/${first.json.id}/rotate`, { key: server.adminKey, body: { grace_period_seconds: 0 } });
    expect(second.status).toBe(201);
    expect((await call(server, '/v1/whoami', { key: first.json.key })).status).toBe(401);
    expect((await call(server, '/v1/whoami', { key: second.json.key })).status).toBe(200);
  });

  it('emits one api_key.rotate event with both ids and the grace period', async () => {
    const res = await rotate({ grace_period_seconds: 60 });
    const rotations = server.events.filter((e) => e.type === 'api_key.rotate');
    expect(rotations).toHaveLength(1);
    expect(rotations[0]).toMatchObject({
      outcome: 'success',
      target: { id: oldId },
      actor: { type: 'api_key', id: server.adminId },
      details: { previous_id: oldId, successor_id: res.json.id, grace_period_seconds: 60 },
    });
  });
});
