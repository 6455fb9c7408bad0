import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';

/** argon2id cost parameters (`config.accounts.argon2`). */
export type Argon2Parameters = GatehouseConfig['accounts']['argon2'];

/** `Algorithm.Argon2id` of @node-rs/argon2 (a `const enum`, unavailable under isolated modules). */
const ARGON2ID = 2 as Algorithm;
/** `Version.V0x13` (argon2 1.3). */
const VERSION_13 = 1;
const SALT_BYTES = 16;
const OUTPUT_BYTES = 32;

/** Hashes and verifies passwords with argon2id. */
export interface PasswordHasher {
  /** The parameters new hashes are made with. */
  readonly parameters: Readonly<Argon2Parameters>;
  /**
   * Hashes a (normalised) password with argon2id, a fresh 16-byte salt from the injected
   * random source, and a 32-byte output. Returns the PHC string
   * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
   */
  hash(password: string): Promise<string>;
  /**
   * Checks a password against a PHC string. The comparison inside argon2 is constant-time.
   * Returns false (never throws) for a malformed or foreign hash.
   */
  verify(phc: string, password: string): Promise<boolean>;
  /** True when `phc` was made with another algorithm, version or parameters than the current ones. */
  needsRehash(phc: string): boolean;
}

/**
 * Builds the argon2id hasher. OWASP's Password Storage Cheat Sheet parameters are the
 * defaults: m = 19456 KiB, t = 2, p = 1.
 *
 * @example
 * const hasher = createPasswordHasher({ memoryKiB: 19456, iterations: 2, parallelism: 1 }, secureRandom);
 * const phc = await hasher.hash('correct horse battery staple');
 */
export function createPasswordHasher(parameters: Argon2Parameters, random: RandomSource): PasswordHasher {
  const params = Object.freeze({ ...parameters });
  const options = (): Options => ({
    algorithm: ARGON2ID,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
    outputLen: OUTPUT_BYTES,
    salt: random.bytes(SALT_BYTES),
  });
  return {
    parameters: params,
    hash: (password) => hash(password, options()),
    async verify(phc, password) {
      try {
        return await verify(phc, password);
      } catch {
        return false;
      }
    },
    needsRehash(phc) {
      try {
        const o = parseOptions(phc);
        return (
          (o.algorithm as number) !== (ARGON2ID as number) ||
          (o.version as number) !== VERSION_13 ||
          o.memoryCost !== params.memoryKiB ||
          o.timeCost !== params.iterations ||
          o.parallelism !== params.parallelism ||
          o.outputLen !== OUTPUT_BYTES ||
          o.saltLen < SALT_BYTES
        );
      } catch {
        return true;
      }
    },
  };
}
