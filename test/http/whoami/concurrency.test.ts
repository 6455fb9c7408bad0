import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../../helpers/server.js';

describe('GET /v1/whoami under concurrency', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('200 parallel requests with one key limited to 100 give exactly 100 × 200 and 100 × 429', async () => {
    const { key } = await server.gatehouse.apiKeys.create({ name: 'hot', rateLimit: { limit: 100, windowSeconds: 60 } });
    // The first requests all miss the cache at once: the limit must still hold exactly.
    const results = await Promise.all(Array.from({ length: 200 }, () => call(server, '/v1/whoami', { key })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100);
    const remaining = results.filter((r) => r.status === 200).map((r) => r.json.ratelimit.remaining as number).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const r of results.filter((x) => x.status === 429)) expect(r.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  });

  it('after the window, another burst again admits exactly the limit', async () => {
    const { key } = await server.gatehouse.apiKeys.create({ name: 'burst', rateLimit: { limit: 100, windowSeconds: 60 } });
    await Promise.all(Array.from({ length: 150 }, () => call(server, '/v1/whoami', { key })));
    server.clock.advanceSeconds(60);
    const results = await Promise.all(Array.from({ length: 200 }, () => call(server, '/v1/whoami', { key })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(100);
  });
});
