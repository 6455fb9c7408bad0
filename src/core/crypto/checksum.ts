import { crc32 } from 'node:zlib';
import { encodeBase62Integer } from './base62.js';

/** Length of a base62-encoded CRC32 checksum: 62^6 > 2^32. */
export const CHECKSUM_LENGTH = 6;

/**
 * CRC32 (IEEE, as `zlib.crc32`) of the UTF-8 input, base62-encoded to exactly 6 characters.
 * Not a security control: it lets verifiers and secret scanners reject mistyped or
 * look-alike keys without a storage lookup.
 *
 * @example checksumBase62('gk_live_abc') // '3zrEUi' (6 chars)
 */
export function checksumBase62(input: string): string {
  return encodeBase62Integer(crc32(input), CHECKSUM_LENGTH);
}
