import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type AccountDeps, toUser } from './context.js';
import { emitAccountEvent } from './events.js';
import { issueAccountToken } from './issue-token.js';
import { mayMail, verificationMail } from './mail.js';
import { findUserRecord } from './read.js';
import { hashAccountToken, isWellFormedAccountToken } from './tokens.js';
import type { User, UserRecord } from './types.js';

/**
 * Mails `user` a verification link in the background (the caller's answer never waits for
 * mail), within the per-address mail limit. Emits `account.email_verify` (reason `requested`,
 * or `mail_limited` when the limit held it back).
 */
export function sendVerificationInBackground(deps: AccountDeps, user: UserRecord, context: RequestContext): void {
  deps.background.run('email_verification_mail', async () => {
    if (!(await mayMail(deps, user.emailNormalized))) {
      emitAccountEvent(deps, { type: 'account.email_verify', context, userId: user.id, outcome: 'failure', reason: 'mail_limited', severity: 'medium' });
      return;
    }
    const token = await issueAccountToken(deps, user, 'email_verification');
    await deps.mail.send(verificationMail(deps, user.email, token));
    emitAccountEvent(deps, { type: 'account.email_verify', context, userId: user.id, reason: 'requested' });
  });
}

/**
 * Sends an existing user a new e-mail verification link (the mail goes out in the background).
 * Earlier links keep working until they expire; a verified user gets no mail.
 *
 * @returns false when the address is already verified (nothing sent)
 * @throws {GatehouseError} `account.not_found`; `storage.unavailable`
 * @example await gatehouse.accounts.sendEmailVerification('usr_01J…');
 */
export async function sendEmailVerification(deps: AccountDeps, id: string, context: RequestContext = {}): Promise<boolean> {
  const user = await findUserRecord(deps, id);
  if (user.emailVerified) return false;
  sendVerificationInBackground(deps, user, context);
  return true;
}

/**
 * Confirms an e-mail address with the token from a verification link: single use (an atomic
 * compare-and-set in the store), valid until its expiry (exclusive), and only for the address
 * it was mailed to. Emits `account.email_verify`.
 *
 * @throws {GatehouseError} `account.token_invalid` for a malformed, unknown, expired, used or
 *   superseded token (all alike); `storage.unavailable`
 * @example const user = await gatehouse.accounts.verifyEmail(tokenFromLink);
 */
export async function verifyEmail(deps: AccountDeps, token: string, context: RequestContext = {}): Promise<User> {
  if (!isWellFormedAccountToken(token)) return failVerification(deps, context, 'malformed', null);
  const hash = hashAccountToken(token);
  const user = await deps.store.consumeEmailVerification(hash, deps.clock.now());
  if (!user) {
    const record = await deps.store.findToken(hash);
    return failVerification(deps, context, tokenFailureReason(record, 'email_verification', deps.clock.now()), record?.userId ?? null);
  }
  emitAccountEvent(deps, { type: 'account.email_verify', context, userId: user.id });
  return toUser(user);
}

/** The private reason a token was refused, for the event. */
export function tokenFailureReason(
  record: { purpose: string; consumedAt: number | null; expiresAt: number } | null,
  purpose: string,
  now: number,
): 'not_found' | 'wrong_purpose' | 'used' | 'expired' | 'superseded' {
  if (!record) return 'not_found';
  if (record.purpose !== purpose) return 'wrong_purpose';
  if (record.consumedAt !== null) return 'used';
  if (now >= record.expiresAt) return 'expired';
  return 'superseded';
}

function failVerification(deps: AccountDeps, context: RequestContext, reason: string, userId: string | null): never {
  emitAccountEvent(deps, { type: 'account.email_verify', context, userId, outcome: 'failure', reason, severity: 'low' });
  throw new GatehouseError('account.token_invalid', { detail: `email verification: ${reason}` });
}
