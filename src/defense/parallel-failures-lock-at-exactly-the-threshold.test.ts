import { randomBytes } from 'node:crypto';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../core/clock.js';
import type { CounterStore } from '../rate-limit/store.js';
import { createMemoryCounterStore } from '../storage/counters/memory.js';
import { createRedisCounterStore } from '../storage/counters/redis.js';
import { defenseFixture, START, type DefenseFixture } from '../../test/helpers/defense.js';
import { identifierBucket } from './counter-keys.js';
import type { DefenseService } from './types.js';

/**
 * Invariant: counting is atomic. 50 parallel wrong-password attempts against one account
 * evaluate exactly `maxFailures` (10) passwords and lock the account at exactly that
 * threshold, never later, however the slow password check (argon2id) interleaves them, and
 * also when the attempts are spread over two instances sharing Redis counters. The classic
 * race (check the count, verify the password, then increment) would let every attempt that
 * passed the check before the first increment through; reserving the slot atomically
 * before verifying leaves no such gap. Exactly one lock event is emitted.
 */

/** Stands in for argon2id: the attempt yields to the event loop a random number of times. */
async function slowPasswordCheck(): Promise<void> {
  const turns = randomBytes(1)[0]! % 8;
  for (let i = 0; i < turns; i++) await yieldTurn();
}

async function attack(services: DefenseService[], identifier: string, count: number): Promise<{ evaluated: number; refused: number }> {
  let evaluated = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const defense = services[i % services.length]!;
      const check = await defense.checkLogin({ identifier, ip: `198.51.100.${i % 200}` });
      if (!check.allowed) {
        expect(check.reason).toBe('locked');
        refused++;
        return;
      }
      evaluated++;
      await slowPasswordCheck();
      await defense.recordFailure(check.attempt, 'wrong_password');
    }),
  );
  return { evaluated, refused };
}

async function expectLockedAtThreshold(fixtures: DefenseFixture[]): Promise<void> {
  const result = await attack(
    fixtures.map((x) => x.defense),
    'alice@example.com',
    50,
  );
  expect(result).toEqual({ evaluated: 10, refused: 40 });
  for (const x of fixtures) expect(await x.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1' })).toMatchObject({ allowed: false, reason: 'locked' });
  const events = fixtures.flatMap((x) => x.events);
  expect(events.filter((e) => e.type === 'account.lock')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'alert.raise')).toHaveLength(1);
}

describe('parallel failures lock at exactly the threshold', () => {
  it('memory counters: 50 parallel wrong passwords evaluate exactly 10 and lock', async () => {
    const f = await defenseFixture();
    try {
      await expectLockedAtThreshold([f]);
    } finally {
      await f.close();
    }
  });

  it('memory counters: repeated 20 times with fresh state, never more than 10 evaluated', async () => {
    for (let round = 0; round < 20; round++) {
      const f = await defenseFixture();
      try {
        expect((await attack([f.defense], `round${round}@example.com`, 50)).evaluated).toBe(10);
      } finally {
        await f.close();
      }
    }
  });

  it('successes racing failures: released slots are reused, and never more than 10 failures are evaluated', async () => {
    const clock = createManualClock(START);
    const counters = createMemoryCounterStore({ clock });
    const f = await defenseFixture({ clock, counters: () => counters });
    try {
      let evaluatedFailures = 0;
      await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const check = await f.defense.checkLogin({ identifier: 'bob@example.com', ip: '192.0.2.9' });
          if (!check.allowed) return;
          await slowPasswordCheck();
          // Every third admitted attempt is the real user with the right password.
          if (i % 3 === 0) await f.defense.recordSuccess(check.attempt, 'usr_bob');
          else {
            evaluatedFailures++;
            await f.defense.recordFailure(check.attempt, 'wrong_password');
          }
        }),
      );
      expect(evaluatedFailures).toBeLessThanOrEqual(10);
      // Every failure still holds its slot (the attempt that started the lock holds one more).
      const held = await f.counters.get(identifierBucket(f.defense.hashIdentifier('bob@example.com')).key);
      expect(held - evaluatedFailures).toBeGreaterThanOrEqual(0);
      expect(held - evaluatedFailures).toBeLessThanOrEqual(1);
    } finally {
      await f.close();
    }
  });

  const url = process.env.GATEHOUSE_TEST_REDIS_URL;
  const prefixes: string[] = [];
  afterAll(async () => {
    if (!url || prefixes.length === 0) return;
    const admin = new Redis(url);
    try {
      for (const prefix of prefixes) {
        let cursor = '0';
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await admin.del(...keys);
        } while (cursor !== '0');
      }
    } finally {
      admin.disconnect();
    }
  });

  it.skipIf(!url)(`Redis counters, two instances: 50 parallel wrong passwords evaluate exactly 10 and lock${url ? '' : ' (skipped: GATEHOUSE_TEST_REDIS_URL is not set)'}`, async () => {
    const clock: ManualClock = createManualClock(START);
    const keyPrefix = `gh_test_${randomBytes(6).toString('hex')}:`;
    prefixes.push(keyPrefix);
    const open = (): Promise<CounterStore> => createRedisCounterStore({ url: url!, clock, keyPrefix });
    const a = await defenseFixture({ clock, counters: open });
    const b = await defenseFixture({ clock, counters: open });
    try {
      await expectLockedAtThreshold([a, b]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
