import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { Logger } from '../core/logger.js';
import type { CounterStore } from '../rate-limit/store.js';
import { createMemoryCounterStore } from '../storage/counters/memory.js';
import { defenseFixture } from '../../test/helpers/defense.js';

/**
 * Invariant: the defence fails closed. When the counters cannot be reached, `checkLogin`
 * rejects with `storage.unavailable` (503) instead of admitting an uncounted attempt; no
 * password is ever checked without its failure slot. A success whose slots cannot be given
 * back still succeeds (the slots stay counted, the safe direction) and is logged without
 * the identifier.
 */
describe('login fails closed when counters are down', () => {
  const down = (base: CounterStore, broken: Array<keyof CounterStore>): CounterStore => {
    const store = { ...base };
    for (const op of broken) {
      (store as Record<string, unknown>)[op] = () => Promise.reject(new GatehouseError('storage.unavailable', { detail: `counters.${op} failed` }));
    }
    return store;
  };

  it('checkLogin rejects with storage.unavailable when reserveSlot fails', async () => {
    const f = await defenseFixture({ counters: (clock) => down(createMemoryCounterStore({ clock }), ['reserveSlot']) });
    try {
      const err = await f.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatehouseError);
      expect((err as GatehouseError).code).toBe('storage.unavailable');
      expect((err as GatehouseError).status).toBe(503);
    } finally {
      await f.close();
    }
  });

  it('checkLogin with a valid device cookie also fails closed', async () => {
    let broken = false;
    const f = await defenseFixture({
      counters: (clock) => {
        const base = createMemoryCounterStore({ clock });
        return { ...base, reserveSlot: (req) => (broken ? Promise.reject(new GatehouseError('storage.unavailable')) : base.reserveSlot(req)) };
      },
    });
    try {
      const check = await f.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1' });
      if (!check.allowed) throw new Error('expected admission');
      const { deviceCookie } = await f.defense.recordSuccess(check.attempt, 'usr_alice');
      broken = true;
      await expect(f.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1', deviceCookie: deviceCookie.value })).rejects.toMatchObject({ code: 'storage.unavailable' });
    } finally {
      await f.close();
    }
  });

  it('recordSuccess still returns a device cookie when the slots cannot be released, and warns without the identifier', async () => {
    const warnings: Array<{ obj: object; msg: string | undefined }> = [];
    const logger: Logger = { info: () => undefined, error: () => undefined, warn: (obj, msg) => warnings.push({ obj, msg }) };
    const f = await defenseFixture({ logger, counters: (clock) => down(createMemoryCounterStore({ clock }), ['decrement']) });
    try {
      const check = await f.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1' });
      if (!check.allowed) throw new Error('expected admission');
      const { deviceCookie } = await f.defense.recordSuccess(check.attempt, 'usr_alice');
      expect(deviceCookie.value).toMatch(/^v1\./);
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).not.toContain('alice@');
    } finally {
      await f.close();
    }
  });
});
