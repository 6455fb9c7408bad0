import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defenseFixture, failOnce, succeedOnce, type DefenseFixture } from '../../test/helpers/defense.js';

/**
 * Invariant (credential stuffing): within one window (default 60 s) at most
 * `ipThrottle.maxFailures` (default 500) login attempts from one client address are ever
 * evaluated, across any identifiers; the next attempt, the 501st failure, is refused with
 * `ip_throttled` and a Retry-After, and the address stays throttled for `durationSeconds`.
 * IPv6 clients are counted per /64, IPv4-mapped IPv6 as IPv4, so rotating through one's own
 * addresses does not escape. Other addresses are unaffected.
 */
describe('failures from one address beyond the limit throttle it', () => {
  let f: DefenseFixture;

  beforeEach(async () => {
    f = await defenseFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  /** `count` failures from `ip`, over 50 identifiers (never enough per identifier to lock one). */
  async function spray(ip: string, count: number, offset = 0): Promise<string[]> {
    const outcomes: string[] = [];
    for (let i = offset; i < offset + count; i++) outcomes.push(await failOnce(f.defense, `user${i % 50}-${Math.floor(i / 50)}@example.com`, ip));
    return outcomes;
  }

  it('evaluates 500 failures across many accounts; the 501st is throttled with Retry-After, and not before', async () => {
    const outcomes = await spray('198.51.100.7', 500);
    expect(outcomes.every((o) => o === 'evaluated')).toBe(true);
    const check = await f.defense.checkLogin({ identifier: 'fresh@example.com', ip: '198.51.100.7' });
    expect(check).toEqual({
      allowed: false,
      reason: 'ip_throttled',
      retryAfterSeconds: 900,
      rateLimit: { policy: 'login_ip', limit: 500, remaining: 0, resetSeconds: 900, windowSeconds: 60 },
    });
  });

  it('stays throttled for the configured time, then admits again', async () => {
    await spray('198.51.100.7', 501);
    f.clock.advance(900_000 - 1);
    expect(await f.defense.checkLogin({ identifier: 'fresh@example.com', ip: '198.51.100.7' })).toMatchObject({ reason: 'ip_throttled', retryAfterSeconds: 1 });
    f.clock.advance(1);
    expect(await succeedOnce(f.defense, 'fresh@example.com', '198.51.100.7', 'usr_fresh')).toMatch(/^v1\./);
  });

  it('forgets failures after the window: 500, then 60 s later 500 more are evaluated', async () => {
    expect((await spray('198.51.100.7', 500)).every((o) => o === 'evaluated')).toBe(true);
    f.clock.advance(60_000);
    expect((await spray('198.51.100.7', 500, 500)).every((o) => o === 'evaluated')).toBe(true);
  });

  it('throttling one address leaves others alone', async () => {
    await spray('198.51.100.7', 501);
    expect(await failOnce(f.defense, 'someone@example.com', '198.51.100.8')).toBe('evaluated');
  });

  it('counts an IPv6 /64 as one client and an IPv4-mapped address as its IPv4 address', async () => {
    const limited = await defenseFixture({ config: { ipThrottle: { maxFailures: 4 } } });
    try {
      const outcomes = [];
      for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:DB8:1:2:0:0:0:abc', '2001:db8:1:2::1%eth0', '2001:db8:1:2::2'])
        outcomes.push(await failOnce(limited.defense, `x${outcomes.length}@example.com`, ip));
      expect(outcomes).toEqual(['evaluated', 'evaluated', 'evaluated', 'evaluated', 'ip_throttled']);
      expect(await failOnce(limited.defense, 'y@example.com', '2001:db8:1:3::1')).toBe('evaluated');
      for (const ip of ['192.0.2.1', '::ffff:192.0.2.1', '192.0.2.1', '::ffff:c000:201']) await failOnce(limited.defense, `z${ip}@example.com`, ip);
      expect(await failOnce(limited.defense, 'w@example.com', '192.0.2.1')).toBe('ip_throttled');
    } finally {
      await limited.close();
    }
  });

  it('attempts refused by an account lock still count against the address', async () => {
    const limited = await defenseFixture({ config: { ipThrottle: { maxFailures: 20 }, lockout: { maxFailures: 2 } } });
    try {
      const outcomes = [];
      for (let i = 0; i < 21; i++) outcomes.push(await failOnce(limited.defense, 'target@example.com', '203.0.113.5'));
      expect(outcomes.filter((o) => o === 'evaluated')).toHaveLength(2);
      expect(outcomes.filter((o) => o === 'locked')).toHaveLength(18);
      expect(outcomes[20]).toBe('ip_throttled');
    } finally {
      await limited.close();
    }
  });

  it('emits one alert.raise (credential_stuffing) naming the client address', async () => {
    await spray('198.51.100.7', 510);
    const alerts = f.events.filter((e) => e.type === 'alert.raise');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      outcome: 'failure',
      reason: 'credential_stuffing',
      severity: 'high',
      target: { type: 'client_address', id: '198.51.100.7' },
      details: { client: '198.51.100.7', max_failures: 500, window_seconds: 60, lock_seconds: 900 },
    });
    expect(f.events.filter((e) => e.type === 'account.lock')).toHaveLength(0);
  });

  it('addresses that are not IP addresses share one bucket and cannot escape counting', async () => {
    const limited = await defenseFixture({ config: { ipThrottle: { maxFailures: 2 } } });
    try {
      expect(await failOnce(limited.defense, 'a@example.com', '')).toBe('evaluated');
      expect(await failOnce(limited.defense, 'b@example.com', 'not-an-ip')).toBe('evaluated');
      expect(await failOnce(limited.defense, 'c@example.com', 'unknown')).toBe('ip_throttled');
    } finally {
      await limited.close();
    }
  });
});
