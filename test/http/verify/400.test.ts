import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /v1/keys/verify → 400', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const bodies: Array<[string, unknown]> = [
    ['missing key', {}],
    ['key not a string', { key: 42 }],
    ['key null', { key: null }],
    ['key over 1024 characters', { key: 'k'.repeat(1025) }],
    ['scopes not an array', { key: 'gk_live_x', scopes: 'admin' }],
    ['bad scope', { key: 'gk_live_x', scopes: ['a b'] }],
    ['unknown field', { key: 'gk_live_x', extra: 1 }],
  ];

  for (const [name, body] of bodies) {
    it(name, async () => {
      const res = await call(server, '/v1/keys/verify', { key: server.adminKey, body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json).toMatchObject({ status: 400, code: 'request.invalid' });
    });
  }

  it('malformed JSON', async () => {
    const res = await call(server, '/v1/keys/verify', { key: server.adminKey, method: 'POST', rawBody: '{"key":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('request.malformed_body');
  });

  it('a refused request verifies nothing', () => {
    const verifications = server.events.filter((e) => e.type === 'api_key.verify' && e.credential?.id !== server.adminId);
    expect(verifications).toHaveLength(0);
  });
});
