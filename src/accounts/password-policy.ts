import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import { loadCommonPasswords } from './common-passwords.js';

/** The password rules in force (`config.accounts.password`). */
export type PasswordPolicy = GatehouseConfig['accounts']['password'];

/**
 * Normalises a password for hashing and comparison: Unicode NFKC (NIST SP 800-63B §5.1.1.2),
 * so the same password typed with composed or decomposed characters, or full-width forms,
 * is the same password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Checks a new password against the policy of NIST SP 800-63B §3.1.1.2: length in Unicode
 * code points after NFKC between `minLength` and `maxLength`, not on the common-password
 * list, and not the account's e-mail address (both compared case-insensitively after NFKC).
 * No composition rules. Returns the normalised password, the form that is hashed.
 *
 * Errors name the rule that failed (not a secret) and never contain the password.
 *
 * @param emailNormalized the account's normalised e-mail, when known
 * @throws {GatehouseError} `request.invalid` (not a string), `password.too_short`,
 *   `password.too_long`, `password.too_repetitive`, `password.too_common`, `password.matches_email`
 * @example checkPasswordPolicy('correct horse battery staple', policy, 'ann@example.com')
 */
export function checkPasswordPolicy(password: unknown, policy: PasswordPolicy, emailNormalized?: string): string {
  if (typeof password !== 'string') throw new GatehouseError('request.invalid', { publicMessage: 'password must be a string.' });
  // NFKC expands a code point into at most 18; anything this long is too long either way,
  // and is refused before normalising megabytes.
  if (password.length > policy.maxLength * 18) throw tooLong(policy);
  const normalized = normalizePassword(password);
  const length = countCodePoints(normalized);
  if (length < policy.minLength) {
    throw new GatehouseError('password.too_short', { publicMessage: `The password must have at least ${policy.minLength} characters.` });
  }
  if (length > policy.maxLength) throw tooLong(policy);
  const folded = normalized.toLowerCase();
  if (isTriviallyRepetitive(folded)) throw new GatehouseError('password.too_repetitive');
  if (emailNormalized !== undefined && folded === emailNormalized) throw new GatehouseError('password.matches_email');
  if (policy.rejectCommon && loadCommonPasswords().has(folded)) throw new GatehouseError('password.too_common');
  return normalized;
}

/** Spaces, and characters that render as nothing (zero-width and other format characters). */
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * True when a (case-folded) password is one character repeated, or has no visible character
 * at all: such passwords pass a length rule yet are among the first an attacker tries
 * (NIST SP 800-63B §3.1.1.2: repetitive or sequential characters).
 */
export function isTriviallyRepetitive(folded: string): boolean {
  if (folded.replace(INVISIBLE, '').length === 0) return true;
  const first = folded.codePointAt(0);
  for (const c of folded) if (c.codePointAt(0) !== first) return false;
  return true;
}

/** Length in Unicode code points (a surrogate pair counts once). */
export function countCodePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function tooLong(policy: PasswordPolicy): GatehouseError {
  return new GatehouseError('password.too_long', { publicMessage: `The password must have at most ${policy.maxLength} characters.` });
}
