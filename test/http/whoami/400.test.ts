import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /v1/whoami → 400 (credentials presented two ways, RFC 6750 §2)', () => {
  let server: TestServer;
  let a: string;
  let b: string;

  beforeAll(async () => {
    server = await startTestServer();
    a = (await server.gatehouse.apiKeys.create({ name: 'a' })).key;
    b = (await server.gatehouse.apiKeys.create({ name: 'b' })).key;
  });

  afterAll(async () => {
    await server.close();
  });

  it('two different valid keys in Authorization and X-API-Key → 400 invalid_request', async () => {
    const res = await call(server, '/v1/whoami', { headers: { authorization: `Bearer ${a}`, 'x-api-key': b } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="invalid_request"');
    expect(res.json).toMatchObject({ status: 400, code: 'auth.invalid_request' });
    expect(res.text).not.toContain(a);
    expect(res.text).not.toContain(b);
  });

  it('a valid key beside an invalid one is refused too, without consuming the valid key\'s limit', async () => {
    const res = await call(server, '/v1/whoami', { headers: { authorization: `Bearer ${a}`, 'x-api-key': 'gk_live_nope' } });
    expect(res.status).toBe(400);
    const after = await call(server, '/v1/whoami', { key: a });
    expect(after.json.ratelimit.remaining).toBe(99);
  });
});
