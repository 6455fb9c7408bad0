import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * A source of cryptographically secure random bytes. Injected so tests can make key
 * generation deterministic; production always uses {@link secureRandom}.
 */
export interface RandomSource {
  /** Returns `size` fresh random bytes. */
  bytes(size: number): Uint8Array;
}

/** Bytes fetched from the operating system's CSPRNG at once for small requests. */
const POOL_BYTES = 4096;
/** Requests up to this size are served from the pool; larger ones go to `randomBytes` directly. */
const POOLED_MAX = 64;

/**
 * The operating system's CSPRNG (`crypto.randomFillSync` / `randomBytes`, OpenSSL's RAND
 * seeded by the kernel), with small requests served from a 4 KiB pool: one system call per
 * 4 KiB instead of one per token id (a `randomBytes(16)` costs ~3 µs, a pooled one ~0.2 µs;
 * Node's `randomUUID` pools the same way). Every byte is handed out once: the slice is copied
 * out and zeroed in the pool before the call returns, so no two callers ever share bytes and
 * nothing handed out lingers in the pool.
 */
function pooledRandom(): RandomSource {
  const pool = Buffer.alloc(POOL_BYTES);
  let offset = POOL_BYTES;
  return {
    bytes(size: number): Uint8Array {
      if (size > POOLED_MAX) return randomBytes(size);
      if (offset + size > POOL_BYTES) {
        randomFillSync(pool);
        offset = 0;
      }
      // Its own memory (not a slice of Node's shared buffer pool): `out.buffer` holds these bytes only.
      const out = Buffer.allocUnsafeSlow(size);
      pool.copy(out, 0, offset, offset + size);
      pool.fill(0, offset, offset + size);
      offset += size;
      return out;
    },
  };
}

/** The CSPRNG of the operating system, pooled for small requests (see `pooledRandom`). */
export const secureRandom: RandomSource = pooledRandom();
