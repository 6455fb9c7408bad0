import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../../../src/core/crypto/hash.js';
import { parseApiKey } from '../../../../src/api-keys/format.js';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('POST /v1/keys → 201', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    await server.close();
  });

  it('creates a key with every attribute and returns the raw key once, with a Location', async () => {
    const res = await call(server, '/v1/keys', {
      key: server.adminKey,
      body: {
        name: 'billing worker',
        scopes: ['orders:read', 'orders:write'],
        owner_id: 'tenant_42',
        metadata: { team: 'billing', tier: 2, tags: ['a', 'b'] },
        expires_in_seconds: 3600,
        rate_limit: { limit: 10, window_seconds: 30 },
      },
    });
    expect(res.status).toBe(201);
    const body = res.json;
    expect(res.headers.get('location')).toBe(`/v1/keys/${body.id}`);
    expect(body).toMatchObject({
      name: 'billing worker',
      scopes: ['orders:read', 'orders:write'],
      owner_id: 'tenant_42',
      metadata: { team: 'billing', tier: 2, tags: ['a', 'b'] },
      environment: 'live',
      prefix: 'gk_live',
      rate_limit: { limit: 10, window_seconds: 30 },
      created_at: '2026-01-01T00:00:00.000Z',
      expires_at: '2026-01-01T01:00:00.000Z',
      revoked_at: null,
      last_used_at: null,
    });
    expect(body.id).toMatch(/^key_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(typeof body.key).toBe('string');
    expect(parseApiKey(body.key, ['gk_live'])).toMatchObject({ ok: true });
    expect(body.start).toBe(body.key.slice(0, 'gk_live_'.length + 8));
    expect(JSON.stringify(body)).not.toContain(hashSecret(body.key, undefined));
    expect(body).not.toHaveProperty('hash');

    const who = await call(server, '/v1/whoami', { key: body.key });
    expect(who.status).toBe(200);
    expect(who.json).toMatchObject({ id: body.id, scopes: ['orders:read', 'orders:write'], ratelimit: { limit: 10, window_seconds: 30 } });
  });

  it('with only a name: no scopes, no expiry, the default rate limit', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'minimal' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: 'minimal', scopes: [], owner_id: null, metadata: {}, expires_at: null, rate_limit: null });
    const who = await call(server, '/v1/whoami', { key: res.json.key });
    expect(who.json.ratelimit).toMatchObject({ limit: 100, window_seconds: 60 });
  });

  it('a test-environment key gets the test prefix', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'sandbox', environment: 'test' } });
    expect(res.status).toBe(201);
    expect(res.json.key).toMatch(/^gk_test_/);
    expect(res.json.environment).toBe('test');
    expect((await call(server, '/v1/whoami', { key: res.json.key })).status).toBe(200);
  });

  it('duplicate scopes are stored once, and the name is trimmed', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, body: { name: '  spaced  ', scopes: ['a', 'b', 'a'] } });
    expect(res.status).toBe(201);
    expect(res.json.scopes).toEqual(['a', 'b']);
    expect(res.json.name).toBe('spaced');
  });

  it('every created key is different and emits one api_key.create event naming the admin key as actor', async () => {
    const a = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'a' } });
    const b = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'a' } });
    expect(a.json.key).not.toBe(b.json.key);
    expect(a.json.id).not.toBe(b.json.id);
    const creates = server.events.filter((e) => e.type === 'api_key.create' && e.target?.id === a.json.id);
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ outcome: 'success', actor: { type: 'api_key', id: server.adminId }, http: { method: 'POST', route: '/v1/keys' } });
  });

  it('metadata of exactly 4096 bytes is accepted', async () => {
    const filler = 'x'.repeat(4096 - JSON.stringify({ f: '' }).length);
    const res = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'big-meta', metadata: { f: filler } } });
    expect(res.status).toBe(201);
  });
});
