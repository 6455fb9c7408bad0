/**
 * Invariant: `authenticate` runs exactly one argon2id verification for every call, whether
 * the e-mail belongs to an account or not (or is not an e-mail at all), and for an unknown
 * one it verifies against a dummy hash made at start with the *current* parameters. So the
 * time a login takes does not tell an attacker whether an account exists: skipping the hash
 * for unknown users is the classic enumeration oracle (a known user costs ~7 ms of argon2id,
 * an unknown one ~0.1 ms). Counting the calls into the argon2 binding, and checking the cost
 * parameters of the hash each call used, proves the work is the same.
 */
import * as argon2 from '@node-rs/argon2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accountsFixture, GOOD_PASSWORD, type AccountsFixture } from '../../test/helpers/accounts.js';

vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...original, verify: vi.fn(original.verify) };
});

const verifySpy = vi.mocked(argon2.verify);

let f: AccountsFixture;
beforeEach(async () => {
  f = await accountsFixture();
  await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
  verifySpy.mockClear();
});
afterEach(async () => {
  await f.close();
});

/** The argon2 cost parameters of the hash each verification used. */
function costsOfCalls(): string[] {
  return verifySpy.mock.calls.map(([phc]) => {
    const o = argon2.parseOptions(phc);
    return `argon2id m=${o.memoryCost} t=${o.timeCost} p=${o.parallelism}`;
  });
}

describe('unknown e-mails cost one argon2id verification, like known ones', () => {
  it.each([
    ['a known e-mail, right password', 'ann@example.com', GOOD_PASSWORD],
    ['a known e-mail, wrong password', 'ann@example.com', 'not the password!'],
    ['an unknown e-mail', 'bob@example.com', GOOD_PASSWORD],
    ['something that is not an e-mail', 'not-an-email', GOOD_PASSWORD],
    ['an over-long password for an unknown e-mail', 'bob@example.com', 'x'.repeat(100_000)],
  ])('%s: exactly one verification, at the current parameters', async (_label, email, password) => {
    await f.accounts.authenticate(email, password);
    expect(verifySpy).toHaveBeenCalledTimes(1);
    expect(costsOfCalls()).toEqual(['argon2id m=7168 t=1 p=1']);
  });

  it('the dummy hash is a real argon2id hash that no password matches by accident', async () => {
    await f.accounts.authenticate('bob@example.com', '');
    const [dummy] = verifySpy.mock.calls[0]!;
    expect(dummy).toMatch(/^\$argon2id\$v=19\$m=7168,t=1,p=1\$/);
    expect(await argon2.verify(dummy as string, '')).toBe(false);
  });
});
