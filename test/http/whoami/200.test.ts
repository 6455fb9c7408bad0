import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /v1/whoami → 200', () => {
  let server: TestServer;
  let key: string;
  let id: string;

  beforeEach(async () => {
    server = await startTestServer();
    const created = await server.gatehouse.apiKeys.create({ name: 'svc', scopes: ['orders:read', 'orders:write'], ownerId: 'tenant_1' });
    key = created.key;
    id = created.apiKey.id;
  });

  afterEach(async () => {
    await server.close();
  });

  it('with Authorization: Bearer returns the identity and the rate-limit state', async () => {
    const res = await call(server, '/v1/whoami', { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({
      id,
      name: 'svc',
      owner_id: 'tenant_1',
      scopes: ['orders:read', 'orders:write'],
      environment: 'live',
      expires_at: null,
      ratelimit: { policy: 'api_key', limit: 100, remaining: 99, reset: 60, window_seconds: 60 },
    });
    expect(res.json.start).toBe(key.slice(0, 'gk_live_'.length + 8));
    expect(res.text).not.toContain(key);
    expect(res.headers.get('ratelimit-policy')).toBe('"api_key";q=100;w=60');
    expect(res.headers.get('ratelimit')).toBe('"api_key";r=99;t=60');
  });

  it('with X-API-Key', async () => {
    const res = await call(server, '/v1/whoami', { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(id);
    expect(res.headers.get('ratelimit')).toMatch(/^"api_key";r=99;t=\d+$/);
  });

  it('the Bearer scheme is case-insensitive (RFC 7235 §2.1)', async () => {
    const res = await call(server, '/v1/whoami', { headers: { authorization: `bearer ${key}` } });
    expect(res.status).toBe(200);
  });

  it('the same key in both headers is accepted', async () => {
    const res = await call(server, '/v1/whoami', { headers: { authorization: `Bearer ${key}`, 'x-api-key': key } });
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(id);
  });

  it('each request consumes one unit and the reset counts down with the clock', async () => {
    await call(server, '/v1/whoami', { key });
    server.clock.advanceSeconds(20);
    const res = await call(server, '/v1/whoami', { key });
    expect(res.json.ratelimit).toMatchObject({ remaining: 98, reset: 40 });
    expect(res.headers.get('ratelimit')).toBe('"api_key";r=98;t=40');
  });

  it('a per-key rate limit shows in the body and the headers', async () => {
    const limited = await server.gatehouse.apiKeys.create({ name: 'limited', rateLimit: { limit: 7, windowSeconds: 30 } });
    const res = await call(server, '/v1/whoami', { key: limited.key });
    expect(res.status).toBe(200);
    expect(res.json.ratelimit).toMatchObject({ limit: 7, remaining: 6, window_seconds: 30 });
    expect(res.headers.get('ratelimit-policy')).toBe('"api_key";q=7;w=30');
  });

  it('an expiring key reports its expiry and works until it', async () => {
    const expiring = await server.gatehouse.apiKeys.create({ name: 'expiring', expiresInSeconds: 120 });
    const res = await call(server, '/v1/whoami', { key: expiring.key });
    expect(res.json.expires_at).toBe(new Date(server.clock.now() + 120_000).toISOString());
    server.clock.advanceSeconds(119);
    expect((await call(server, '/v1/whoami', { key: expiring.key })).status).toBe(200);
    server.clock.advanceSeconds(1);
    expect((await call(server, '/v1/whoami', { key: expiring.key })).status).toBe(401);
  });

  it('answers with a request id, and echoes a plain incoming one', async () => {
    const res = await call(server, '/v1/whoami', { key, headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
