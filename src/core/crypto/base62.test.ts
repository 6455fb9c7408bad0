import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET, encodeBase62, encodeBase62Integer, isBase62 } from './base62.js';

describe('encodeBase62Integer', () => {
  it('uses the ASCII-ordered alphabet: digits, upper case, lower case', () => {
    expect(BASE62_ALPHABET).toHaveLength(62);
    expect(encodeBase62Integer(0, 1)).toBe('0');
    expect(encodeBase62Integer(9, 1)).toBe('9');
    expect(encodeBase62Integer(10, 1)).toBe('A');
    expect(encodeBase62Integer(36, 1)).toBe('a');
    expect(encodeBase62Integer(61, 1)).toBe('z');
  });

  it('encodes place values big-endian', () => {
    expect(encodeBase62Integer(62, 2)).toBe('10');
    expect(encodeBase62Integer(62 * 62 - 1, 2)).toBe('zz');
    expect(encodeBase62Integer(62n ** 5n, 6)).toBe('100000');
  });

  it('left-pads with 0 to the exact length', () => {
    expect(encodeBase62Integer(0, 5)).toBe('00000');
    expect(encodeBase62Integer(61, 4)).toBe('000z');
  });

  it('throws RangeError when the value does not fit', () => {
    expect(() => encodeBase62Integer(62, 1)).toThrow(RangeError);
    expect(() => encodeBase62Integer(62n ** 6n, 6)).toThrow(RangeError);
    expect(() => encodeBase62Integer(1, 0)).toThrow(RangeError);
  });

  it('gives the same result for a number and a bigint (both code paths)', () => {
    for (const n of [0, 1, 61, 62, 3843, 3844, 0xcbf43926, 0xffffffff, 62 ** 6 - 1, Number.MAX_SAFE_INTEGER]) {
      expect(encodeBase62Integer(n, 9), String(n)).toBe(encodeBase62Integer(BigInt(n), 9));
    }
    expect(() => encodeBase62Integer(62 ** 6, 6)).toThrow(RangeError);
    expect(() => encodeBase62Integer(BigInt(62 ** 6), 6)).toThrow(RangeError);
  });

  it('throws RangeError for a negative value', () => {
    expect(() => encodeBase62Integer(-1, 4)).toThrow(RangeError);
    expect(() => encodeBase62Integer(-1n, 4)).toThrow(RangeError);
  });
});

describe('encodeBase62', () => {
  it('reads bytes as a big-endian unsigned integer', () => {
    expect(encodeBase62(Uint8Array.of(0x01, 0x00), 3)).toBe(encodeBase62Integer(256, 3));
    expect(encodeBase62(Uint8Array.of(0x00, 0x3e), 2)).toBe('10');
  });

  it('pads leading zero bytes to the requested length', () => {
    expect(encodeBase62(new Uint8Array(32), 43)).toBe('0'.repeat(43));
    expect(encodeBase62(Uint8Array.of(1), 4)).toBe('0001');
  });

  it('fits the largest 256-bit value in 43 characters but not in 42', () => {
    const max = new Uint8Array(32).fill(0xff);
    // 2^256 - 1, checked independently.
    expect(encodeBase62(max, 43)).toBe('yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp1');
    expect(() => encodeBase62(max, 42)).toThrow(RangeError);
  });

  it('maps different inputs to different outputs', () => {
    const a = new Uint8Array(32).fill(7);
    const b = Uint8Array.from(a);
    b[31] = 8;
    expect(encodeBase62(a, 43)).not.toBe(encodeBase62(b, 43));
  });
});

describe('isBase62', () => {
  it('accepts strings made only of the alphabet', () => {
    expect(isBase62(BASE62_ALPHABET)).toBe(true);
    expect(isBase62('0')).toBe(true);
  });

  it('rejects the empty string', () => {
    expect(isBase62('')).toBe(false);
  });

  it.each([
    ['underscore', 'abc_def'],
    ['hyphen', 'abc-def'],
    ['space', 'abc def'],
    ['plus and slash (base64)', 'ab+/'],
    ['padding', 'abc='],
    ['NUL', 'abc\u0000'],
    ['DEL', 'abc\u007f'],
  ])('rejects ASCII outside the alphabet: %s', (_label, input) => {
    expect(isBase62(input)).toBe(false);
  });

  it.each([
    ['Latin-1 letter', 'abcé'],
    ['Cyrillic look-alike of a', '\u0430bc'],
    ['full-width digit', 'abc\uff11'],
    ['emoji (surrogate pair)', 'ab\u{1F511}'],
    ['code unit 128 + n that aliases an ASCII letter mod 128', String.fromCharCode(128 + 'a'.charCodeAt(0))],
  ])('rejects non-ASCII: %s', (_label, input) => {
    expect(isBase62(input)).toBe(false);
  });
});
