import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsFixture, GOOD_PASSWORD, type AccountsFixture } from '../../test/helpers/accounts.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { createPasswordHasher } from './password-hash.js';

let f: AccountsFixture;
beforeEach(async () => {
  f = await accountsFixture();
});
afterEach(async () => {
  await f.close();
});

describe('AccountService.authenticate', () => {
  it('accepts the right password with any case and surrounding spaces in the e-mail', async () => {
    const user = await f.accounts.create({ email: 'Ann@Example.com', password: GOOD_PASSWORD });
    const result = await f.accounts.authenticate('  ANN@example.COM ', GOOD_PASSWORD);
    expect(result).toEqual({ ok: true, user });
  });

  it('compares the password after NFKC: a full-width form of the password signs in', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: 'ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ' });
    expect((await f.accounts.authenticate('ann@example.com', 'correct horse battery')).ok).toBe(true);
  });

  it('gives the private reason: unknown_user, wrong_password, disabled, locked', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect(await f.accounts.authenticate('nobody@example.com', GOOD_PASSWORD)).toEqual({ ok: false, reason: 'unknown_user', userId: null });
    expect(await f.accounts.authenticate('not an e-mail', GOOD_PASSWORD)).toEqual({ ok: false, reason: 'unknown_user', userId: null });
    expect(await f.accounts.authenticate('ann@example.com', 'wrong password here')).toEqual({ ok: false, reason: 'wrong_password', userId: user.id });
    await f.accounts.disable(user.id);
    expect(await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).toEqual({ ok: false, reason: 'disabled', userId: user.id });
    await f.accounts.update(user.id, { status: 'locked' });
    expect(await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).toEqual({ ok: false, reason: 'locked', userId: user.id });
    // A wrong password on a disabled account is reported as the wrong password.
    expect((await f.accounts.authenticate('ann@example.com', 'wrong password here')) as object).toMatchObject({ reason: 'wrong_password' });
  });

  it('refuses over-long and non-string passwords as wrong, without throwing', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect(await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD + 'x'.repeat(10_000))).toMatchObject({ ok: false, reason: 'wrong_password' });
    expect(await f.accounts.authenticate('ann@example.com', 42 as unknown as string)).toMatchObject({ ok: false, reason: 'wrong_password' });
  });

  it('emits no event (the login flow does)', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    const before = f.events.length;
    await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD);
    await f.accounts.authenticate('ann@example.com', 'wrong password here');
    await f.accounts.authenticate('bob@example.com', GOOD_PASSWORD);
    expect(f.events.length).toBe(before);
  });

  it('rehashes a hash made under older parameters at a successful login, and only then', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    const older = createPasswordHasher({ memoryKiB: 8192, iterations: 1, parallelism: 1 }, f.random);
    const oldHash = await older.hash(GOOD_PASSWORD);
    expect(await f.store.rehashPassword(user.id, (await f.store.findUserById(user.id))!.passwordHash, oldHash)).toBe(true);

    await f.accounts.authenticate('ann@example.com', 'wrong password here');
    expect((await f.store.findUserById(user.id))?.passwordHash).toBe(oldHash);

    expect((await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).ok).toBe(true);
    const upgraded = (await f.store.findUserById(user.id))!.passwordHash;
    expect(upgraded).not.toBe(oldHash);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=7168,t=1,p=1\$/);
    expect((await f.store.findUserById(user.id))?.passwordChangedAt).toBe(user.passwordChangedAt);
    expect((await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).ok).toBe(true);
  });

  it('a failed rehash does not fail the login (it is retried next time) and is logged without secrets', async () => {
    await f.close();
    f = await accountsFixture({}, { store: (s) => ({ ...s, rehashPassword: () => Promise.reject(new GatehouseError('storage.unavailable')) }) });
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    const older = createPasswordHasher({ memoryKiB: 8192, iterations: 1, parallelism: 1 }, f.random);
    await f.database.db.updateTable('users').set({ password_hash: await older.hash(GOOD_PASSWORD) }).where('id', '=', user.id).execute();
    expect((await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).ok).toBe(true);
    const warning = f.logLines.find((l) => l.msg === 'password rehash failed');
    expect(warning).toBeDefined();
    expect(JSON.stringify(warning)).not.toContain(GOOD_PASSWORD);
  });

  it('fails closed: a storage outage rejects with storage.unavailable, never a success', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    await f.database.close();
    const err = await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatehouseError);
    expect((err as GatehouseError).code).toBe('storage.unavailable');
  });
});
