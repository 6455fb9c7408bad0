import type { AccountDeps } from './context.js';
import { toUser } from './context.js';
import { tryNormalizeEmail } from './email.js';
import { normalizePassword } from './password-policy.js';
import type { AuthenticateResult } from './types.js';

/** Longest password input, in UTF-16 units, that is hashed; longer input is hashed as a fixed stand-in. */
const MAX_PASSWORD_INPUT = 4096;

/**
 * Checks a password login. Every call runs exactly one argon2id verification: against the
 * user's hash, or, for an unknown or malformed e-mail, against a dummy hash made at start
 * with the current parameters, so an unknown e-mail costs the same as a known one. A correct
 * password whose hash was made under older parameters is rehashed and stored (compare-and-set,
 * so a concurrent password change wins). Emits no event: the login flow does, with the reason.
 *
 * The reasons are private (events only): a caller must answer every failure alike.
 *
 * @throws {GatehouseError} `storage.unavailable` (fail closed)
 * @example
 * const result = await gatehouse.accounts.authenticate('ann@example.com', 'correct horse battery staple');
 * if (!result.ok) reply.code(401); // same body for every result.reason
 */
export async function authenticate(deps: AccountDeps, email: string, password: string): Promise<AuthenticateResult> {
  const candidate = typeof password === 'string' && password.length <= MAX_PASSWORD_INPUT ? normalizePassword(password) : undefined;
  const normalizedEmail = tryNormalizeEmail(email);
  const user = normalizedEmail === null ? null : await deps.store.findUserByEmail(normalizedEmail);
  if (!user) {
    await deps.hasher.verify(await deps.dummyHash, candidate ?? '\u0000');
    return { ok: false, reason: 'unknown_user', userId: null };
  }
  // An over-long input still costs one verification, against the real hash, and cannot match.
  const matches = (await deps.hasher.verify(user.passwordHash, candidate ?? '\u0000')) && candidate !== undefined;
  if (!matches) return { ok: false, reason: 'wrong_password', userId: user.id };
  if (user.status === 'disabled') return { ok: false, reason: 'disabled', userId: user.id };
  if (user.status === 'locked') return { ok: false, reason: 'locked', userId: user.id };
  if (deps.hasher.needsRehash(user.passwordHash)) {
    try {
      const upgraded = await deps.hasher.hash(candidate);
      if (await deps.store.rehashPassword(user.id, user.passwordHash, upgraded)) user.passwordHash = upgraded;
    } catch (err) {
      // The login itself succeeded; the upgrade is retried at the next one.
      deps.logger.warn({ user_id: user.id, err: { code: (err as { code?: unknown }).code } }, 'password rehash failed');
    }
  }
  return { ok: true, user: toUser(user) };
}
