import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('PATCH /v1/keys/:id → 200', () => {
  let server: TestServer;
  let id: string;
  let key: string;

  beforeEach(async () => {
    server = await startTestServer();
    const created = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'before', scopes: ['a'], metadata: { v: 1 } } });
    id = created.json.id;
    key = created.json.key;
    // Cache the key so the updates below must invalidate it.
    expect((await call(server, '/v1/whoami', { key })).json.scopes).toEqual(['a']);
  });

  afterEach(async () => {
    await server.close();
  });

  const patch = (body: unknown) => call(server, `/v1/keys/${id}`, { key: server.adminKey, method: 'PATCH', body });

  it('changes the name, scopes and metadata; the next request sees the new scopes', async () => {
    server.clock.advanceSeconds(10);
    const res = await patch({ name: 'after', scopes: ['b', 'c'], metadata: { v: 2 } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id, name: 'after', scopes: ['b', 'c'], metadata: { v: 2 }, updated_at: '2026-01-01T00:00:10.000Z' });
    expect(res.json).not.toHaveProperty('key');
    const who = await call(server, '/v1/whoami', { key });
    expect(who.json).toMatchObject({ name: 'after', scopes: ['b', 'c'] });
    const shown = await call(server, `/v1/keys/${id}`, { key: server.adminKey });
    expect(shown.json).toMatchObject({ name: 'after', scopes: ['b', 'c'], metadata: { v: 2 } });
  });

  it('sets and clears a per-key rate limit, which applies at once', async () => {
    const set = await patch({ rate_limit: { limit: 2, window_seconds: 60 } });
    expect(set.json.rate_limit).toEqual({ limit: 2, window_seconds: 60 });
    // One unit was used in beforeEach under the default policy; the counter is per key.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(server, '/v1/whoami', { key })).status);
    expect(statuses).toContain(429);
    const cleared = await patch({ rate_limit: null });
    expect(cleared.json.rate_limit).toBeNull();
    const who = await call(server, '/v1/whoami', { key });
    expect(who.status).toBe(200);
    expect(who.headers.get('ratelimit-policy')).toBe('"api_key";q=100;w=60');
  });

  it('expires_in_seconds sets an expiry from now, which the key then honours', async () => {
    server.clock.advanceSeconds(30);
    const res = await patch({ expires_in_seconds: 60 });
    expect(res.json.expires_at).toBe(new Date(server.clock.now() + 60_000).toISOString());
    server.clock.advanceSeconds(59);
    expect((await call(server, '/v1/whoami', { key })).status).toBe(200);
    server.clock.advanceSeconds(1);
    expect((await call(server, '/v1/whoami', { key })).status).toBe(401);
  });

  it('expires_at sets an absolute expiry; null removes it', async () => {
    const at = new Date(server.clock.now() + 3_600_000).toISOString();
    const res = await patch({ expires_at: at });
    expect(res.json.expires_at).toBe(at);
    const cleared = await patch({ expires_at: null });
    expect(cleared.json.expires_at).toBeNull();
    server.clock.advanceSeconds(7200);
    expect((await call(server, '/v1/whoami', { key })).status).toBe(200);
  });

  it('emits one api_key.update event listing the changed fields', async () => {
    await patch({ name: 'renamed' });
    const updates = server.events.filter((e) => e.type === 'api_key.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ target: { id }, actor: { type: 'api_key', id: server.adminId }, details: { fields: ['name'] } });
  });
});
