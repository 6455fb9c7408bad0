import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('GET /v1/keys/:id → 404', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const ids = [
    ['unknown well-formed id', 'key_01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['garbage id', 'nope'],
    ['id with SQL', encodeURIComponent("' OR 1=1 --")],
    ['lower-case id', 'key_01arz3ndektsv4rrffq69g5fav'],
  ] as const;

  for (const [name, id] of ids) {
    it(name, async () => {
      const res = await call(server, `/v1/keys/${id}`, { key: server.adminKey });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json).toMatchObject({ type: 'https://gatehouse.dev/errors/api_key.not_found', status: 404, code: 'api_key.not_found' });
      expect(res.text).not.toMatch(/sqlite|select/i);
    });
  }

  it('a raw key in place of an id is not found and not echoed', async () => {
    const created = await server.gatehouse.apiKeys.create({ name: 'k' });
    const res = await call(server, `/v1/keys/${created.key}`, { key: server.adminKey });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(created.key);
  });
});
