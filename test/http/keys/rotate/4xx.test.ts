import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('POST /v1/keys/:id/rotate → 404 and 400', () => {
  let server: TestServer;
  let id: string;

  beforeAll(async () => {
    server = await startTestServer();
    id = (await server.gatehouse.apiKeys.create({ name: 'k' })).apiKey.id;
  });

  afterAll(async () => {
    await server.close();
  });

  it('404 for an unknown id', async () => {
    const res = await call(server, '/v1/keys/key_01ARZ3NDEKTSV4RRFFQ69G5FAV/rotate', { key: server.adminKey, body: {} });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(res.json.code).toBe('api_key.not_found');
  });

  const bodies: Array<[string, unknown]> = [
    ['negative grace', { grace_period_seconds: -1 }],
    ['fractional grace', { grace_period_seconds: 1.5 }],
    ['grace as a string', { grace_period_seconds: '3600' }],
    ['unknown field', { grace: 3600 }],
    ['expires_in_seconds 0', { expires_in_seconds: 0 }],
  ];

  for (const [name, body] of bodies) {
    it(`400: ${name}`, async () => {
      const res = await call(server, `/v1/keys/${id}/rotate`, { key: server.adminKey, body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json.code).toBe('request.invalid');
    });
  }

  it('the key was not rotated by any of them', async () => {
    const res = await call(server, `/v1/keys/${id}`, { key: server.adminKey });
    expect(res.json.rotated_to_id).toBeNull();
  });
});
