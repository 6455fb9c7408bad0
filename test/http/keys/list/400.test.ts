import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('GET /v1/keys → 400', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const queries = ['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'limit=1.5', 'cursor=garbage', 'cursor=', 'include_revoked=yes', 'unknown=1', `owner_id=${'o'.repeat(256)}`, 'owner_id=a%00b', 'owner_id=%0A', 'owner_id=a%7F'];

  for (const query of queries) {
    it(`?${query.slice(0, 40)}`, async () => {
      const res = await call(server, `/v1/keys?${query}`, { key: server.adminKey });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json).toMatchObject({ status: 400, code: 'request.invalid' });
    });
  }
});
