import type { Clock } from '../core/clock.js';
import type { OAuthClientStore } from './store.js';
import type { OAuthClientRecord } from './types.js';

/** Options of {@link cacheClientStore}. */
export interface ClientCacheOptions {
  clock: Clock;
  /** How long, in seconds, a client record read from storage is reused. 0 disables the cache. */
  maxAgeSeconds: number;
  /** Most records kept; when full, the oldest inserted is dropped. Default 10 000. */
  maxEntries?: number;
}

interface Entry {
  record: OAuthClientRecord;
  cachedAt: number;
}

/**
 * Wraps a client store with an in-process cache of `findById` results, so the token,
 * introspection and revocation endpoints do not read the client from storage on every
 * request. Changes made through this store (update, delete, secret rotation) drop the entry at
 * once; a change made by another process or instance is seen within `maxAgeSeconds` (the
 * entry is read again when older), the same bound as the API-key cache. Unknown client ids
 * are not cached. Records are shared, so callers must not mutate them (they do not).
 *
 * @example
 * const clients = cacheClientStore(createSqlOAuthClientStore(database), { clock, maxAgeSeconds: 1 });
 */
export function cacheClientStore(store: OAuthClientStore, options: ClientCacheOptions): OAuthClientStore {
  if (options.maxAgeSeconds <= 0) return store;
  const maxAgeMs = options.maxAgeSeconds * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();
  // Bumped by every local change: a read that started before a change must not cache what it read.
  let generation = 0;

  const forget = (id: string) => {
    generation++;
    entries.delete(id);
  };

  return {
    insert: (record) => store.insert(record),
    async findById(id) {
      const now = options.clock.now();
      const entry = entries.get(id);
      if (entry && now - entry.cachedAt < maxAgeMs && now >= entry.cachedAt) return entry.record;
      if (entry) entries.delete(id);
      const started = generation;
      const record = await store.findById(id);
      if (record && started === generation) {
        if (entries.size >= maxEntries) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
        entries.set(id, { record, cachedAt: now });
      }
      return record;
    },
    list: (listOptions) => store.list(listOptions),
    async update(id, patch, now) {
      forget(id);
      try {
        return await store.update(id, patch, now);
      } finally {
        forget(id);
      }
    },
    async delete(id) {
      forget(id);
      try {
        return await store.delete(id);
      } finally {
        forget(id);
      }
    },
  };
}
