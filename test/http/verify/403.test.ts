import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /v1/keys/verify → 403', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('a caller without keys:verify is refused and the presented key is neither verified nor charged', async () => {
    const caller = await server.gatehouse.apiKeys.create({ name: 'caller', scopes: ['orders:read'] });
    const target = await server.gatehouse.apiKeys.create({ name: 'target', rateLimit: { limit: 1, windowSeconds: 60 } });
    const res = await call(server, '/v1/keys/verify', { key: caller.key, body: { key: target.key } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="keys:verify"');
    expect(res.json).toMatchObject({ code: 'auth.insufficient_scope', scope: 'keys:verify' });
    expect(res.text).not.toContain(target.key);
    expect(server.events.filter((e) => e.type === 'api_key.verify' && e.credential?.id === target.apiKey.id)).toHaveLength(0);
    expect((await call(server, '/v1/whoami', { key: target.key })).status).toBe(200);
  });
});
