import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type AccountDeps, toUser, USER_ID_PATTERN } from './context.js';
import { normalizeEmail } from './email.js';
import { emitAccountEvent } from './events.js';
import type { SessionRevocationReason } from './revoke-sessions.js';
import type { UserPatch } from './store.js';
import type { User, UserStatus } from './types.js';
import { validateBoolean, validateDisplayName, validateStatus } from './validate.js';

/** Input of {@link updateUser}; omitted fields stay as they are. */
export interface UpdateUserInput {
  /** Display name; null or `''` clears it. */
  name?: string | null;
  /**
   * A new address. Unless `emailVerified` is given too, the user becomes unverified, and
   * every outstanding verification or reset link (mailed to the old address) stops working.
   */
  email?: string;
  emailVerified?: boolean;
  /** `disabled` and `locked` end the user's sessions. */
  status?: UserStatus;
}

/**
 * Changes a user's name, e-mail, verified flag or status. Emits `account.update` (with
 * `details.fields`), or `account.disable`/`account.enable` when only the status changes.
 * Moving a user to `disabled` or `locked` ends every session of the user.
 *
 * @throws {GatehouseError} `account.not_found`; `account.email_taken`; `request.invalid`;
 *   `storage.unavailable`
 * @example await gatehouse.accounts.update(id, { name: 'Ann Smith', emailVerified: true });
 */
export async function updateUser(deps: AccountDeps, id: string, input: UpdateUserInput, context: RequestContext = {}): Promise<User> {
  if (typeof id !== 'string' || !USER_ID_PATTERN.test(id)) throw new GatehouseError('account.not_found');
  const patch: UserPatch = {};
  if (input.name !== undefined) patch.name = validateDisplayName(input.name);
  if (input.email !== undefined) {
    const email = normalizeEmail(input.email);
    patch.email = { display: email.display, normalized: email.normalized };
  }
  if (input.emailVerified !== undefined) patch.emailVerified = validateBoolean(input.emailVerified, 'email_verified');
  if (input.status !== undefined) patch.status = validateStatus(input.status);

  const before = await deps.store.findUserById(id);
  if (!before) throw new GatehouseError('account.not_found');
  if (patch.email && patch.email.normalized !== before.emailNormalized && patch.emailVerified === undefined) patch.emailVerified = false;
  if (patch.email && patch.email.normalized === before.emailNormalized && patch.email.display === before.email) delete patch.email;

  const result = await deps.store.updateUser(id, patch, deps.clock.now());
  if (!result.ok) throw new GatehouseError(result.reason === 'email_taken' ? 'account.email_taken' : 'account.not_found');
  const after = result.user;

  const statusChanged = after.status !== before.status;
  if (statusChanged && after.status !== 'active') {
    // The sessions domain knows one reason for "the account may no longer sign in".
    await deps.sessions.revokeAllForUser(id, 'account_disabled' satisfies SessionRevocationReason);
  }
  const fields = Object.keys(patch);
  const onlyStatus = fields.length === 1 && fields[0] === 'status';
  emitAccountEvent(deps, {
    type: onlyStatus ? (after.status === 'active' ? 'account.enable' : 'account.disable') : 'account.update',
    context,
    userId: id,
    reason: onlyStatus && !statusChanged ? 'unchanged' : 'ok',
    details: { fields, status: after.status, email_verified: after.emailVerified, ...(patch.email ? { email_changed: before.emailNormalized !== after.emailNormalized } : {}) },
  });
  return toUser(after);
}

/**
 * Disables a user: sign-in is refused and every session ends. Idempotent. Emits `account.disable`.
 * @throws {GatehouseError} `account.not_found`; `storage.unavailable`
 * @example await gatehouse.accounts.disable('usr_01J…');
 */
export function disableUser(deps: AccountDeps, id: string, context: RequestContext = {}): Promise<User> {
  return updateUser(deps, id, { status: 'disabled' }, context);
}

/**
 * Re-enables a disabled or locked user (status `active`). Idempotent. Emits `account.enable`.
 * @throws {GatehouseError} `account.not_found`; `storage.unavailable`
 * @example await gatehouse.accounts.enable('usr_01J…');
 */
export function enableUser(deps: AccountDeps, id: string, context: RequestContext = {}): Promise<User> {
  return updateUser(deps, id, { status: 'active' }, context);
}
