import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsFixture, GOOD_PASSWORD, START, type AccountsFixture } from '../../test/helpers/accounts.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';

let f: AccountsFixture;
beforeEach(async () => {
  f = await accountsFixture();
});
afterEach(async () => {
  await f.close();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GatehouseError)) throw new Error(`expected a GatehouseError, got ${String(err)}`);
  return err.code;
}

const admin = { actor: { type: 'api_key' as const, id: 'key_01ADMIN' } };

describe('AccountService: admin operations', () => {
  it('creates a user with a normalised e-mail, an argon2id hash, clock times, and an account.create event', async () => {
    const user = await f.accounts.create({ email: ' Ann@Example.com ', password: GOOD_PASSWORD, name: ' Ann ' }, admin);
    expect(user).toEqual({
      id: expect.stringMatching(/^usr_[0-9A-Z]{26}$/),
      email: 'Ann@Example.com',
      emailNormalized: 'ann@example.com',
      emailVerified: false,
      name: 'Ann',
      status: 'active',
      createdAt: START,
      updatedAt: START,
      passwordChangedAt: START,
    });
    expect(user).not.toHaveProperty('passwordHash');
    expect((await f.store.findUserById(user.id))?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(f.events.map((e) => [e.type, e.outcome, e.target?.id, e.actor?.id])).toEqual([['account.create', 'success', user.id, 'key_01ADMIN']]);
    expect(f.events[0]?.details).toEqual({ via: 'admin', status: 'active', email_verified: false });
  });

  it('reports a duplicate e-mail (any case) as account.email_taken', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect(await codeOf(f.accounts.create({ email: 'ANN@example.com', password: GOOD_PASSWORD }))).toBe('account.email_taken');
  });

  it('applies the password policy on create', async () => {
    expect(await codeOf(f.accounts.create({ email: 'ann@example.com', password: 'short' }))).toBe('password.too_short');
    expect(await codeOf(f.accounts.create({ email: 'ann@example.com', password: 'ann@example.com' }))).toBe('password.matches_email');
    expect(await codeOf(f.accounts.create({ email: 'ann@example.com', password: 'qwertyuiop12' }))).toBe('password.too_common');
  });

  it('gets, lists (newest first, paged) and filters by status', async () => {
    const a = await f.accounts.create({ email: 'a@example.com', password: GOOD_PASSWORD });
    f.clock.advance(1);
    const b = await f.accounts.create({ email: 'b@example.com', password: GOOD_PASSWORD, status: 'disabled' });
    expect(await f.accounts.get(a.id)).toEqual(a);
    const page = await f.accounts.list({ limit: 1 });
    expect(page.items.map((u) => u.id)).toEqual([b.id]);
    const next = await f.accounts.list({ limit: 1, cursor: page.nextCursor! });
    expect(next.items.map((u) => u.id)).toEqual([a.id]);
    expect((await f.accounts.list({ status: 'disabled' })).items.map((u) => u.id)).toEqual([b.id]);
    expect(await codeOf(f.accounts.list({ limit: 0 }))).toBe('request.invalid');
    expect(await codeOf(f.accounts.list({ cursor: 'x' }))).toBe('request.invalid');
  });

  it('answers account.not_found for unknown and malformed ids without touching storage', async () => {
    expect(await codeOf(f.accounts.get('usr_00000000000000000000000000'))).toBe('account.not_found');
    expect(await codeOf(f.accounts.get("usr_'; DROP TABLE users; --"))).toBe('account.not_found');
    expect(await codeOf(f.accounts.update('nope', { name: 'x' }))).toBe('account.not_found');
    expect(await codeOf(f.accounts.delete('nope'))).toBe('account.not_found');
    expect(await codeOf(f.accounts.revokeSessions('nope'))).toBe('account.not_found');
  });

  it('updates name, e-mail and verified flag; a new e-mail is unverified unless said otherwise', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD, emailVerified: true });
    f.clock.advance(1000);
    const renamed = await f.accounts.update(user.id, { name: 'Ann Smith' });
    expect(renamed).toMatchObject({ name: 'Ann Smith', emailVerified: true, updatedAt: START + 1000 });
    const moved = await f.accounts.update(user.id, { email: 'Ann@New.example' });
    expect(moved).toMatchObject({ email: 'Ann@New.example', emailNormalized: 'ann@new.example', emailVerified: false });
    const trusted = await f.accounts.update(user.id, { email: 'ann@third.example', emailVerified: true });
    expect(trusted.emailVerified).toBe(true);
    expect(f.events.filter((e) => e.type === 'account.update').map((e) => e.details?.fields)).toEqual([['name'], ['email', 'emailVerified'], ['email', 'emailVerified']]);
  });

  it('refuses an e-mail another user has', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    const bob = await f.accounts.create({ email: 'bob@example.com', password: GOOD_PASSWORD });
    expect(await codeOf(f.accounts.update(bob.id, { email: 'ANN@example.com' }))).toBe('account.email_taken');
  });

  it('disable ends the sessions and emits account.disable; enable emits account.enable; both idempotent', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect((await f.accounts.disable(user.id, admin)).status).toBe('disabled');
    expect(f.revocations).toEqual([{ userId: user.id, reason: 'account_disabled' }]);
    await f.accounts.disable(user.id);
    expect((await f.accounts.enable(user.id)).status).toBe('active');
    await f.accounts.update(user.id, { status: 'locked' });
    expect(f.revocations.at(-1)).toEqual({ userId: user.id, reason: 'account_disabled' });
    const types = f.events.filter((e) => e.type !== 'account.create').map((e) => `${e.type}:${e.reason}`);
    expect(types).toEqual(['account.disable:ok', 'account.disable:unchanged', 'account.enable:ok', 'account.disable:ok']);
  });

  it('delete ends the sessions first, then removes the user and emits account.delete', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    await f.accounts.delete(user.id, admin);
    expect(f.revocations).toEqual([{ userId: user.id, reason: 'account_deleted' }]);
    expect(await codeOf(f.accounts.get(user.id))).toBe('account.not_found');
    expect(f.events.at(-1)).toMatchObject({ type: 'account.delete', target: { type: 'user', id: user.id }, details: { sessions_revoked: 2 } });
  });

  it('revokeSessions asks the session port to end every session', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect(await f.accounts.revokeSessions(user.id)).toBe(2);
    expect(f.revocations).toEqual([{ userId: user.id, reason: 'admin_revoke' }]);
  });

  it('changePassword checks the current password when given, applies the policy, and ends every session', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect(await codeOf(f.accounts.changePassword(user.id, { currentPassword: 'wrong password!!', newPassword: 'a brand new passphrase' }))).toBe('account.wrong_password');
    expect(f.events.at(-1)).toMatchObject({ type: 'account.password_change', outcome: 'failure', reason: 'wrong_password' });
    expect(await codeOf(f.accounts.changePassword(user.id, { newPassword: 'password1234' }))).toBe('password.too_common');
    f.clock.advance(5000);
    const changed = await f.accounts.changePassword(user.id, { currentPassword: GOOD_PASSWORD, newPassword: 'a brand new passphrase' });
    expect(changed.passwordChangedAt).toBe(START + 5000);
    expect(f.revocations).toEqual([{ userId: user.id, reason: 'password_change' }]);
    expect((await f.accounts.authenticate('ann@example.com', 'a brand new passphrase')).ok).toBe(true);
    expect((await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).ok).toBe(false);
  });
});
