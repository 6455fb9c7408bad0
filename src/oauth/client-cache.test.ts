import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import { cacheClientStore } from './client-cache.js';
import type { OAuthClientStore } from './store.js';
import type { OAuthClientRecord } from './types.js';

/** A store counting reads, over a map; `delay` lets a test interleave a change with a read. */
function countingStore(): { store: OAuthClientStore; reads: () => number; rows: Map<string, OAuthClientRecord>; hold: (p: Promise<void>) => void } {
  const rows = new Map<string, OAuthClientRecord>();
  let reads = 0;
  let gate: Promise<void> | undefined;
  const store: OAuthClientStore = {
    insert: (r) => {
      rows.set(r.id, r);
      return Promise.resolve();
    },
    async findById(id) {
      reads++;
      const row = rows.get(id) ?? null;
      if (gate) await gate;
      return row;
    },
    list: () => Promise.resolve({ items: [...rows.values()], nextCursor: null }),
    update(id, patch) {
      const row = rows.get(id);
      if (!row) return Promise.resolve(null);
      const next = { ...row, ...patch };
      rows.set(id, next);
      return Promise.resolve(next);
    },
    delete(id) {
      const row = rows.get(id) ?? null;
      rows.delete(id);
      return Promise.resolve(row);
    },
  };
  return {
    store,
    reads: () => reads,
    rows,
    hold: (p) => {
      gate = p;
    },
  };
}

const client = (id: string, name = 'a') => ({ id, name }) as unknown as OAuthClientRecord;

describe('cacheClientStore', () => {
  it('reads a client once per max age, then again', async () => {
    const clock = createManualClock(1_000_000);
    const s = countingStore();
    s.rows.set('cli_1', client('cli_1'));
    const cached = cacheClientStore(s.store, { clock, maxAgeSeconds: 1 });
    await cached.findById('cli_1');
    await cached.findById('cli_1');
    expect(s.reads()).toBe(1);
    clock.advance(999);
    await cached.findById('cli_1');
    expect(s.reads()).toBe(1);
    clock.advance(1);
    await cached.findById('cli_1');
    expect(s.reads()).toBe(2);
  });

  it('does not cache unknown ids', async () => {
    const s = countingStore();
    const cached = cacheClientStore(s.store, { clock: createManualClock(0), maxAgeSeconds: 1 });
    expect(await cached.findById('cli_x')).toBeNull();
    s.rows.set('cli_x', client('cli_x'));
    expect(await cached.findById('cli_x')).not.toBeNull();
  });

  it('a delete or update through it applies at once (a deleted client is never served from the cache)', async () => {
    const s = countingStore();
    s.rows.set('cli_1', client('cli_1', 'old'));
    const cached = cacheClientStore(s.store, { clock: createManualClock(0), maxAgeSeconds: 60 });
    await cached.findById('cli_1');
    await cached.update('cli_1', { name: 'new' }, 1);
    expect((await cached.findById('cli_1'))?.name).toBe('new');
    await cached.delete('cli_1');
    expect(await cached.findById('cli_1')).toBeNull();
  });

  it('a read racing a local change does not cache what it read before the change', async () => {
    const s = countingStore();
    s.rows.set('cli_1', client('cli_1', 'old'));
    const cached = cacheClientStore(s.store, { clock: createManualClock(0), maxAgeSeconds: 60 });
    let release!: () => void;
    s.hold(new Promise<void>((r) => (release = r)));
    const racing = cached.findById('cli_1');
    const deleting = cached.delete('cli_1');
    release();
    expect((await racing)?.name).toBe('old');
    await deleting;
    s.hold(Promise.resolve());
    expect(await cached.findById('cli_1')).toBeNull();
  });

  it('maxAgeSeconds 0 is the store itself', () => {
    const s = countingStore();
    expect(cacheClientStore(s.store, { clock: createManualClock(0), maxAgeSeconds: 0 })).toBe(s.store);
  });
});
