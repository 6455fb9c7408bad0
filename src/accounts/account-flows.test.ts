import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsFixture, GOOD_PASSWORD, START, tokenFromMail, type AccountsFixture } from '../../test/helpers/accounts.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';

let f: AccountsFixture;
beforeEach(async () => {
  f = await accountsFixture({ signup: { enabled: true } });
});
afterEach(async () => {
  await f.close();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GatehouseError)) throw new Error('expected a GatehouseError');
  return err.code;
}

describe('sign-up', () => {
  it('is refused with account.signup_disabled when off (the default)', async () => {
    await f.close();
    f = await accountsFixture();
    expect(await codeOf(f.accounts.signUp({ email: 'ann@example.com', password: GOOD_PASSWORD }))).toBe('account.signup_disabled');
  });

  it('creates an unverified account and mails a verification link that verifies it once', async () => {
    await f.accounts.signUp({ email: 'Ann@Example.com', password: GOOD_PASSWORD, name: 'Ann' });
    await f.accounts.settle();
    const created = await f.store.findUserByEmail('ann@example.com');
    expect(created).toMatchObject({ email: 'Ann@Example.com', name: 'Ann', emailVerified: false, status: 'active' });
    expect(f.mail.sent).toHaveLength(1);
    expect(f.mail.sent[0]).toMatchObject({ to: 'Ann@Example.com', subject: 'Confirm your e-mail address' });
    const token = tokenFromMail(f.mail.sent[0])!;
    expect(f.mail.sent[0]!.text).toContain(`https://auth.example.com/verify-email?token=${token}`);
    const verified = await f.accounts.verifyEmail(token);
    expect(verified.emailVerified).toBe(true);
    expect(await codeOf(f.accounts.verifyEmail(token))).toBe('account.token_invalid');
    expect(f.events.map((e) => `${e.type}:${e.outcome}:${e.reason}`)).toEqual([
      'account.create:success:ok',
      'account.email_verify:success:requested',
      'account.email_verify:success:ok',
      'account.email_verify:failure:used',
    ]);
    expect(f.events[0]?.actor).toEqual({ type: 'user', id: created!.id });
  });

  it('for an address that has an account, answers alike, changes nothing, and mails the owner instead', async () => {
    const owner = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    const before = await f.store.findUserById(owner.id);
    await expect(f.accounts.signUp({ email: 'ANN@example.com', password: 'an attacker passphrase' })).resolves.toBeUndefined();
    await f.accounts.settle();
    expect(await f.store.findUserById(owner.id)).toEqual(before);
    expect(f.mail.sent).toHaveLength(1);
    expect(f.mail.sent[0]).toMatchObject({ to: 'ann@example.com', subject: 'You already have an account' });
    expect(tokenFromMail(f.mail.sent[0])).toBeUndefined();
    expect(f.events.at(-1)).toMatchObject({ type: 'account.create', outcome: 'failure', reason: 'email_taken', target: { id: owner.id } });
  });

  it('checks the password policy for new and existing addresses alike', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect(await codeOf(f.accounts.signUp({ email: 'ann@example.com', password: 'short' }))).toBe('password.too_short');
    expect(await codeOf(f.accounts.signUp({ email: 'new@example.com', password: 'short' }))).toBe('password.too_short');
  });

  it('sends at most the configured number of mails to one address per window, then nothing (answers unchanged)', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    for (let i = 0; i < 7; i++) await f.accounts.signUp({ email: 'ann@example.com', password: GOOD_PASSWORD });
    await f.accounts.settle();
    expect(f.mail.sent).toHaveLength(5);
    expect(f.events.filter((e) => e.reason === 'mail_limited')).toHaveLength(2);
    f.clock.advance(3600 * 1000);
    await f.accounts.signUp({ email: 'ann@example.com', password: GOOD_PASSWORD });
    await f.accounts.settle();
    expect(f.mail.sent).toHaveLength(6);
  });
});

describe('e-mail verification', () => {
  it('expires after the configured lifetime (default 24 h), exactly', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    expect(await f.accounts.sendEmailVerification(user.id)).toBe(true);
    await f.accounts.settle();
    const token = tokenFromMail(f.mail.sent.at(-1))!;
    const row = await f.database.db.selectFrom('account_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.expires_at).toBe(START + 24 * 3600 * 1000);
    f.clock.advance(24 * 3600 * 1000);
    expect(await codeOf(f.accounts.verifyEmail(token))).toBe('account.token_invalid');
    expect(f.events.at(-1)?.reason).toBe('expired');
  });

  it('a link sent before an e-mail change does not verify the new address', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    await f.accounts.sendEmailVerification(user.id);
    await f.accounts.settle();
    const token = tokenFromMail(f.mail.sent.at(-1))!;
    await f.accounts.update(user.id, { email: 'ann@new.example' });
    expect(await codeOf(f.accounts.verifyEmail(token))).toBe('account.token_invalid');
    expect((await f.accounts.get(user.id)).emailVerified).toBe(false);
  });

  it('sends nothing to an address that is already verified', async () => {
    const user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD, emailVerified: true });
    expect(await f.accounts.sendEmailVerification(user.id)).toBe(false);
    await f.accounts.settle();
    expect(f.mail.sent).toHaveLength(0);
  });

  it('refuses a malformed token before storage, with the same error', async () => {
    expect(await codeOf(f.accounts.verifyEmail('../../etc/passwd'))).toBe('account.token_invalid');
    expect(f.events.at(-1)?.reason).toBe('malformed');
  });
});

describe('password-reset requests', () => {
  it('answer alike for known, unknown and disabled addresses; only an active known one gets mail', async () => {
    const ann = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    const bob = await f.accounts.create({ email: 'bob@example.com', password: GOOD_PASSWORD });
    await f.accounts.disable(bob.id);
    const answers = await Promise.all(['ann@example.com', 'nobody@example.com', 'bob@example.com'].map((e) => f.accounts.requestPasswordReset(e)));
    expect(answers).toEqual([undefined, undefined, undefined]);
    await f.accounts.settle();
    expect(f.mail.sent.map((m) => m.to)).toEqual(['ann@example.com']);
    const reasons = f.events.filter((e) => e.type === 'account.password_reset').map((e) => [e.reason, e.target?.id ?? null]);
    expect(reasons).toHaveLength(3);
    expect(reasons).toEqual(
      expect.arrayContaining([
        ['requested', ann.id],
        ['unknown_user', null],
        ['disabled', bob.id],
      ]),
    );
  });

  it('a mail failure is logged by task and code only, and does not change the answer', async () => {
    await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    f.mail.send = () => Promise.reject(Object.assign(new Error(`could not send ${GOOD_PASSWORD}`), { code: 'ECONNECTION' }));
    await expect(f.accounts.requestPasswordReset('ann@example.com')).resolves.toBeUndefined();
    await f.accounts.settle();
    const line = f.logLines.find((l) => l.msg === 'background task failed');
    expect(line?.obj).toEqual({ task: 'password_reset_mail', err: { name: 'Error', code: 'ECONNECTION' } });
  });

  it('refuses something that is not an e-mail address with request.invalid', async () => {
    expect(await codeOf(f.accounts.requestPasswordReset('nope'))).toBe('request.invalid');
  });
});
