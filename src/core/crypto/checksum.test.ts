import { describe, expect, it } from 'vitest';
import { isBase62 } from './base62.js';
import { CHECKSUM_LENGTH, checksumBase62 } from './checksum.js';

describe('checksumBase62', () => {
  it('is exactly 6 base62 characters', () => {
    expect(CHECKSUM_LENGTH).toBe(6);
    for (const input of ['', 'a', 'gk_live_abc', 'x'.repeat(1000)]) {
      const sum = checksumBase62(input);
      expect(sum).toHaveLength(6);
      expect(isBase62(sum)).toBe(true);
    }
  });

  it('is CRC-32/IEEE: the standard check value of "123456789" is 0xCBF43926', () => {
    // 0xCBF43926 = 3421780262, base62 computed independently.
    expect(checksumBase62('123456789')).toBe('3jZRME');
  });

  it('pads a zero CRC to 6 characters', () => {
    expect(checksumBase62('')).toBe('000000');
  });

  it('is deterministic', () => {
    expect(checksumBase62('gk_live_abc')).toBe(checksumBase62('gk_live_abc'));
    expect(checksumBase62('gk_live_abc')).toBe('3zrEUi');
  });

  it('changes when one character of the input changes', () => {
    const base = 'gk_live_4ZqAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcde';
    const reference = checksumBase62(base);
    for (let i = 0; i < base.length; i++) {
      const flipped = base.slice(0, i) + (base[i] === 'A' ? 'B' : 'A') + base.slice(i + 1);
      expect(checksumBase62(flipped), `position ${i}`).not.toBe(reference);
    }
  });
});
