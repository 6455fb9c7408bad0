import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../../helpers/server.js';

describe('PATCH /v1/keys/:id → 400', () => {
  let server: TestServer;
  let id: string;

  beforeAll(async () => {
    server = await startTestServer();
    id = (await server.gatehouse.apiKeys.create({ name: 'target', scopes: ['a'] })).apiKey.id;
  });

  afterAll(async () => {
    await server.close();
  });

  const bodies: Array<[string, unknown]> = [
    ['empty object', {}],
    ['unknown field', { name: 'x', owner_id: 'someone' }],
    ['name empty', { name: '' }],
    ['scopes not an array', { scopes: 'a' }],
    ['bad scope', { scopes: ['a b'] }],
    ['metadata over 4 KiB', { metadata: { blob: 'x'.repeat(4100) } }],
    ['rate_limit out of range', { rate_limit: { limit: 0, window_seconds: 60 } }],
    ['expires_in_seconds 0', { expires_in_seconds: 0 }],
    ['expires_at not a date', { expires_at: 'tomorrow' }],
    ['expires_at in the past', { expires_at: '2020-01-01T00:00:00Z' }],
    ['expires_at now', { expires_at: '2026-01-01T00:00:00.000Z' }],
    ['both expiry forms', { expires_at: '2030-01-01T00:00:00Z', expires_in_seconds: 60 }],
    ['body null', null],
  ];

  for (const [name, body] of bodies) {
    it(name, async () => {
      const res = await call(server, `/v1/keys/${id}`, { key: server.adminKey, method: 'PATCH', rawBody: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.json).toMatchObject({ status: 400, code: 'request.invalid' });
    });
  }

  it('malformed JSON', async () => {
    const res = await call(server, `/v1/keys/${id}`, { key: server.adminKey, method: 'PATCH', rawBody: '{', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('request.malformed_body');
  });

  it('the key is unchanged after all of that', async () => {
    const res = await call(server, `/v1/keys/${id}`, { key: server.adminKey });
    expect(res.json).toMatchObject({ name: 'target', scopes: ['a'], metadata: {}, expires_at: null, rate_limit: null, updated_at: res.json.created_at });
    expect(server.events.filter((e) => e.type === 'api_key.update')).toHaveLength(0);
  });
});
