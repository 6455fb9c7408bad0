/**
 * One black-box suite for every example app (Fastify, Express): the example is built on an
 * ephemeral port and exercised over real HTTP, first with Gatehouse in process, then with a
 * remote verifier against Gatehouse's real server.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildServer,
  createGatehouse,
  createMemoryAuditLog,
  generateApiKey,
  secureRandom,
  systemClock,
  type Gatehouse,
} from '../../src/index.js';
import { createRemoteApiKeyVerifier, type ApiKeyVerifier } from '../../src/middleware/fastify.js';

/** A listening example app. */
export interface RunningExample {
  url: string;
  close(): Promise<void>;
}

/** Builds the example app with this verifier and listens on 127.0.0.1, port 0. */
export type StartExample = (verifier: ApiKeyVerifier) => Promise<RunningExample>;

/** Gatehouse in process on an in-memory SQLite database, events kept in memory. */
export function memoryGatehouse(): Promise<Gatehouse> {
  return createGatehouse({
    config: { database: { url: 'sqlite::memory:' }, apiKeys: { bootstrapAdminKey: false } },
    audit: createMemoryAuditLog({ clock: systemClock }),
  });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

export function describeExampleApi(name: string, start: StartExample): void {
  describe(`${name} example, Gatehouse in process`, () => {
    let gatehouse: Gatehouse;
    let example: RunningExample;

    beforeAll(async () => {
      gatehouse = await memoryGatehouse();
      example = await start(gatehouse.apiKeys);
    });

    afterAll(async () => {
      await example?.close();
      await gatehouse?.close();
    });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(example.url + path, { headers });

    it('serves the public route without a key', async () => {
      const response = await get('/');
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({ service: 'orders-api' });
    });

    it('answers 401 with a bare Bearer challenge when the key is missing', async () => {
      const response = await get('/me');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await json(response)).toMatchObject({ status: 401, code: 'api_key.invalid' });
    });

    it('answers 401 invalid_token for an unknown or malformed key, with the same body', async () => {
      const unknown = await get('/me', bearer(generateApiKey('gk_live', secureRandom).key));
      const malformed = await get('/me', { 'x-api-key': 'not-a-key' });
      for (const response of [unknown, malformed]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
      }
      expect(await unknown.text()).toBe(await malformed.text());
    });

    it('lets a valid key through and exposes the verified identity', async () => {
      const { key, apiKey } = await gatehouse.apiKeys.create({ name: 'alice laptop', ownerId: 'user_alice', metadata: { team: 'a' } });
      for (const headers of [bearer(key), { 'x-api-key': key }]) {
        const response = await get('/me', headers);
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit')).toMatch(/^"api_key";r=\d+;t=\d+$/);
        expect(response.headers.get('ratelimit-policy')).toBe('"api_key";q=100;w=60');
        const body = await json(response);
        expect(body).toMatchObject({ key_id: apiKey.id, name: 'alice laptop', owner_id: 'user_alice', scopes: [], metadata: { team: 'a' } });
        expect(JSON.stringify(body)).not.toContain(key);
      }
    });

    it('answers 403 insufficient_scope when the key lacks the route scope', async () => {
      const { key } = await gatehouse.apiKeys.create({ name: 'no scopes', ownerId: 'user_bob' });
      const response = await get('/orders', bearer(key));
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="insufficient_scope", scope="orders:read"');
      expect(await json(response)).toMatchObject({ status: 403, code: 'auth.insufficient_scope', scope: 'orders:read' });
    });

    it('checks the scope of each route: orders:read lists, orders:write creates', async () => {
      const reader = await gatehouse.apiKeys.create({ name: 'reader', ownerId: 'user_carol', scopes: ['orders:read'] });
      const writer = await gatehouse.apiKeys.create({ name: 'writer', ownerId: 'user_carol', scopes: ['orders:read', 'orders:write'] });
      const post = (key: string) =>
        fetch(`${example.url}/orders`, {
          method: 'POST',
          headers: { ...bearer(key), 'content-type': 'application/json' },
          body: JSON.stringify({ item: 'book', quantity: 2 }),
        });

      const refused = await post(reader.key);
      expect(refused.status).toBe(403);
      expect(await json(refused)).toMatchObject({ code: 'auth.insufficient_scope', scope: 'orders:write' });

      const created = await post(writer.key);
      expect(created.status).toBe(201);
      expect(await json(created)).toMatchObject({ owner_id: 'user_carol', item: 'book', quantity: 2 });

      const listed = await get('/orders', bearer(reader.key));
      expect(listed.status).toBe(200);
      const body = (await listed.json()) as { items: Array<{ owner_id: string; item: string }> };
      expect(body.items).toEqual([expect.objectContaining({ owner_id: 'user_carol', item: 'book' })]);
    });

    it('answers 429 with Retry-After once a key with limit 2 is used a third time', async () => {
      const { key } = await gatehouse.apiKeys.create({ name: 'limited', ownerId: 'user_dan', rateLimit: { limit: 2, windowSeconds: 60 } });
      const first = await get('/me', bearer(key));
      const second = await get('/me', bearer(key));
      const third = await get('/me', bearer(key));
      expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
      expect(second.headers.get('ratelimit')).toMatch(/^"api_key";r=0;t=\d+$/);
      const retryAfter = Number(third.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(third.headers.get('ratelimit-policy')).toBe('"api_key";q=2;w=60');
      expect(await json(third)).toMatchObject({ status: 429, code: 'rate_limit.exceeded' });
    });

    it('refuses a key on the next request after it is revoked', async () => {
      const { key, apiKey } = await gatehouse.apiKeys.create({ name: 'to revoke', ownerId: 'user_erin' });
      expect((await get('/me', bearer(key))).status).toBe(200);
      await gatehouse.apiKeys.revoke(apiKey.id);
      const response = await get('/me', bearer(key));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });
  });

  describe(`${name} example, remote verifier against a Gatehouse server`, () => {
    let gatehouse: Gatehouse;
    let server: FastifyInstance;
    let serverStopped = false;
    let example: RunningExample;

    beforeAll(async () => {
      gatehouse = await memoryGatehouse();
      server = await buildServer({ gatehouse });
      const serverUrl = await server.listen({ host: '127.0.0.1', port: 0 });
      const service = await gatehouse.apiKeys.create({
        name: 'orders-api verifier',
        scopes: ['keys:verify'],
        rateLimit: { limit: 10_000, windowSeconds: 60 },
      });
      example = await start(createRemoteApiKeyVerifier({ baseUrl: serverUrl, apiKey: service.key, timeoutMs: 5000 }));
    });

    afterAll(async () => {
      await example?.close();
      if (!serverStopped) await server?.close();
      await gatehouse?.close();
    });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(example.url + path, { headers });

    it('accepts a valid key and exposes its identity', async () => {
      const { key, apiKey } = await gatehouse.apiKeys.create({ name: 'remote user', ownerId: 'user_remote', scopes: ['orders:read'] });
      const me = await get('/me', bearer(key));
      expect(me.status).toBe(200);
      expect(await json(me)).toMatchObject({ key_id: apiKey.id, owner_id: 'user_remote', scopes: ['orders:read'] });
      expect((await get('/orders', bearer(key))).status).toBe(200);
    });

    it('maps missing scope to 403 and an exhausted limit to 429 with Retry-After', async () => {
      const { key } = await gatehouse.apiKeys.create({ name: 'remote limited', ownerId: 'user_remote', rateLimit: { limit: 2, windowSeconds: 60 } });
      const forbidden = await get('/orders', bearer(key));
      expect(forbidden.status).toBe(403);
      expect(await json(forbidden)).toMatchObject({ code: 'auth.insufficient_scope' });
      // The 403 consumed no unit of the limit: scopes are checked first.
      const statuses = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i++) {
        last = await get('/me', bearer(key));
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    });

    it('refuses a revoked key with 401', async () => {
      const { key, apiKey } = await gatehouse.apiKeys.create({ name: 'remote revoked', ownerId: 'user_remote' });
      expect((await get('/me', bearer(key))).status).toBe(200);
      await gatehouse.apiKeys.revoke(apiKey.id);
      const response = await get('/me', bearer(key));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });

    it('fails closed with 503 when the Gatehouse server is down, never 200', async () => {
      const { key } = await gatehouse.apiKeys.create({ name: 'remote while down', ownerId: 'user_remote' });
      expect((await get('/me', bearer(key))).status).toBe(200);
      await server.close();
      serverStopped = true;
      for (let i = 0; i < 3; i++) {
        const response = await get('/me', bearer(key));
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        const body = await json(response);
        expect(body).toMatchObject({ status: 503, code: 'auth.verifier_unavailable' });
        expect(JSON.stringify(body)).not.toContain(key);
      }
      // The public route does not depend on Gatehouse.
      expect((await get('/')).status).toBe(200);
    });
  });
}
