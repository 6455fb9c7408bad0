import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('PATCH /v1/keys/:id → 404', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  // %00 and %01: PostgreSQL refuses NUL in text, which used to surface as 503.
  for (const id of ['key_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'garbage', 'key_01ARZ3NDEKTSV4RRFFQ69G5FA%00', 'key_%01']) {
    it(id, async () => {
      const res = await call(server, `/v1/keys/${id}`, { key: server.adminKey, method: 'PATCH', body: { name: 'x' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json.code).toBe('api_key.not_found');
    });
  }
});
