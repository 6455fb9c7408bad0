/**
 * Strict base64url (RFC 4648 §5) as RFC 7515 §2 requires for JWS: only the URL-safe
 * alphabet, no padding, no whitespace, and canonical encodings only (the unused low bits of
 * the last character are zero), so every byte string has exactly one accepted encoding.
 *
 * Node's decoder is lenient, and these checks close each leniency without a per-character
 * regular expression (the hot path decodes two segments per token):
 * - it skips characters outside the alphabet and stops at `=`: such a character leaves fewer
 *   bytes than the length implies, so the decoded length is compared with `length * 3 / 4`;
 * - it reads only the low byte of a non-ASCII character: the UTF-8 length must equal the length;
 * - it also accepts the base64 alphabet's `+` and `/`: refused explicitly.
 */

/** Value of each base64url character (index: char code). */
const VALUES = new Uint8Array(128);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => {
  VALUES[c.charCodeAt(0)] = i;
});

/** Decodes canonical unpadded base64url; `undefined` for anything else. The empty string decodes to no bytes. */
export function decodeBase64url(segment: string): Buffer | undefined {
  return isAscii(segment) ? decodeAsciiBase64url(segment) : undefined;
}

/** True when every character of `text` is ASCII (its UTF-8 length equals its length). */
export function isAscii(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') === text.length;
}

/** {@link decodeBase64url} for a segment of a string already known to be ASCII (the verifier checks the whole token once). */
export function decodeAsciiBase64url(segment: string): Buffer | undefined {
  const length = segment.length;
  const rest = length & 3;
  if (rest === 1) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.length !== (length * 3) >> 2) return undefined;
  if (segment.indexOf('+') !== -1 || segment.indexOf('/') !== -1) return undefined;
  // 2 trailing characters carry 1 byte (4 spare bits), 3 carry 2 bytes (2 spare bits).
  if (rest !== 0 && (VALUES[segment.charCodeAt(length - 1)]! & (rest === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  return bytes;
}

/** True when `segment` is canonical unpadded base64url. */
export function isCanonicalBase64url(segment: string): boolean {
  return decodeBase64url(segment) !== undefined;
}

/**
 * {@link decodeAsciiBase64url} into `target` at `offset`, without allocating (the verifier's
 * hot path decodes into a reused buffer). Returns the number of bytes, or -1 when the segment
 * is not canonical base64url. `target` must have room for `segment.length * 3 / 4` bytes.
 */
export function decodeAsciiBase64urlInto(segment: string, target: Buffer, offset: number): number {
  const length = segment.length;
  const rest = length & 3;
  if (rest === 1) return -1;
  const expected = (length * 3) >> 2;
  if (expected === 0) return 0;
  if (target.write(segment, offset, expected, 'base64url') !== expected) return -1;
  if (segment.indexOf('+') !== -1 || segment.indexOf('/') !== -1) return -1;
  if (rest !== 0 && (VALUES[segment.charCodeAt(length - 1)]! & (rest === 2 ? 0x0f : 0x03)) !== 0) return -1;
  return expected;
}

let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * A buffer of at least `bytes` bytes, reused across calls. Only for synchronous use: its
 * contents are overwritten by the next call, so nothing may hold it across an `await`.
 */
export function scratchBuffer(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(bytes);
  return scratch;
}
