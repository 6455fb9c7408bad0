import { createHmac } from 'node:crypto';

/** Longest identifier accepted, in UTF-16 code units (an e-mail address is at most 320). */
export const MAX_IDENTIFIER_LENGTH = 1024;

/**
 * Normalises a submitted login identifier the way account e-mails are normalised (trim,
 * Unicode NFKC, lower case), trimming once more after NFKC because it can turn other
 * spaces (U+3000) into ASCII ones. Idempotent. Every spelling that reaches one account
 * therefore lands in one failure bucket; spellings that reach no account get buckets too.
 *
 * @example normalizeIdentifier('  Alice@EXAMPLE.com ') // 'alice@example.com'
 */
export function normalizeIdentifier(identifier: string): string {
  return identifier.trim().normalize('NFKC').toLowerCase().trim();
}

/**
 * The keyed hash of a normalised identifier: `idh_` + the first 128 bits of
 * HMAC-SHA256(identifierKey, identifier) in hex. Counters and events carry this instead of
 * the identifier, which may be anything a user typed (a password in the e-mail field is a
 * common slip); the key keeps it from being reversed by hashing a list of addresses.
 */
export function identifierHash(identifierKey: Buffer, normalized: string): string {
  return `idh_${createHmac('sha256', identifierKey).update(normalized, 'utf8').digest('hex').slice(0, 32)}`;
}
