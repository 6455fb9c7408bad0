import { describe, expect, it } from 'vitest';
import { secureRandom } from './random.js';

describe('secureRandom (pooled CSPRNG)', () => {
  it('returns exactly the requested number of bytes, pooled and unpooled', () => {
    for (const size of [0, 1, 16, 32, 64, 65, 4096, 10_000]) expect(secureRandom.bytes(size).length).toBe(size);
  });

  it('never hands out the same bytes twice across pool refills', () => {
    const seen = new Set<string>();
    // 2,000 × 16 bytes spans eight refills of the 4 KiB pool.
    for (let i = 0; i < 2000; i++) seen.add(Buffer.from(secureRandom.bytes(16)).toString('hex'));
    expect(seen.size).toBe(2000);
  });

  it('returns copies: changing one result changes no other, nor later results', () => {
    const a = secureRandom.bytes(32);
    const before = Buffer.from(a).toString('hex');
    const b = secureRandom.bytes(32);
    b.fill(0);
    expect(Buffer.from(a).toString('hex')).toBe(before);
    expect(Buffer.from(secureRandom.bytes(32)).equals(Buffer.alloc(32))).toBe(false);
  });

  it('gives every result its own memory (no slice of a shared pool)', () => {
    for (const size of [1, 16, 32, 64, 65]) expect(secureRandom.bytes(size).buffer.byteLength).toBe(size);
  });

  it('looks uniform: every byte value appears in 64 KiB of pooled output', () => {
    const counts = new Uint32Array(256);
    for (let i = 0; i < 2048; i++) for (const byte of secureRandom.bytes(32)) counts[byte]!++;
    // 65,536 bytes: 256 expected per value; a value absent or 3× over would mean a broken pool.
    expect(Math.min(...counts)).toBeGreaterThan(128);
    expect(Math.max(...counts)).toBeLessThan(768);
  });
});
