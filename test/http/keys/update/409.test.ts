import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('PATCH /v1/keys/:id → 409', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('a revoked key cannot be changed (and stays revoked)', async () => {
    const created = await server.gatehouse.apiKeys.create({ name: 'old', scopes: ['a'] });
    await call(server, `/v1/keys/${created.apiKey.id}`, { key: server.adminKey, method: 'DELETE' });
    const res = await call(server, `/v1/keys/${created.apiKey.id}`, { key: server.adminKey, method: 'PATCH', body: { name: 'new', expires_at: null } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json).toMatchObject({ status: 409, code: 'api_key.conflict' });
    const shown = await call(server, `/v1/keys/${created.apiKey.id}`, { key: server.adminKey });
    expect(shown.json.name).toBe('old');
    expect((await call(server, '/v1/whoami', { key: created.key })).status).toBe(401);
  });
});
