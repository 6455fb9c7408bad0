import type { MailMessage } from '../mail/types.js';
import type { AccountDeps } from './context.js';
import { hashAccountToken } from './tokens.js';

/** The account e-mails Gatehouse sends. Plain text; every link carries a single-use token. */
export type AccountMailKind = 'verify_email' | 'reset_password' | 'signup_existing';

function link(deps: Pick<AccountDeps, 'publicUrl'>, path: string, token: string): string {
  return `${deps.publicUrl}${path}?token=${encodeURIComponent(token)}`;
}

function minutes(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}` : `${Math.round(seconds / 60)} minutes`;
}

/** The e-mail asking a user to confirm an address. */
export function verificationMail(deps: Pick<AccountDeps, 'publicUrl' | 'config'>, to: string, token: string): MailMessage {
  const url = link(deps, '/verify-email', token);
  return {
    to,
    subject: 'Confirm your e-mail address',
    text: `Confirm that this is your e-mail address by opening this link:\n\n${url}\n\nThe link works once, for ${minutes(deps.config.emailVerificationTokenLifetimeSeconds)}. If you did not ask for this, ignore this e-mail.\n`,
  };
}

/** The e-mail with a password-reset link. */
export function resetMail(deps: Pick<AccountDeps, 'publicUrl' | 'config'>, to: string, token: string): MailMessage {
  const url = link(deps, '/reset-password', token);
  return {
    to,
    subject: 'Reset your password',
    text: `Someone asked to reset the password of the account with this e-mail address. To choose a new password, open this link:\n\n${url}\n\nThe link works once, for ${minutes(deps.config.passwordResetTokenLifetimeSeconds)}. Resetting signs you out everywhere. If you did not ask for this, ignore this e-mail: your password stays as it is.\n`,
  };
}

/** The e-mail to the owner of an address someone tried to sign up with again. */
export function signupExistingMail(deps: Pick<AccountDeps, 'publicUrl'>, to: string): MailMessage {
  return {
    to,
    subject: 'You already have an account',
    text: `Someone tried to create an account with this e-mail address, but you already have one. If it was you, sign in at ${deps.publicUrl}/login or reset your password at ${deps.publicUrl}/reset-password.\n\nIf it was not you, ignore this e-mail: nothing has changed.\n`,
  };
}

/**
 * Counts one account e-mail against the per-address limit (`accounts.mailRateLimit`) and
 * reports whether it may be sent. The counter key holds a hash of the address, never the
 * address. Called the same way for known and unknown addresses.
 */
export async function mayMail(deps: Pick<AccountDeps, 'counters' | 'config'>, emailNormalized: string): Promise<boolean> {
  const { limit, windowSeconds } = deps.config.mailRateLimit;
  const result = await deps.counters.consume({ key: `mail:addr:${hashAccountToken(emailNormalized)}`, limit, windowMs: windowSeconds * 1000 });
  return result.allowed;
}
