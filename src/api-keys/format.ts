import { encodeBase62, isBase62 } from '../core/crypto/base62.js';
import { CHECKSUM_LENGTH, checksumBase62 } from '../core/crypto/checksum.js';
import type { RandomSource } from '../core/crypto/random.js';

/** Random bytes in a key: 256 bits. */
export const KEY_RANDOM_BYTES = 32;
/** Base62 characters that hold 256 bits: ⌈256 / log2(62)⌉ = 43. */
export const KEY_RANDOM_LENGTH = 43;
/** Characters after `<prefix>_`: random part plus checksum. */
export const KEY_BODY_LENGTH = KEY_RANDOM_LENGTH + CHECKSUM_LENGTH;
/** Characters of the body kept for display. */
export const KEY_START_LENGTH = 8;

/**
 * Makes a new API key: `<prefix>_<43 base62 chars of 256 random bits><6 base62 chars of
 * CRC32>`. The checksum covers everything before it (`<prefix>_<random>`), so a changed
 * prefix also fails the check.
 *
 * @param prefix e.g. `gk_live`
 * @returns the raw key (shown to the user once) and its display `start`
 * @example generateApiKey('gk_live', secureRandom).key // 'gk_live_4Zq…'
 */
export function generateApiKey(prefix: string, random: RandomSource): { key: string; start: string } {
  const body = encodeBase62(random.bytes(KEY_RANDOM_BYTES), KEY_RANDOM_LENGTH);
  const head = `${prefix}_${body}`;
  return { key: head + checksumBase62(head), start: body.slice(0, KEY_START_LENGTH) };
}

/** Why a string is not a well-formed key; recorded in audit events, never sent to a client. */
export type ApiKeyFormatProblem = 'length' | 'charset' | 'prefix' | 'checksum';

/**
 * Checks a presented key's shape and checksum with no storage lookup.
 *
 * @param key the presented string (untrusted)
 * @param prefixes the accepted prefixes (one per environment)
 * @returns the prefix and display start, or the problem found
 */
export function parseApiKey(
  key: string,
  prefixes: readonly string[],
): { ok: true; prefix: string; start: string } | { ok: false; problem: ApiKeyFormatProblem } {
  const separator = key.lastIndexOf('_');
  if (separator <= 0 || key.length - separator - 1 !== KEY_BODY_LENGTH || key.length > 128) return { ok: false, problem: 'length' };
  const prefix = key.slice(0, separator);
  const body = key.slice(separator + 1);
  if (!isBase62(body)) return { ok: false, problem: 'charset' };
  if (!prefixes.includes(prefix)) return { ok: false, problem: 'prefix' };
  const head = key.slice(0, key.length - CHECKSUM_LENGTH);
  if (checksumBase62(head) !== key.slice(key.length - CHECKSUM_LENGTH)) return { ok: false, problem: 'checksum' };
  return { ok: true, prefix, start: body.slice(0, KEY_START_LENGTH) };
}
