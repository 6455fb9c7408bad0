import { describe, expect, it } from 'vitest';
import { VerifiedKeyCache } from './cache.js';
import type { ApiKey, ApiKeyRecord } from './types.js';

function record(id: string, hash: string): ApiKeyRecord {
  return {
    id, hash, name: 'k', ownerId: null, metadata: {}, scopes: [], environment: 'live', prefix: 'gk_live', start: 'AbCd1234',
    createdAt: 0, updatedAt: 0, expiresAt: null, revokedAt: null, lastUsedAt: null, rateLimit: null, rotatedFromId: null, rotatedToId: null,
  };
}
const view = (r: ApiKeyRecord): ApiKey => {
  const { hash: _h, ...v } = r;
  return v;
};

describe('VerifiedKeyCache', () => {
  it('returns an entry until it reaches its maximum age', () => {
    const cache = new VerifiedKeyCache(10, 1000);
    const r = record('key_a', 'h1');
    cache.set(r, view(r), 5000);
    expect(cache.get('h1', 5999)?.record.id).toBe('key_a');
    expect(cache.get('h1', 6000)).toBeUndefined();
  });

  it('drops the oldest inserted entry when full', () => {
    const cache = new VerifiedKeyCache(2, 60_000);
    for (const [id, h] of [['key_a', 'h1'], ['key_b', 'h2'], ['key_c', 'h3']] as const) cache.set(record(id, h), view(record(id, h)), 0);
    expect(cache.get('h1', 1)).toBeUndefined();
    expect(cache.get('h3', 1)?.record.id).toBe('key_c');
    expect(cache.size).toBe(2);
  });

  it('deleteId drops the entry of that key', () => {
    const cache = new VerifiedKeyCache(10, 60_000);
    const r = record('key_a', 'h1');
    cache.set(r, view(r), 0);
    cache.deleteId('key_a');
    expect(cache.get('h1', 1)).toBeUndefined();
  });

  // Invariant: a storage read that started before a revocation never re-enters the cache after
  // the revocation invalidated it (otherwise the revoked key would verify until max age).
  it('does not keep a record read before an invalidation that happened during the read', () => {
    const cache = new VerifiedKeyCache(10, 60_000);
    const before = cache.generation;
    cache.deleteId('key_a'); // the revocation lands while the read is in flight
    const r = record('key_a', 'h1');
    const entry = cache.set(r, view(r), 0, before);
    expect(entry.record.id).toBe('key_a');
    expect(cache.get('h1', 1)).toBeUndefined();
    cache.set(r, view(r), 0, cache.generation);
    expect(cache.get('h1', 1)?.record.id).toBe('key_a');
  });
});
