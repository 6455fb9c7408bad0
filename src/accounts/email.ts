import { GatehouseError } from '../core/errors/gatehouse-error.js';

/** Longest accepted address, in characters (RFC 5321 §4.5.3.1.3: a path holds at most 254). */
export const MAX_EMAIL_LENGTH = 254;

// eslint-disable-next-line no-control-regex
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007F-\u009F\u2028\u2029]/u;

/** An e-mail address as typed (trimmed) and its lookup key. */
export interface NormalizedEmail {
  /** The trimmed address, as typed, for display and for sending mail. */
  display: string;
  /** The unique, case-insensitive key: NFKC, then lower-cased. */
  normalized: string;
}

/**
 * Parses an e-mail address: trims it, checks its shape (one `@`, a non-empty local part, a
 * domain with a dot or `localhost`, no spaces or control characters, at most 254 characters)
 * and derives the lookup key (Unicode NFKC, then lower case), so `Alice@Example.COM` and
 * `alice@example.com` are one account, as are full-width and ASCII forms of one address.
 * Deliverability is proven by the verification mail, not here.
 *
 * @throws {GatehouseError} `request.invalid` (the message names the field, never the value)
 * @example normalizeEmail(' Alice@Example.com ') // { display: 'Alice@Example.com', normalized: 'alice@example.com' }
 */
export function normalizeEmail(input: unknown, field = 'email'): NormalizedEmail {
  if (typeof input !== 'string') throw invalidEmail(field);
  const display = input.trim();
  const normalized = display.normalize('NFKC').toLowerCase();
  if (!isPlausibleEmail(display) || !isPlausibleEmail(normalized)) throw invalidEmail(field);
  return { display, normalized };
}

/** The lookup key of an address, or null when it cannot be an address (no error thrown). */
export function tryNormalizeEmail(input: unknown): string | null {
  try {
    return normalizeEmail(input).normalized;
  } catch {
    return null;
  }
}

function isPlausibleEmail(value: string): boolean {
  if (value.length < 3 || value.length > MAX_EMAIL_LENGTH || CONTROL_OR_SPACE.test(value)) return false;
  const at = value.lastIndexOf('@');
  if (at < 1 || at !== value.indexOf('@')) return false;
  const domain = value.slice(at + 1);
  if (at > 64 || domain.length < 1 || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..')) return false;
  return domain.includes('.') || domain === 'localhost';
}

function invalidEmail(field: string): GatehouseError {
  return new GatehouseError('request.invalid', { publicMessage: `${field} must be an e-mail address of at most ${MAX_EMAIL_LENGTH} characters.` });
}
