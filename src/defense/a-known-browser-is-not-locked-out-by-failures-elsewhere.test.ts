import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defenseFixture, failOnce, succeedOnce, TEST_SECRET, type DefenseFixture } from '../../test/helpers/defense.js';

/**
 * Invariant: lockout must not become a denial of service against a known user. A browser
 * holding a valid device cookie from an earlier successful login for this identifier counts
 * its attempts in its own bucket: failures from anywhere else (the shared identifier bucket,
 * other addresses, the address throttle) never lock it out. Its own bucket has the same
 * limits and its own lock, so a stolen cookie buys at most `maxFailures` guesses per lock.
 * After key rotation, cookies signed with a previous key still count as valid.
 */
describe('a known browser is not locked out by failures elsewhere', () => {
  let f: DefenseFixture;
  const home = '192.0.2.20';
  const attacker = '203.0.113.66';

  beforeEach(async () => {
    f = await defenseFixture();
  });

  afterEach(async () => {
    await f.close();
  });

  async function knownBrowser(identifier = 'alice@example.com', userId = 'usr_alice'): Promise<string> {
    const cookie = await succeedOnce(f.defense, identifier, home, userId);
    if (cookie === 'locked' || cookie === 'ip_throttled') throw new Error(`no device cookie: ${cookie}`);
    return cookie;
  }

  it('signs in while the identifier is locked by failures from elsewhere', async () => {
    const cookie = await knownBrowser();
    for (let i = 0; i < 30; i++) await failOnce(f.defense, 'alice@example.com', attacker);
    expect(await f.defense.checkLogin({ identifier: 'alice@example.com', ip: attacker })).toMatchObject({ allowed: false, reason: 'locked' });
    const check = await f.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: cookie });
    expect(check.allowed).toBe(true);
    if (check.allowed) {
      expect(check.attempt.bucket).toBe('device');
      expect(check.attempt.deviceCookie).toBe('valid');
      const { deviceCookie } = await f.defense.recordSuccess(check.attempt, 'usr_alice');
      expect(deviceCookie).toMatchObject({ name: '__Host-gatehouse_device', maxAgeSeconds: 15_552_000 });
      expect(deviceCookie.value).not.toBe(cookie);
    }
    // Without the cookie the same browser is still locked out.
    expect(await f.defense.checkLogin({ identifier: 'alice@example.com', ip: home })).toMatchObject({ allowed: false, reason: 'locked' });
  });

  it('signs in while its own address is throttled for credential stuffing', async () => {
    const limited = await defenseFixture({ config: { ipThrottle: { maxFailures: 5 } } });
    try {
      const cookie = await succeedOnce(limited.defense, 'alice@example.com', home, 'usr_alice');
      for (let i = 0; i < 6; i++) await failOnce(limited.defense, `other${i}@example.com`, home);
      expect(await failOnce(limited.defense, 'alice@example.com', home)).toBe('ip_throttled');
      expect(await succeedOnce(limited.defense, 'alice@example.com', home, 'usr_alice', cookie)).toMatch(/^v1\./);
    } finally {
      await limited.close();
    }
  });

  it('has its own lockout: its own 11th failure locks the cookie, not the shared bucket', async () => {
    const cookie = await knownBrowser();
    const outcomes = [];
    for (let i = 0; i < 11; i++) outcomes.push(await failOnce(f.defense, 'alice@example.com', home, cookie));
    expect(outcomes).toEqual([...Array<string>(10).fill('evaluated'), 'locked']);
    expect(await f.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: cookie })).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 900 });
    // The shared bucket saw none of those.
    expect(await failOnce(f.defense, 'alice@example.com', attacker)).toBe('evaluated');
    const locks = f.events.filter((e) => e.type === 'account.lock');
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatchObject({ target: { type: 'user', id: 'usr_alice' }, details: { bucket: 'device', identifier_hash: f.defense.hashIdentifier('alice@example.com') } });
    expect(String(locks[0]!.details!.device_id)).toMatch(/^dev_[0-9a-f]{32}$/);
    expect(f.events.filter((e) => e.type === 'alert.raise')[0]).toMatchObject({ reason: 'device_brute_force' });
    expect(JSON.stringify(f.events)).not.toContain(cookie);
    expect(JSON.stringify(f.events)).not.toContain(cookie.split('.')[3]!);
  });

  it('failures in the device bucket do not count against the shared bucket or the address', async () => {
    const limited = await defenseFixture({ config: { ipThrottle: { maxFailures: 3 } } });
    try {
      const cookie = await succeedOnce(limited.defense, 'alice@example.com', home, 'usr_alice');
      for (let i = 0; i < 5; i++) await failOnce(limited.defense, 'alice@example.com', home, cookie);
      expect(await failOnce(limited.defense, 'alice@example.com', home)).toBe('evaluated');
    } finally {
      await limited.close();
    }
  });

  it('each browser has its own bucket: locking one cookie leaves another browser able to sign in', async () => {
    const first = await knownBrowser();
    const second = await knownBrowser();
    for (let i = 0; i < 11; i++) await failOnce(f.defense, 'alice@example.com', home, first);
    expect(await succeedOnce(f.defense, 'alice@example.com', home, 'usr_alice', second)).toMatch(/^v1\./);
  });

  it('a cookie for one identifier is ignored for another (the shared bucket applies)', async () => {
    const cookie = await knownBrowser('alice@example.com');
    for (let i = 0; i < 11; i++) await failOnce(f.defense, 'bob@example.com', attacker);
    const check = await f.defense.checkLogin({ identifier: 'bob@example.com', ip: home, deviceCookie: cookie });
    expect(check).toMatchObject({ allowed: false, reason: 'locked' });
    const fresh = await f.defense.checkLogin({ identifier: 'carol@example.com', ip: home, deviceCookie: cookie });
    expect(fresh.allowed && fresh.attempt).toMatchObject({ bucket: 'identifier', deviceCookie: 'invalid' });
  });

  it('a cookie matches every spelling of its identifier', async () => {
    const cookie = await knownBrowser('Alice@Example.com');
    for (let i = 0; i < 11; i++) await failOnce(f.defense, 'alice@example.com', attacker);
    expect(await succeedOnce(f.defense, '  ALICE@example.COM', home, 'usr_alice', cookie)).toMatch(/^v1\./);
  });

  it.each([
    ['a flipped MAC character', (c: string) => c.slice(0, -2) + (c.at(-2) === 'A' ? 'B' : 'A') + c.slice(-1)],
    ['another user id', (c: string) => c.replace('.usr_alice.', '.usr_mallory.')],
    ['another nonce', (c: string) => c.replace(/\.([A-Za-z0-9_-]{22})\./, (_m, n: string) => `.${n[0] === 'A' ? 'B' : 'A'}${n.slice(1)}.`)],
    ['a later issue time', (c: string) => c.replace(/\.(\d+)\./, (_m, t: string) => `.${Number(t) + 1}.`)],
    ['an unknown key id', (c: string) => c.replace(/^v1\.[A-Za-z0-9_-]{8}\./, 'v1.AAAAAAAA.')],
    ['another version', (c: string) => c.replace(/^v1\./, 'v2.')],
    ['a truncated value', (c: string) => c.slice(0, 40)],
    ['trailing garbage', (c: string) => `${c}.x`],
    ['an oversized value', (c: string) => c + 'A'.repeat(5000)],
  ])('a tampered cookie (%s) is ignored: the locked shared bucket applies', async (_name, tamper) => {
    const cookie = await knownBrowser();
    for (let i = 0; i < 11; i++) await failOnce(f.defense, 'alice@example.com', attacker);
    const check = await f.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: tamper(cookie) });
    expect(check).toMatchObject({ allowed: false, reason: 'locked' });
  });

  it('an expired cookie is ignored; one just inside its lifetime is honoured', async () => {
    const short = await defenseFixture({ config: { deviceCookies: { maxAgeSeconds: 3600 } } });
    try {
      const cookie = await succeedOnce(short.defense, 'alice@example.com', home, 'usr_alice');
      short.clock.advance(3_599_000);
      for (let i = 0; i < 11; i++) await failOnce(short.defense, 'alice@example.com', attacker);
      const inside = await short.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: cookie });
      expect(inside.allowed && inside.attempt.bucket).toBe('device');
      if (inside.allowed) await short.defense.recordFailure(inside.attempt, 'wrong_password');
      short.clock.advance(1_000);
      expect(await short.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: cookie })).toMatchObject({ allowed: false, reason: 'locked' });
    } finally {
      await short.close();
    }
  });

  it('a cookie signed by another server secret (a foreign installation) is ignored', async () => {
    const foreign = await defenseFixture({ secrets: ['another-installation-secret-0123456789'] });
    try {
      const cookie = await succeedOnce(foreign.defense, 'alice@example.com', home, 'usr_alice');
      expect(cookie).toMatch(/^v1\./);
      const check = await f.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: cookie });
      expect(check.allowed && check.attempt).toMatchObject({ bucket: 'identifier', deviceCookie: 'invalid' });
    } finally {
      await foreign.close();
    }
  });

  it('after key rotation, cookies signed with the previous secret are honoured and new ones use the new key', async () => {
    const before = await knownBrowser();
    const rotatedSecret = 'rotated-defense-secret-0123456789abcdef';
    const rotated = await defenseFixture({ secrets: [rotatedSecret, TEST_SECRET], clock: f.clock });
    const dropped = await defenseFixture({ secrets: [rotatedSecret], clock: f.clock });
    try {
      for (let i = 0; i < 11; i++) await failOnce(rotated.defense, 'alice@example.com', attacker);
      const check = await rotated.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: before });
      expect(check.allowed && check.attempt.bucket).toBe('device');
      if (!check.allowed) return;
      const after = (await rotated.defense.recordSuccess(check.attempt, 'usr_alice')).deviceCookie.value;
      expect(after.split('.')[1]).not.toBe(before.split('.')[1]);
      // Once the old secret is dropped, old cookies stop counting; new ones still do.
      for (let i = 0; i < 11; i++) await failOnce(dropped.defense, 'alice@example.com', attacker);
      expect(await dropped.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: before })).toMatchObject({ allowed: false, reason: 'locked' });
      expect((await dropped.defense.checkLogin({ identifier: 'alice@example.com', ip: home, deviceCookie: after })).allowed).toBe(true);
    } finally {
      await rotated.close();
      await dropped.close();
    }
  });
});
