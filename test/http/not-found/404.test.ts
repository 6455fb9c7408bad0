import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('unknown routes → 404', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  for (const [method, path] of [
    ['GET', '/'],
    ['GET', '/v2/whoami'],
    ['POST', '/v1/nothing'],
    ['GET', '/v1/keys/key_01ARZ3NDEKTSV4RRFFQ69G5FAV/extra'],
  ] as const) {
    it(`${method} ${path}`, async () => {
      const res = await call(server, path, { method, key: server.adminKey });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json).toMatchObject({ type: 'https://gatehouse.dev/errors/route.not_found', title: 'Not Found', status: 404, code: 'route.not_found' });
      expect(res.json.instance).toMatch(/^urn:gatehouse:request:/);
      expect(res.headers.get('x-request-id')).toBe(res.json.instance.slice('urn:gatehouse:request:'.length));
    });
  }
});
