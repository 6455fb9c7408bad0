/** The base62 alphabet in ASCII order: digits, upper case, lower case. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const BASE = 62n;
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE62_ALPHABET.length; i++) DECODE[BASE62_ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes (big-endian unsigned integer) as base62, left-padded with `0` to `length`.
 *
 * @param bytes the integer to encode, most significant byte first
 * @param length the exact output length; must be large enough for the value
 * @throws {RangeError} when the value does not fit in `length` characters
 * @example encodeBase62(crypto.randomBytes(32), 43)
 */
export function encodeBase62(bytes: Uint8Array, length: number): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return encodeBase62Integer(value, length);
}

/**
 * Encodes a non-negative integer as base62, left-padded with `0` to `length`.
 *
 * @throws {RangeError} when the value is negative or does not fit in `length` characters
 */
export function encodeBase62Integer(input: bigint | number, length: number): string {
  if (typeof input === 'number' && Number.isSafeInteger(input) && input >= 0) return encodeSafeInteger(input, length);
  let value = BigInt(input);
  if (value < 0n) throw new RangeError('base62: negative value');
  const out: string[] = new Array<string>(length).fill('0');
  for (let i = length - 1; i >= 0 && value > 0n; i--) {
    out[i] = BASE62_ALPHABET[Number(value % BASE)]!;
    value /= BASE;
  }
  if (value > 0n) throw new RangeError(`base62: value does not fit in ${length} characters`);
  return out.join('');
}

/** True when every character of `s` is in the base62 alphabet (and `s` is non-empty). */
export function isBase62(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || DECODE[c] === -1) return false;
  }
  return true;
}

/** Number arithmetic for safe integers (checksums): no BigInt allocation on the verify path. */
function encodeSafeInteger(input: number, length: number): string {
  let value = input;
  let out = '';
  for (let i = 0; i < length; i++) {
    out = BASE62_ALPHABET[value % 62]! + out;
    value = Math.floor(value / 62);
  }
  if (value > 0) throw new RangeError(`base62: value does not fit in ${length} characters`);
  return out;
}
