/**
 * Invariant: no password, password hash, account token (raw or hashed) or e-mail body ever
 * appears in an auth event, an operational log line, or a thrown error (message, detail,
 * JSON form). Events identify users by id only and never carry the address either. A leaked
 * password or reset token is a working credential; a leaked hash or token hash lets anyone
 * with the logs attack it offline or link log lines to database rows. This test drives every
 * account flow, collects every secret it saw, and searches everything observable for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsFixture, GOOD_PASSWORD, tokenFromMail, type AccountsFixture } from '../../test/helpers/accounts.js';
import { hashAccountToken } from './tokens.js';

let f: AccountsFixture;
const secrets = new Set<string>([GOOD_PASSWORD, 'second passphrase here', 'third passphrase here', 'wrong passphrase guess']);
const errors: unknown[] = [];
const capture = async (p: Promise<unknown>) => {
  await p.catch((e: unknown) => errors.push(e));
};

beforeAll(async () => {
  f = await accountsFixture({ signup: { enabled: true } });
  await f.accounts.signUp({ email: 'ann@example.com', password: GOOD_PASSWORD });
  await f.accounts.settle();
  const verification = tokenFromMail(f.mail.sent.at(-1))!;
  secrets.add(verification);
  await f.accounts.verifyEmail(verification);
  await capture(f.accounts.verifyEmail(verification));
  const user = (await f.store.findUserByEmail('ann@example.com'))!;
  await capture(f.accounts.signUp({ email: 'ann@example.com', password: 'wrong passphrase guess' }));
  await f.accounts.authenticate('ann@example.com', 'wrong passphrase guess');
  await capture(f.accounts.changePassword(user.id, { currentPassword: 'wrong passphrase guess', newPassword: 'second passphrase here' }));
  await f.accounts.changePassword(user.id, { currentPassword: GOOD_PASSWORD, newPassword: 'second passphrase here' });
  await f.accounts.requestPasswordReset('ann@example.com');
  await f.accounts.settle();
  const reset = tokenFromMail(f.mail.sent.at(-1))!;
  secrets.add(reset);
  await capture(f.accounts.resetPassword(reset, 'short'));
  await f.accounts.resetPassword(reset, 'third passphrase here');
  await capture(f.accounts.resetPassword(reset, 'third passphrase here'));
  await capture(f.accounts.resetPassword(reset.slice(1) + 'x', 'third passphrase here'));
  await capture(f.accounts.create({ email: 'bob@example.com', password: 'bob@example.com' }));
  for (const row of await f.database.db.selectFrom('users').select('password_hash').execute()) secrets.add(row.password_hash);
  for (const token of [verification, reset]) secrets.add(hashAccountToken(token));
  for (const message of f.mail.sent) secrets.add(message.text);
});

afterAll(async () => {
  await f.close();
});

describe('account secrets never reach events, logs or errors', () => {
  it('the flows produced events, errors and mail to search', () => {
    expect(f.events.length).toBeGreaterThan(8);
    expect(errors.length).toBeGreaterThanOrEqual(6);
    expect(secrets.size).toBeGreaterThan(8);
  });

  it('no event holds a secret or an e-mail address', () => {
    const text = JSON.stringify(f.events);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('ann@example.com');
  });

  it('no log line holds a secret', () => {
    const text = JSON.stringify(f.logLines);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('no error holds a secret in its message, detail, stack or JSON form', () => {
    for (const err of errors) {
      const e = err as Error & { detail?: string };
      const text = `${e.message} ${e.detail ?? ''} ${e.stack ?? ''} ${JSON.stringify(e)}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
