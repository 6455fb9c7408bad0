import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('POST /v1/keys/verify under concurrency', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('200 parallel verifications of one key with a limit of 100 allow exactly 100', async () => {
    const { key, apiKey } = await server.gatehouse.apiKeys.create({ name: 'hot', rateLimit: { limit: 100, windowSeconds: 60 } });
    const results = await Promise.all(Array.from({ length: 200 }, () => call(server, '/v1/keys/verify', { key: server.adminKey, body: { key } })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const valid = results.filter((r) => r.json.valid === true);
    const limited = results.filter((r) => r.json.valid === false && r.json.code === 'RATE_LIMITED');
    expect(valid).toHaveLength(100);
    expect(limited).toHaveLength(100);
    const remaining = valid.map((r) => r.json.ratelimit.remaining as number).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const events = server.events.filter((e) => e.type === 'api_key.verify' && e.credential?.id === apiKey.id);
    expect(events.filter((e) => e.outcome === 'success')).toHaveLength(100);
    expect(events.filter((e) => e.reason === 'rate_limited')).toHaveLength(100);
  });
});
