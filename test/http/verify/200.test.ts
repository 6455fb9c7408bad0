import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/api-keys/format.js';
import { hashSecret } from '../../../src/core/crypto/hash.js';
import { secureRandom } from '../../../src/core/crypto/random.js';
import { call, startTestServer, type TestServer, type TestResponse } from '../../helpers/server.js';

describe('POST /v1/keys/verify → 200', () => {
  let server: TestServer;
  let key: string;
  let id: string;

  beforeEach(async () => {
    server = await startTestServer();
    const created = await server.gatehouse.apiKeys.create({
      name: 'checked',
      ownerId: 'user_7',
      scopes: ['orders:read', 'orders:write'],
      metadata: { plan: 'pro' },
      rateLimit: { limit: 5, windowSeconds: 60 },
    });
    key = created.key;
    id = created.apiKey.id;
  });

  afterEach(async () => {
    await server.close();
  });

  const verify = (body: unknown) => call(server, '/v1/keys/verify', { key: server.adminKey, body });

  function expectInvalid(res: TestResponse, code: string, presented: string): void {
    expect(res.status).toBe(200);
    expect(res.json.valid).toBe(false);
    expect(res.json.code).toBe(code);
    expect(res.json).not.toHaveProperty('id');
    expect(res.json).not.toHaveProperty('metadata');
    expect(res.text).not.toContain(presented);
    expect(res.text).not.toContain(hashSecret(presented, undefined));
  }

  it('a valid key: its identity, metadata and rate-limit state', async () => {
    const res = await verify({ key });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      valid: true,
      id,
      name: 'checked',
      owner_id: 'user_7',
      scopes: ['orders:read', 'orders:write'],
      metadata: { plan: 'pro' },
      ratelimit: { policy: 'api_key', limit: 5, remaining: 4, reset: 60, window_seconds: 60 },
    });
    expect(res.json).not.toHaveProperty('key');
    expect(res.text).not.toContain(key);
    expect(res.text).not.toContain(hashSecret(key, undefined));
  });

  it('a valid key holding every required scope', async () => {
    const res = await verify({ key, scopes: ['orders:read', 'orders:write'] });
    expect(res.json).toMatchObject({ valid: true, id });
  });

  it('the caller\'s own rate limit is consumed separately from the verified key\'s', async () => {
    await verify({ key });
    const res = await verify({ key });
    expect(res.json.ratelimit.remaining).toBe(3);
    expect(res.headers.get('ratelimit-policy')).toBe('"api_key";q=1000000;w=60');
  });

  it('NOT_FOUND for a well-formed key never issued', async () => {
    const unknown = generateApiKey('gk_live', secureRandom).key;
    expectInvalid(await verify({ key: unknown }), 'NOT_FOUND', unknown);
  });

  for (const [name, make] of [
    ['bad checksum', (k: string) => k.slice(0, -1) + (k.endsWith('A') ? 'B' : 'A')],
    ['too short', (k: string) => k.slice(0, -1)],
    ['wrong prefix', () => generateApiKey('sk_live', secureRandom).key],
    ['empty string', () => ''],
    ['non-ASCII', (k: string) => `${k.slice(0, 20)}ü${k.slice(21)}`],
  ] as const) {
    it(`NOT_FOUND for a malformed key: ${name}`, async () => {
      const presented = make(key);
      expectInvalid(await verify({ key: presented }), 'NOT_FOUND', presented || 'unused-marker');
    });
  }

  it('EXPIRED after the key\'s lifetime', async () => {
    const expiring = await server.gatehouse.apiKeys.create({ name: 'short', expiresInSeconds: 30 });
    expect((await verify({ key: expiring.key })).json.valid).toBe(true);
    server.clock.advanceSeconds(30);
    expectInvalid(await verify({ key: expiring.key }), 'EXPIRED', expiring.key);
  });

  it('REVOKED once revoked', async () => {
    expect((await verify({ key })).json.valid).toBe(true);
    await call(server, `/v1/keys/${id}`, { key: server.adminKey, method: 'DELETE' });
    expectInvalid(await verify({ key }), 'REVOKED', key);
  });

  it('INSUFFICIENT_SCOPE names the required scopes and does not consume the limit', async () => {
    const res = await verify({ key, scopes: ['orders:read', 'orders:delete'] });
    expectInvalid(res, 'INSUFFICIENT_SCOPE', key);
    expect(res.json.required_scopes).toEqual(['orders:read', 'orders:delete']);
    expect((await verify({ key })).json.ratelimit.remaining).toBe(4);
  });

  it('RATE_LIMITED after the key\'s limit, with its rate-limit state; the next window admits again', async () => {
    for (let i = 0; i < 5; i++) expect((await verify({ key })).json.valid).toBe(true);
    const res = await verify({ key });
    expectInvalid(res, 'RATE_LIMITED', key);
    expect(res.json.ratelimit).toMatchObject({ limit: 5, remaining: 0, window_seconds: 60 });
    expect(res.json.ratelimit.reset).toBeGreaterThanOrEqual(1);
    server.clock.advanceSeconds(60);
    expect((await verify({ key })).json.valid).toBe(true);
  });

  it('every outcome is audited with the verifying key as the actor of the HTTP exchange', async () => {
    await verify({ key });
    const event = server.events.find((e) => e.type === 'api_key.verify' && e.credential?.id === id);
    expect(event).toMatchObject({ outcome: 'success', reason: 'ok', http: { method: 'POST', route: '/v1/keys/verify' } });
  });
});
