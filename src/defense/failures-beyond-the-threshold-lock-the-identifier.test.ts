import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defenseFixture, failOnce, START, succeedOnce, type DefenseFixture } from '../../test/helpers/defense.js';

/**
 * Invariant: within one window (default 60 s from the first failure) at most `maxFailures`
 * (default 10) login attempts for one identifier are ever evaluated; the next attempt, the
 * 11th failure, is refused without evaluation and locks the identifier for
 * `durationSeconds` (default 15 min), during which every attempt, with any password, is
 * refused. Failures are counted per normalised identifier whether or not an account exists,
 * a success gives its own slot back, and windows and locks end exactly on time.
 */
describe('failures beyond the threshold lock the identifier', () => {
  let f: DefenseFixture;
  const ip = '192.0.2.10';

  beforeEach(async () => {
    f = await defenseFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  it('evaluates exactly 10 attempts; the 11th is refused and locks for 15 minutes', async () => {
    const outcomes = [];
    for (let i = 0; i < 11; i++) outcomes.push(await failOnce(f.defense, 'alice@example.com', ip));
    expect(outcomes).toEqual([...Array<string>(10).fill('evaluated'), 'locked']);
    const locked = await f.defense.checkLogin({ identifier: 'alice@example.com', ip });
    expect(locked).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 900 });
  });

  it('does not lock before the threshold: after 9 failures the 10th attempt is evaluated and may succeed', async () => {
    for (let i = 0; i < 9; i++) expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('evaluated');
    expect(await succeedOnce(f.defense, 'alice@example.com', ip, 'usr_alice')).toMatch(/^v1\./);
  });

  it('refuses a correct password while locked, and admits again exactly when the lock ends', async () => {
    for (let i = 0; i < 11; i++) await failOnce(f.defense, 'alice@example.com', ip);
    f.clock.advance(15 * 60_000 - 1);
    expect(await succeedOnce(f.defense, 'alice@example.com', ip, 'usr_alice')).toBe('locked');
    const last = await f.defense.checkLogin({ identifier: 'alice@example.com', ip });
    expect(last).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 1 });
    f.clock.advance(1);
    expect(await succeedOnce(f.defense, 'alice@example.com', ip, 'usr_alice')).toMatch(/^v1\./);
  });

  it('Retry-After counts down with the clock', async () => {
    for (let i = 0; i < 11; i++) await failOnce(f.defense, 'alice@example.com', ip);
    f.clock.advance(600_000);
    expect(await f.defense.checkLogin({ identifier: 'alice@example.com', ip })).toMatchObject({ reason: 'locked', retryAfterSeconds: 300 });
    f.clock.advance(299_500);
    expect(await f.defense.checkLogin({ identifier: 'alice@example.com', ip })).toMatchObject({ reason: 'locked', retryAfterSeconds: 1 });
  });

  it('forgets failures when the window expires: 10 failures, 60 s later 10 more are evaluated', async () => {
    for (let i = 0; i < 10; i++) expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('evaluated');
    f.clock.advance(59_999);
    // Still inside the window (it starts at the first failure).
    const check = await f.defense.checkLogin({ identifier: 'alice@example.com', ip });
    expect(check).toMatchObject({ allowed: false, reason: 'locked' });
    const other = await defenseFixture();
    try {
      for (let i = 0; i < 10; i++) expect(await failOnce(other.defense, 'bob@example.com', ip)).toBe('evaluated');
      other.clock.advance(60_000);
      for (let i = 0; i < 10; i++) expect(await failOnce(other.defense, 'bob@example.com', ip)).toBe('evaluated');
      expect(await failOnce(other.defense, 'bob@example.com', ip)).toBe('locked');
    } finally {
      await other.close();
    }
  });

  it('the window runs from the first failure: failures spread over 59 s still lock', async () => {
    for (let i = 0; i < 10; i++) {
      expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('evaluated');
      f.clock.advance(5_900);
    }
    expect(f.clock.now() - START).toBe(59_000);
    expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('locked');
  });

  it('a success gives its slot back: with 5 failures, a success and 5 more failures, only the next attempt locks', async () => {
    for (let i = 0; i < 5; i++) await failOnce(f.defense, 'alice@example.com', ip);
    expect(await succeedOnce(f.defense, 'alice@example.com', ip, 'usr_alice')).toMatch(/^v1\./);
    for (let i = 0; i < 5; i++) expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('evaluated');
    // 10 failures are now counted: the next attempt locks.
    expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('locked');
  });

  it('a success does not reset the failures of others: it releases one slot only', async () => {
    for (let i = 0; i < 9; i++) await failOnce(f.defense, 'alice@example.com', ip);
    expect(await succeedOnce(f.defense, 'alice@example.com', ip, 'usr_alice')).toMatch(/^v1\./);
    expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('evaluated');
    expect(await failOnce(f.defense, 'alice@example.com', ip)).toBe('locked');
  });

  it('counts every spelling of one address in one bucket (trim, NFKC, lower case)', async () => {
    const spellings = ['alice@example.com', ' Alice@Example.com', 'ALICE@EXAMPLE.COM ', 'ａｌｉｃｅ@example.com', '\u3000alice@example.com'];
    for (let i = 0; i < 10; i++) expect(await failOnce(f.defense, spellings[i % spellings.length]!, ip)).toBe('evaluated');
    expect(await failOnce(f.defense, 'alice@EXAMPLE.com', ip)).toBe('locked');
  });

  it('keeps identifiers apart: locking one leaves another untouched', async () => {
    for (let i = 0; i < 11; i++) await failOnce(f.defense, 'alice@example.com', ip);
    expect(await failOnce(f.defense, 'bob@example.com', ip)).toBe('evaluated');
  });

  it('locks identifiers with no account exactly like existing ones (it never looks accounts up)', async () => {
    const outcomes = [];
    for (let i = 0; i < 11; i++) outcomes.push(await failOnce(f.defense, 'nobody-here@example.com', ip));
    expect(outcomes.filter((o) => o === 'evaluated')).toHaveLength(10);
    expect(outcomes[10]).toBe('locked');
  });

  it('emits one account.lock and one alert.raise per lock, naming the identifier only by its keyed hash', async () => {
    for (let i = 0; i < 15; i++) await failOnce(f.defense, 'Alice@Example.com', ip);
    const hash = f.defense.hashIdentifier('alice@example.com');
    expect(hash).toMatch(/^idh_[0-9a-f]{32}$/);
    const locks = f.events.filter((e) => e.type === 'account.lock');
    const alerts = f.events.filter((e) => e.type === 'alert.raise');
    expect(locks).toHaveLength(1);
    expect(alerts).toHaveLength(1);
    expect(locks[0]).toMatchObject({
      outcome: 'success',
      reason: 'too_many_failures',
      severity: 'high',
      target: { type: 'login_identifier', id: hash },
      details: { bucket: 'identifier', identifier_hash: hash, max_failures: 10, window_seconds: 60, lock_seconds: 900, locked_until: '2026-01-01T00:15:00.000Z' },
    });
    expect(alerts[0]).toMatchObject({ outcome: 'failure', reason: 'brute_force', severity: 'high', target: { type: 'login_identifier', id: hash } });
    expect(JSON.stringify(f.events).toLowerCase()).not.toContain('alice');
  });

  it('honours configured limits', async () => {
    const strict = await defenseFixture({ config: { lockout: { maxFailures: 3, windowSeconds: 10, durationSeconds: 30 } } });
    try {
      const outcomes = [];
      for (let i = 0; i < 4; i++) outcomes.push(await failOnce(strict.defense, 'carol@example.com', ip));
      expect(outcomes).toEqual(['evaluated', 'evaluated', 'evaluated', 'locked']);
      expect(await strict.defense.checkLogin({ identifier: 'carol@example.com', ip })).toMatchObject({ retryAfterSeconds: 30 });
      strict.clock.advance(30_000);
      expect(await failOnce(strict.defense, 'carol@example.com', ip)).toBe('evaluated');
    } finally {
      await strict.close();
    }
  });
});
