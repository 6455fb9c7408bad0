import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { createId } from './ids.js';
import type { RandomSource } from './random.js';

const ULID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function fixedRandom(fill: number): RandomSource & { sizes: number[] } {
  const sizes: number[] = [];
  return { sizes, bytes: (size) => (sizes.push(size), new Uint8Array(size).fill(fill)) };
}

function countingRandom(): RandomSource {
  let n = 0;
  return { bytes: (size) => Uint8Array.from({ length: size }, () => n++ & 0xff) };
}

describe('createId', () => {
  it('is `<prefix>_` plus 26 Crockford base32 characters', () => {
    const id = createId('key', createManualClock(), countingRandom());
    expect(id.startsWith('key_')).toBe(true);
    expect(id.slice(4)).toMatch(ULID_BODY);
    expect(id).toHaveLength(30);
  });

  it('keeps any prefix', () => {
    expect(createId('evt', createManualClock(), countingRandom())).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('encodes the clock time in the first 10 characters (ULID spec vector)', () => {
    const id = createId('key', createManualClock(1469918176385), fixedRandom(0));
    expect(id).toBe('key_01ARYZ6S410000000000000000');
  });

  it('uses 80 random bits for the last 16 characters', () => {
    const random = fixedRandom(0xff);
    const id = createId('key', createManualClock(0), random);
    expect(random.sizes).toEqual([10]);
    expect(id).toBe(`key_0000000000${'Z'.repeat(16)}`);
  });

  it('sorts by the injected clock time, whatever the random part', () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      // Higher times get lower random bytes, so only the time can order them.
      ids.push(createId('key', clock, fixedRandom(0xff - i)));
      clock.advance(i % 3 === 0 ? 1 : 37_000);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('orders across a base32 digit boundary (31 ms → 32 ms)', () => {
    const a = createId('key', createManualClock(31), fixedRandom(0));
    const b = createId('key', createManualClock(32), fixedRandom(0));
    expect(a < b).toBe(true);
  });
});
