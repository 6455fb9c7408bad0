import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../../../src/core/crypto/hash.js';
import { call, startTestServer, type TestServer } from '../../../helpers/server.js';

/** Every property name anywhere in a JSON value. */
function propertyNames(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) propertyNames(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      propertyNames(v, out);
    }
  }
  return out;
}

describe('GET /v1/keys → 200', () => {
  let server: TestServer;
  const rawKeys: string[] = [];
  const ids: string[] = [];
  let revokedId: string;

  beforeAll(async () => {
    server = await startTestServer();
    rawKeys.push(server.adminKey);
    for (let i = 0; i < 7; i++) {
      server.clock.advance(1000);
      const res = await call(server, '/v1/keys', { key: server.adminKey, body: { name: `k${i}`, owner_id: i % 2 === 0 ? 'even' : 'odd', metadata: { i } } });
      rawKeys.push(res.json.key);
      ids.push(res.json.id);
    }
    revokedId = ids[2]!;
    expect((await call(server, `/v1/keys/${revokedId}`, { key: server.adminKey, method: 'DELETE' })).status).toBe(200);
  });

  afterAll(async () => {
    await server.close();
  });

  function expectNoSecrets(text: string, json: unknown): void {
    for (const key of rawKeys) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hashSecret(key, undefined));
    }
    const names = propertyNames(json);
    expect(names.has('key')).toBe(false);
    expect(names.has('hash')).toBe(false);
  }

  it('lists active keys newest first, without raw keys or hashes', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey });
    expect(res.status).toBe(200);
    const listed = res.json.items.map((k: { id: string }) => k.id);
    const expected = [...ids].reverse().filter((id) => id !== revokedId);
    expect(listed).toEqual([...expected, server.adminId]);
    expect(res.json.next_cursor).toBeNull();
    expect(res.json.items[0]).toMatchObject({ name: 'k6', owner_id: 'even', metadata: { i: 6 }, revoked_at: null });
    expectNoSecrets(res.text, res.json);
  });

  it('paginates with limit and cursor until next_cursor is null, visiting every key once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '?limit=3' : `?limit=3&cursor=${cursor}`;
      const res = await call(server, `/v1/keys${query}`, { key: server.adminKey });
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(3);
      expectNoSecrets(res.text, res.json);
      seen.push(...res.json.items.map((k: { id: string }) => k.id));
      cursor = res.json.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).not.toContain(revokedId);
  });

  it('a page exactly filling the remaining keys ends with next_cursor null', async () => {
    const res = await call(server, '/v1/keys?limit=7', { key: server.adminKey });
    expect(res.json.items).toHaveLength(7);
    expect(res.json.next_cursor).toBeNull();
    const smaller = await call(server, '/v1/keys?limit=6', { key: server.adminKey });
    expect(smaller.json.next_cursor).toBe(smaller.json.items[5].id);
  });

  it('filters by owner_id', async () => {
    const res = await call(server, '/v1/keys?owner_id=odd', { key: server.adminKey });
    expect(res.json.items.map((k: { name: string }) => k.name)).toEqual(['k5', 'k3', 'k1']);
    const none = await call(server, '/v1/keys?owner_id=nobody', { key: server.adminKey });
    expect(none.json).toEqual({ items: [], next_cursor: null });
  });

  it('include_revoked=true adds revoked keys, with their revocation time', async () => {
    const res = await call(server, '/v1/keys?include_revoked=true&owner_id=even', { key: server.adminKey });
    expect(res.json.items.map((k: { name: string }) => k.name)).toEqual(['k6', 'k4', 'k2', 'k0']);
    const revoked = res.json.items.find((k: { id: string }) => k.id === revokedId);
    expect(revoked.revoked_at).not.toBeNull();
    expectNoSecrets(res.text, res.json);
    const without = await call(server, '/v1/keys?include_revoked=false&owner_id=even', { key: server.adminKey });
    expect(without.json.items).toHaveLength(3);
  });
});
