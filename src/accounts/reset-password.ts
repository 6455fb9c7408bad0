import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type AccountDeps, toUser } from './context.js';
import { normalizeEmail } from './email.js';
import { emitAccountEvent } from './events.js';
import { issueAccountToken } from './issue-token.js';
import { mayMail, resetMail } from './mail.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { SessionRevocationReason } from './revoke-sessions.js';
import { hashAccountToken, isWellFormedAccountToken } from './tokens.js';
import type { User } from './types.js';
import { tokenFailureReason } from './verify-email.js';

/**
 * Starts a password reset: if an account has this address, a single-use reset link is mailed
 * to it. Answers the same way, after the same work (one indexed lookup), for known and
 * unknown addresses: token creation and mail happen in the background, so neither the answer
 * nor its timing tells whether the account exists. Disabled accounts get no mail. The
 * per-address mail limit applies. Emits `account.password_reset` (reason `requested`, or
 * `unknown_user`, `disabled`, `mail_limited`).
 *
 * @throws {GatehouseError} `request.invalid` for something that is not an e-mail address;
 *   `storage.unavailable` (for every address alike)
 * @example await gatehouse.accounts.requestPasswordReset('ann@example.com');
 */
export async function requestPasswordReset(deps: AccountDeps, email: string, context: RequestContext = {}): Promise<void> {
  const { normalized } = normalizeEmail(email);
  const user = await deps.store.findUserByEmail(normalized);
  deps.background.run('password_reset_mail', async () => {
    const allowed = await mayMail(deps, normalized);
    const reason = !user ? 'unknown_user' : user.status === 'disabled' ? 'disabled' : !allowed ? 'mail_limited' : 'requested';
    if (reason === 'requested' && user) {
      const token = await issueAccountToken(deps, user, 'password_reset');
      await deps.mail.send(resetMail(deps, user.email, token));
    }
    emitAccountEvent(deps, {
      type: 'account.password_reset',
      context,
      userId: user?.id ?? null,
      outcome: reason === 'requested' ? 'success' : 'failure',
      reason,
      severity: reason === 'requested' ? 'info' : reason === 'mail_limited' ? 'medium' : 'low',
      details: { phase: 'request' },
    });
  });
}

/**
 * Completes a password reset with the token from the link: checks the new password against
 * the policy (the link stays usable when it fails), then in one atomic step consumes the
 * token (single use; expired at exactly its lifetime), sets the password, marks the address
 * verified and invalidates the user's other reset links; then ends every session of the user.
 * Emits `account.password_reset` (`details.phase: "complete"`).
 *
 * @throws {GatehouseError} `account.token_invalid` for a malformed, unknown, expired, used or
 *   superseded token (all alike); `password.*`; `storage.unavailable`
 * @example await gatehouse.accounts.resetPassword(tokenFromLink, 'a new long passphrase');
 */
export async function resetPassword(deps: AccountDeps, token: string, newPassword: string, context: RequestContext = {}): Promise<User> {
  if (!isWellFormedAccountToken(token)) return failReset(deps, context, 'malformed', null);
  const hash = hashAccountToken(token);
  const record = await deps.store.findToken(hash);
  const now = deps.clock.now();
  if (!record || record.purpose !== 'password_reset' || record.consumedAt !== null || now >= record.expiresAt) {
    return failReset(deps, context, tokenFailureReason(record, 'password_reset', now), record?.userId ?? null);
  }
  const password = checkPasswordPolicy(newPassword, deps.config.password, record.email ?? undefined);
  const passwordHash = await deps.hasher.hash(password);
  const user = await deps.store.consumePasswordReset(hash, passwordHash, deps.clock.now());
  if (!user) {
    const again = await deps.store.findToken(hash);
    return failReset(deps, context, tokenFailureReason(again, 'password_reset', deps.clock.now()), record.userId);
  }
  const sessionsEnded = await deps.sessions.revokeAllForUser(user.id, 'password_reset' satisfies SessionRevocationReason);
  emitAccountEvent(deps, { type: 'account.password_reset', context, userId: user.id, details: { phase: 'complete', sessions_revoked: sessionsEnded } });
  return toUser(user);
}

function failReset(deps: AccountDeps, context: RequestContext, reason: string, userId: string | null): never {
  emitAccountEvent(deps, { type: 'account.password_reset', context, userId, outcome: 'failure', reason, severity: 'low', details: { phase: 'complete' } });
  throw new GatehouseError('account.token_invalid', { detail: `password reset: ${reason}` });
}
