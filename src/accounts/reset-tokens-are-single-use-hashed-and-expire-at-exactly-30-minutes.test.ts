/**
 * Invariant: a password-reset link works once, for exactly its lifetime (30 minutes by
 * default: valid at 29:59.999, refused at 30:00.000), only for the address it was mailed to,
 * and a completed reset ends every session of the user. Only the SHA-256 of a token is stored,
 * so a copy of the database cannot be turned into working links. A reused, expired, tampered,
 * malformed or superseded token is refused with one and the same error, so the caller cannot
 * tell which check failed; the event records the real reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsFixture, GOOD_PASSWORD, START, tokenFromMail, type AccountsFixture } from '../../test/helpers/accounts.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { hashAccountToken } from './tokens.js';
import type { User } from './types.js';

let f: AccountsFixture;
let user: User;
const NEW_PASSWORD = 'a completely new passphrase';

beforeEach(async () => {
  f = await accountsFixture();
  user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
});
afterEach(async () => {
  await f.close();
});

async function requestLink(email = 'ann@example.com'): Promise<string> {
  await f.accounts.requestPasswordReset(email);
  await f.accounts.settle();
  const token = tokenFromMail(f.mail.sent.at(-1));
  if (!token) throw new Error('no reset mail');
  return token;
}

async function refusal(token: string, password = NEW_PASSWORD): Promise<GatehouseError> {
  const err = await f.accounts.resetPassword(token, password).catch((e: unknown) => e);
  if (!(err instanceof GatehouseError)) throw new Error('the reset was accepted');
  return err;
}

describe('reset tokens are single use, hashed, and expire at exactly 30 minutes', () => {
  it('mails a link to the public URL with a 256-bit base64url token, and stores only its SHA-256', async () => {
    const token = await requestLink();
    expect(f.mail.sent.at(-1)?.to).toBe('ann@example.com');
    expect(f.mail.sent.at(-1)?.text).toContain(`https://auth.example.com/reset-password?token=${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await f.database.db.selectFrom('account_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash).toBe(hashAccountToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expires_at).toBe(START + 30 * 60 * 1000);
  });

  it('works at 29:59.999 and ends every session of the user', async () => {
    const token = await requestLink();
    f.clock.advance(30 * 60 * 1000 - 1);
    const result = await f.accounts.resetPassword(token, NEW_PASSWORD);
    expect(result.id).toBe(user.id);
    expect(result.emailVerified).toBe(true);
    expect(f.revocations).toEqual([{ userId: user.id, reason: 'password_reset' }]);
    expect((await f.accounts.authenticate('ann@example.com', NEW_PASSWORD)).ok).toBe(true);
    expect((await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).ok).toBe(false);
    expect(f.events.at(-1)).toMatchObject({ type: 'account.password_reset', outcome: 'success', details: { phase: 'complete', sessions_revoked: 2 } });
  });

  it('is refused at exactly 30:00.000, and the password stays', async () => {
    const token = await requestLink();
    f.clock.advance(30 * 60 * 1000);
    expect((await refusal(token)).code).toBe('account.token_invalid');
    expect(f.events.at(-1)).toMatchObject({ type: 'account.password_reset', outcome: 'failure', reason: 'expired' });
    expect((await f.accounts.authenticate('ann@example.com', GOOD_PASSWORD)).ok).toBe(true);
    expect(f.revocations).toEqual([]);
  });

  it('honours a configured lifetime', async () => {
    await f.close();
    f = await accountsFixture({ passwordResetTokenLifetimeSeconds: 600 });
    user = await f.accounts.create({ email: 'ann@example.com', password: GOOD_PASSWORD });
    const token = await requestLink();
    f.clock.advance(600_000);
    expect((await refusal(token)).code).toBe('account.token_invalid');
  });

  it('works once: a second use is refused the same way', async () => {
    const token = await requestLink();
    await f.accounts.resetPassword(token, NEW_PASSWORD);
    const second = await refusal(token, 'yet another passphrase');
    expect(second.code).toBe('account.token_invalid');
    expect(f.events.at(-1)?.reason).toBe('used');
    expect((await f.accounts.authenticate('ann@example.com', NEW_PASSWORD)).ok).toBe(true);
  });

  it('a completed reset voids the other links of the user', async () => {
    const first = await requestLink();
    const second = await requestLink();
    await f.accounts.resetPassword(second, NEW_PASSWORD);
    expect((await refusal(first)).code).toBe('account.token_invalid');
  });

  it('of concurrent uses of one link exactly one succeeds', async () => {
    const token = await requestLink();
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => f.accounts.resetPassword(token, `${NEW_PASSWORD} ${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses tampered, malformed and unknown tokens alike, without echoing them', async () => {
    const token = await requestLink();
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const errors = [await refusal(tampered), await refusal('short'), await refusal(`${token}x`), await refusal('A'.repeat(43))];
    for (const err of errors) {
      expect(err.code).toBe('account.token_invalid');
      expect(err.message).toBe(errors[0]!.message);
      expect(`${err.message} ${err.detail ?? ''} ${JSON.stringify(err)}`).not.toContain(token.slice(0, 20));
    }
    expect((await f.accounts.resetPassword(token, NEW_PASSWORD)).id).toBe(user.id);
  });

  it('a link mailed before an e-mail change no longer works', async () => {
    const token = await requestLink();
    await f.accounts.update(user.id, { email: 'ann@new.example' });
    expect((await refusal(token)).code).toBe('account.token_invalid');
  });

  it('a verification token is not a reset token', async () => {
    await f.accounts.sendEmailVerification(user.id);
    await f.accounts.settle();
    const verification = tokenFromMail(f.mail.sent.at(-1))!;
    expect((await refusal(verification)).code).toBe('account.token_invalid');
    expect(f.events.at(-1)?.reason).toBe('wrong_purpose');
  });

  it('a weak new password is refused by the policy and the link stays usable', async () => {
    const token = await requestLink();
    expect((await refusal(token, 'password')).code).toBe('password.too_short');
    expect((await refusal(token, 'ann@example.com')).code).toBe('password.matches_email');
    expect((await f.accounts.resetPassword(token, NEW_PASSWORD)).id).toBe(user.id);
  });
});
