import type { AccountDeps } from './context.js';
import { generateAccountToken } from './tokens.js';
import type { AccountTokenPurpose, UserRecord } from './types.js';

/**
 * Makes and stores a single-use token for `user` (only its SHA-256 is stored), bound to the
 * user's current normalised e-mail, expiring after the configured lifetime. Returns the raw
 * token for the e-mailed link.
 */
export async function issueAccountToken(deps: AccountDeps, user: UserRecord, purpose: AccountTokenPurpose): Promise<string> {
  const now = deps.clock.now();
  const lifetimeSeconds = purpose === 'password_reset' ? deps.config.passwordResetTokenLifetimeSeconds : deps.config.emailVerificationTokenLifetimeSeconds;
  const { token, hash } = generateAccountToken(deps.random);
  await deps.store.insertToken(
    { hash, purpose, userId: user.id, email: user.emailNormalized, createdAt: now, expiresAt: now + lifetimeSeconds * 1000, consumedAt: null },
    now,
  );
  return token;
}
