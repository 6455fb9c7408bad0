import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('POST /v1/keys → 415', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  const types = ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'];

  for (const type of types) {
    it(`content-type ${type}`, async () => {
      const res = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: '{"name":"x"}', headers: { 'content-type': type } });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json).toMatchObject({ status: 415, code: 'request.unsupported_media_type' });
    });
  }

  it('application/json with a charset is accepted', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, method: 'POST', rawBody: '{"name":"x"}', headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(201);
  });
});
