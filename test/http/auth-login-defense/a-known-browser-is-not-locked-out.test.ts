import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHEAP_ARGON2, GOOD_PASSWORD, postLogin } from '../../helpers/defense.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Invariant: lockout is not a denial of service against a known user. A successful login
 * sets a signed device cookie (`__Host-gatehouse_device`: HttpOnly, Secure, SameSite=Lax,
 * Path=/, Max-Age); a browser presenting it for the same e-mail keeps its own failure bucket
 * and signs in while failures from elsewhere hold the account locked for everyone else. A
 * tampered cookie, or one for another e-mail, buys nothing: the shared lock applies.
 */
describe('POST /auth/login: a browser with a device cookie is not locked out by failures elsewhere', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ overrides: { accounts: { argon2: CHEAP_ARGON2 }, sessions: { cookie: { secure: true } } } });
    await server.gatehouse.accounts.create({ email: 'alice@example.com', password: GOOD_PASSWORD });
    await server.gatehouse.accounts.create({ email: 'bob@example.com', password: GOOD_PASSWORD });
  });

  afterEach(async () => {
    await server.close();
  });

  async function deviceCookieOf(email: string): Promise<string> {
    const first = await postLogin(server, email, GOOD_PASSWORD);
    expect(first.status).toBe(200);
    const header = first.headers.getSetCookie().find((c) => c.startsWith('__Host-gatehouse_device='));
    expect(header).toBeDefined();
    const attributes = header!.split(';').slice(1).map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/', 'max-age=15552000']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    return first.deviceCookie!;
  }

  it('signs in with its device cookie while the account is locked for everyone else', async () => {
    const cookie = await deviceCookieOf('alice@example.com');
    for (let i = 0; i < 15; i++) await postLogin(server, 'alice@example.com', `attacker guess ${i}`);
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD)).status).toBe(401);

    const known = await postLogin(server, 'alice@example.com', GOOD_PASSWORD, { deviceCookie: cookie });
    expect(known.status).toBe(200);
    expect(known.deviceCookie).toMatch(/^v1\./);
    expect(known.deviceCookie).not.toBe(cookie);
    // The renewed cookie works too.
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD, { deviceCookie: known.deviceCookie! })).status).toBe(200);
    const everything = JSON.stringify(server.events) + server.logLines.join('');
    for (const secret of [cookie, known.deviceCookie!, cookie.split('.')[3]!, GOOD_PASSWORD, 'attacker guess']) expect(everything).not.toContain(secret);
  });

  it('its own wrong passwords lock only its own bucket after 10', async () => {
    const cookie = await deviceCookieOf('alice@example.com');
    for (let i = 0; i < 11; i++) expect((await postLogin(server, 'alice@example.com', `typo ${i}`, { deviceCookie: cookie })).status).toBe(401);
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD, { deviceCookie: cookie })).status).toBe(401);
    // The shared bucket saw none of it: a login without that cookie still works.
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD)).status).toBe(200);
    expect(server.events.filter((e) => e.type === 'account.lock')[0]).toMatchObject({ details: { bucket: 'device' }, target: { type: 'user' } });
  });

  it('a tampered cookie, or a cookie for another e-mail, is ignored', async () => {
    const alice = await deviceCookieOf('alice@example.com');
    for (let i = 0; i < 11; i++) {
      await postLogin(server, 'alice@example.com', `attacker guess ${i}`);
      await postLogin(server, 'bob@example.com', `attacker guess ${i}`);
    }
    const tampered = alice.slice(0, -3) + (alice.slice(-3, -2) === 'A' ? 'B' : 'A') + alice.slice(-2);
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD, { deviceCookie: tampered })).status).toBe(401);
    expect((await postLogin(server, 'bob@example.com', GOOD_PASSWORD, { deviceCookie: alice })).status).toBe(401);
    expect((await postLogin(server, 'alice@example.com', GOOD_PASSWORD, { deviceCookie: alice })).status).toBe(200);
  });
});
