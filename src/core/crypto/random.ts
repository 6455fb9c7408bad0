import { randomBytes } from 'node:crypto';

/**
 * A source of cryptographically secure random bytes. Injected so tests can make key
 * generation deterministic; production always uses {@link secureRandom}.
 */
export interface RandomSource {
  /** Returns `size` fresh random bytes. */
  bytes(size: number): Uint8Array;
}

/** `crypto.randomBytes`, the CSPRNG of the operating system. */
export const secureRandom: RandomSource = { bytes: (size) => randomBytes(size) };
