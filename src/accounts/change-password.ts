import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type AccountDeps, toUser } from './context.js';
import { emitAccountEvent } from './events.js';
import { checkPasswordPolicy, normalizePassword } from './password-policy.js';
import { findUserRecord } from './read.js';
import type { SessionRevocationReason } from './revoke-sessions.js';
import type { User } from './types.js';

/** Input of {@link changePassword}. */
export interface ChangePasswordInput {
  newPassword: string;
  /**
   * The current password. Required when a user changes their own password; an admin
   * (trusted) may omit it.
   */
  currentPassword?: string;
}

/**
 * Sets a new password: checks the current one when given, the policy, hashes with argon2id,
 * invalidates outstanding reset links and ends every session of the user (the caller signs
 * the user in again if it wants to keep them signed in). Emits `account.password_change`.
 *
 * @throws {GatehouseError} `account.not_found`; `account.wrong_password`; `password.*`;
 *   `request.invalid`; `storage.unavailable`
 * @example await gatehouse.accounts.changePassword(id, { currentPassword: old, newPassword: next });
 */
export async function changePassword(deps: AccountDeps, id: string, input: ChangePasswordInput, context: RequestContext = {}): Promise<User> {
  const user = await findUserRecord(deps, id);
  if (input.currentPassword !== undefined) {
    const ok = typeof input.currentPassword === 'string' && (await deps.hasher.verify(user.passwordHash, normalizePassword(input.currentPassword)));
    if (!ok) {
      emitAccountEvent(deps, { type: 'account.password_change', context, userId: user.id, outcome: 'failure', reason: 'wrong_password', severity: 'medium' });
      throw new GatehouseError('account.wrong_password');
    }
  }
  const password = checkPasswordPolicy(input.newPassword, deps.config.password, user.emailNormalized);
  const passwordHash = await deps.hasher.hash(password);
  const updated = await deps.store.setPasswordHash(user.id, passwordHash, deps.clock.now());
  if (!updated) throw new GatehouseError('account.not_found');
  const sessionsEnded = await deps.sessions.revokeAllForUser(user.id, 'password_change' satisfies SessionRevocationReason);
  emitAccountEvent(deps, { type: 'account.password_change', context, userId: user.id, details: { sessions_revoked: sessionsEnded } });
  return toUser(updated);
}
