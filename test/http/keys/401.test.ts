import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/api-keys/format.js';
import { secureRandom } from '../../../src/core/crypto/random.js';
import { call, PROBLEM_JSON, startTestServer, type TestServer } from '../../helpers/server.js';

describe('management and verify endpoints → 401 without a valid key', () => {
  let server: TestServer;
  let targetId: string;
  let reference: string;

  beforeAll(async () => {
    server = await startTestServer();
    targetId = (await server.gatehouse.apiKeys.create({ name: 'target' })).apiKey.id;
    reference = (await call(server, '/v1/whoami')).text;
  });

  afterAll(async () => {
    await server.close();
  });

  const endpoints: Array<[string, string, unknown]> = [
    ['POST', '/v1/keys', { name: 'x' }],
    ['GET', '/v1/keys', undefined],
    ['GET', '/v1/keys/{id}', undefined],
    ['PATCH', '/v1/keys/{id}', { name: 'x' }],
    ['POST', '/v1/keys/{id}/rotate', {}],
    ['DELETE', '/v1/keys/{id}', undefined],
    ['POST', '/v1/keys/verify', { key: 'gk_live_x' }],
  ];

  for (const [method, path, body] of endpoints) {
    it(`${method} ${path} without a key`, async () => {
      const res = await call(server, path.replace('{id}', targetId), { method, ...(body !== undefined ? { body } : {}) });
      expect(res.status).toBe(401);
      expect(res.text).toBe(reference);
      expect(res.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    });
    it(`${method} ${path} with an unknown key`, async () => {
      const res = await call(server, path.replace('{id}', targetId), { method, key: generateApiKey('gk_live', secureRandom).key, ...(body !== undefined ? { body } : {}) });
      expect(res.status).toBe(401);
      expect(res.text).toBe(reference);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });
  }

  // Authentication comes before input validation: an unauthenticated caller learns nothing
  // about the request schema and cannot reach the validators.
  const invalidInputs: Array<[string, string, unknown]> = [
    ['POST', '/v1/keys', { nam: 'x', unknown: true }],
    ['PATCH', '/v1/keys/{id}', {}],
    ['POST', '/v1/keys/{id}/rotate', { grace_period_seconds: -1 }],
    ['GET', `/v1/keys/${'x'.repeat(100)}`, undefined],
    ['GET', '/v1/keys?limit=abc', undefined],
    ['POST', '/v1/keys/verify', {}],
  ];

  for (const [method, path, body] of invalidInputs) {
    it(`${method} ${path.slice(0, 40)} with invalid input and no key → 401, not 400`, async () => {
      const res = await call(server, path.replace('{id}', targetId), { method, ...(body !== undefined ? { body } : {}) });
      expect(res.status).toBe(401);
      expect(res.text).toBe(reference);
    });
  }

  it('a non-admin key with invalid input → 403, not 400', async () => {
    const plain = await server.gatehouse.apiKeys.create({ name: 'plain' });
    const res = await call(server, '/v1/keys', { key: plain.key, body: { unknown: true } });
    expect(res.status).toBe(403);
  });
});
