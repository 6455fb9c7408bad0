import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHEAP_ARGON2, GOOD_PASSWORD, postLogin } from '../../helpers/defense.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Invariant: over HTTP, more than 10 failed logins for one e-mail within 60 s lock it for
 * 15 minutes. The first 10 wrong passwords are checked; the 11th failure locks; from then on
 * the correct password is refused with exactly the same 401 body as a wrong one, so the
 * response never tells an attacker (or anyone) that the account is locked, and unknown
 * e-mails lock the same way. The lock ends on time, and it is reported as `account.lock` and
 * `alert.raise` events that never carry the e-mail address or the password.
 */
describe('POST /auth/login: the 11th failure within 60 s locks the account', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { accounts: { argon2: CHEAP_ARGON2 } } });
    await server.gatehouse.accounts.create({ email: 'alice@example.com', password: GOOD_PASSWORD });
  });

  afterEach(async () => {
    await server.close();
  });

  it('10 wrong passwords are checked, the 11th locks, and then the right password gets the same 401', async () => {
    const wrong = [];
    for (let i = 0; i < 11; i++) wrong.push(await postLogin(server, 'alice@example.com', `wrong password ${i}`));
    expect(wrong.map((r) => r.status)).toEqual(Array<number>(11).fill(401));
    const right = await postLogin(server, 'alice@example.com', GOOD_PASSWORD);
    expect(right.status).toBe(401);
    expect(right.text).toBe(wrong[0]!.text);
    expect(right.headers.get('content-type')).toBe(wrong[0]!.headers.get('content-type'));
    expect(right.headers.get('retry-after')).toBeNull();
    expect(right.deviceCookie).toBeUndefined();
    expect(right.headers.getSetCookie()).toEqual([]);

    const logins = server.events.filter((e) => e.type === 'auth.login');
    expect(logins.map((e) => e.reason)).toEqual([...Array<string>(10).fill('wrong_password'), 'locked', 'locked']);
    const lock = server.events.filter((e) => e.type === 'account.lock');
    expect(lock).toHaveLength(1);
    expect(lock[0]).toMatchObject({ reason: 'too_many_failures', details: { bucket: 'identifier', max_failures: 10, lock_seconds: 900 }, source: { ip: '127.0.0.1' } });
    expect(server.events.filter((e) => e.type === 'alert.raise' && e.reason === 'brute_force')).toHaveLength(1);
    const serialized = JSON.stringify(server.events.filter((e) => e.type === 'account.lock' || e.type === 'alert.raise'));
    expect(serialized).not.toContain('alice');
    expect(serialized).not.toContain('wrong password');
    expect(serialized).not.toContain(GOOD_PASSWORD);
  });

  it('does not lock before the 11th failure: after 9 wrong passwords the 10th attempt is checked', async () => {
    for (let i = 0; i < 9; i++) expect((await postLogin(server, 'alice@example.com', `wrong password ${i}`)).status).toBe(401);
    // The 10th attempt is still checked: the right password signs in.
    const ok = await postLogin(server, 'alice@example.com', GOOD_PASSWORD);
    expect(ok.status).toBe(200);
    expect(server.events.filter((e) => e.type === 'account.lock')).toHaveLength(0);
  });

  it('failures older than 60 s do not count', async () => {
    for (let i = 0; i < 10; i++) await postLogin(server, 'alice@example.com', `wrong password ${i}`);
    server.clock.advanceSeconds(60);
    // 19 failures in 61 s, but only 9 in the current window: the 10th attempt is checked.
    for (let i = 0; i < 9; i++) await postLogin(server, 'alice@example.com', `wrong password ${i}`);
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD)).status).toBe(200);
  });

  it('the lock lasts 15 minutes, then the right password signs in', async () => {
    for (let i = 0; i < 11; i++) await postLogin(server, 'alice@example.com', `wrong password ${i}`);
    server.clock.advanceSeconds(15 * 60 - 1);
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD)).status).toBe(401);
    server.clock.advanceSeconds(1);
    const ok = await postLogin(server, 'alice@example.com', GOOD_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.deviceCookie).toMatch(/^v1\./);
  });

  it('an unknown e-mail locks exactly like a known one, with byte-identical answers', async () => {
    const known = [];
    const unknown = [];
    for (let i = 0; i < 12; i++) {
      known.push(await postLogin(server, 'alice@example.com', `wrong password ${i}`));
      unknown.push(await postLogin(server, 'nobody@example.com', `wrong password ${i}`));
    }
    expect(unknown.map((r) => [r.status, r.text])).toEqual(known.map((r) => [r.status, r.text]));
    const locks = server.events.filter((e) => e.type === 'account.lock');
    expect(locks).toHaveLength(2);
    expect(new Set(locks.map((e) => e.target?.id)).size).toBe(2);
  });

  it('other spellings of the e-mail share the lock', async () => {
    for (let i = 0; i < 11; i++) await postLogin(server, i % 2 ? 'ALICE@example.com' : ' alice@EXAMPLE.com ', `wrong password ${i}`);
    expect((await postLogin(server, 'Alice@Example.com', GOOD_PASSWORD)).status).toBe(401);
  });

  it('locking one account leaves another able to sign in', async () => {
    await server.gatehouse.accounts.create({ email: 'bob@example.com', password: GOOD_PASSWORD });
    for (let i = 0; i < 11; i++) await postLogin(server, 'alice@example.com', `wrong password ${i}`);
    expect((await postLogin(server, 'bob@example.com', GOOD_PASSWORD)).status).toBe(200);
  });
});
