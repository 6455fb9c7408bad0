import type { ApiKey, ApiKeyRecord } from './types.js';

/** A cached verified key: the record, its public view and its frozen audit-event parts. */
export interface CachedKey {
  record: ApiKeyRecord;
  view: ApiKey;
  /** `credential` of this key's events (frozen, so the audit log serialises it once). */
  credential: Readonly<{ kind: 'api_key'; id: string; prefix: string }>;
  /** `actor` of this key's verify events (frozen). */
  actor: Readonly<{ type: 'api_key'; id: string }>;
  /** The key's rate-limit counter key (`rl:api_key:<id>`), built once. */
  rateLimitKey: string;
  /** When the record was read from storage, epoch milliseconds. */
  cachedAt: number;
}

/** Builds a cache entry (also used uncached when the cache is disabled). */
export function makeCachedKey(record: ApiKeyRecord, view: ApiKey, cachedAt: number): CachedKey {
  return {
    record,
    view,
    cachedAt,
    rateLimitKey: `rl:api_key:${record.id}`,
    credential: Object.freeze({ kind: 'api_key' as const, id: record.id, prefix: `${record.prefix}_${record.start}` }),
    actor: Object.freeze({ type: 'api_key' as const, id: record.id }),
  };
}

/**
 * In-process cache of verified key records, keyed by the hash of the secret. Only keys
 * found in storage are cached (never misses). Entries are dropped at once by in-process
 * changes (revoke, rotate, update) and, through the store's change feed, by changes from
 * other processes. An entry older than `maxAgeMs` is read again, which bounds how long a
 * change on another instance can go unseen if its notification is lost. Expiry is checked
 * on every verification, not cached. When full, the oldest inserted entry is dropped.
 */
export class VerifiedKeyCache {
  private readonly byHash = new Map<string, CachedKey>();
  /**
   * Bumped by every invalidation. A lookup that started before an invalidation must not put
   * what it read into the cache: the read may predate the change (a revocation racing a miss).
   */
  private invalidations = 0;
  private readonly hashById = new Map<string, string>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  /** The entry for `hash` if present and younger than the maximum age at `now` (epoch ms). */
  get(hash: string, now: number): CachedKey | undefined {
    const entry = this.byHash.get(hash);
    if (entry === undefined) return undefined;
    if (now - entry.cachedAt >= this.maxAgeMs || now < entry.cachedAt) {
      this.deleteHash(hash);
      return undefined;
    }
    return entry;
  }

  /** The invalidation generation, to pass back to {@link set}. */
  get generation(): number {
    return this.invalidations;
  }

  /**
   * Caches a record read from storage. When an invalidation happened since `generation` was
   * taken (before the read), the entry is returned but not kept.
   */
  set(record: ApiKeyRecord, view: ApiKey, now: number, generation: number = this.invalidations): CachedKey {
    if (generation !== this.invalidations) return makeCachedKey(record, view, now);
    if (this.byHash.size >= this.maxEntries) {
      const oldest = this.byHash.keys().next();
      if (!oldest.done) this.deleteHash(oldest.value);
    }
    const entry = makeCachedKey(record, view, now);
    this.byHash.set(record.hash, entry);
    this.hashById.set(record.id, record.hash);
    return entry;
  }

  deleteId(id: string): void {
    this.invalidations++;
    const hash = this.hashById.get(id);
    if (hash !== undefined) this.deleteHash(hash);
  }

  clear(): void {
    this.invalidations++;
    this.byHash.clear();
    this.hashById.clear();
  }

  get size(): number {
    return this.byHash.size;
  }

  private deleteHash(hash: string): void {
    const entry = this.byHash.get(hash);
    this.byHash.delete(hash);
    if (entry) this.hashById.delete(entry.record.id);
  }
}
