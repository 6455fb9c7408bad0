import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer, type TestResponse } from '../../helpers/server.js';

describe('management endpoints → 403 for keys without the admin scope', () => {
  let server: TestServer;
  let targetId: string;
  let plainKey: string;
  let verifierKey: string;

  beforeAll(async () => {
    server = await startTestServer();
    targetId = (await server.gatehouse.apiKeys.create({ name: 'target', scopes: ['a'] })).apiKey.id;
    plainKey = (await server.gatehouse.apiKeys.create({ name: 'plain', scopes: ['orders:read', 'Admin', 'admin:read'], rateLimit: { limit: 1000, windowSeconds: 60 } })).key;
    verifierKey = (await server.gatehouse.apiKeys.create({ name: 'verifier', scopes: ['keys:verify'], rateLimit: { limit: 1000, windowSeconds: 60 } })).key;
  });

  afterAll(async () => {
    await server.close();
  });

  function expectInsufficientScope(res: TestResponse, scope: string): void {
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="gatehouse", error="insufficient_scope", scope="${scope}"`);
    expect(res.json).toMatchObject({ status: 403, code: 'auth.insufficient_scope', scope });
  }

  const endpoints: Array<[string, string, unknown]> = [
    ['POST', '/v1/keys', { name: 'sneaky', scopes: ['admin'] }],
    ['GET', '/v1/keys', undefined],
    ['GET', '/v1/keys?include_revoked=true', undefined],
    ['GET', '/v1/keys/{id}', undefined],
    ['PATCH', '/v1/keys/{id}', { scopes: ['admin'] }],
    ['POST', '/v1/keys/{id}/rotate', { grace_period_seconds: 0 }],
    ['DELETE', '/v1/keys/{id}', undefined],
  ];

  for (const [method, path, body] of endpoints) {
    for (const who of ['a key with other scopes', 'a keys:verify key'] as const) {
      it(`${method} ${path} with ${who}`, async () => {
        const key = who === 'a keys:verify key' ? verifierKey : plainKey;
        const res = await call(server, path.replace('{id}', targetId), { key, method, ...(body !== undefined ? { body } : {}) });
        expectInsufficientScope(res, 'admin');
      });
    }
  }

  it('none of the refused calls changed anything', async () => {
    const res = await call(server, `/v1/keys/${targetId}`, { key: server.adminKey });
    expect(res.json).toMatchObject({ scopes: ['a'], revoked_at: null, rotated_to_id: null });
    const list = await call(server, '/v1/keys', { key: server.adminKey });
    expect(list.json.items.map((k: { name: string }) => k.name).sort()).toEqual(['admin', 'plain', 'target', 'verifier']);
    for (const type of ['api_key.create', 'api_key.update', 'api_key.rotate', 'api_key.revoke'] as const) {
      expect(server.events.filter((e) => e.type === type && e.actor?.type === 'api_key')).toHaveLength(0);
    }
  });

  it('the refusals are audited as insufficient_scope', () => {
    const failures = server.events.filter((e) => e.type === 'api_key.verify' && e.reason === 'insufficient_scope');
    expect(failures).toHaveLength(endpoints.length * 2);
  });

  it('POST /v1/keys/verify with a key lacking keys:verify', async () => {
    const res = await call(server, '/v1/keys/verify', { key: plainKey, body: { key: verifierKey } });
    expectInsufficientScope(res, 'keys:verify');
    expect(res.text).not.toContain(verifierKey);
  });

  it('an admin key without keys:verify cannot use POST /v1/keys/verify', async () => {
    const adminOnly = await server.gatehouse.apiKeys.create({ name: 'admin-only', scopes: ['admin'] });
    const res = await call(server, '/v1/keys/verify', { key: adminOnly.key, body: { key: plainKey } });
    expectInsufficientScope(res, 'keys:verify');
  });
});
