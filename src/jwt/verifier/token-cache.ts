import type { KeyEntry } from './keys.js';

/** One cached verification: the frozen result, until when it holds, and the key that verified it. */
export interface CachedVerification<T> {
  readonly result: T;
  /** Epoch ms from which the token is expired (exp + tolerance). */
  readonly expiresAtMs: number;
  readonly key: KeyEntry;
  /** The token's `jti`, for revocation checks on hits. */
  readonly jti: string | undefined;
}

/**
 * Verified tokens by their exact text, so a client that reuses its token pays for the
 * signature once. An entry never outlives its token's `exp` (plus tolerance), nor the key
 * that verified it (a key removed from the JWK Set drops its entries), and the verifier still
 * asks `isRevoked` on every hit. Bounded: when full, the oldest entry is evicted first. Only
 * tokens that passed every check are stored, so invalid tokens cannot fill it.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, CachedVerification<T>>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The live entry for `token` at `nowMs`, or undefined (an expired or retired entry is removed). */
  get(token: string, nowMs: number): CachedVerification<T> | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs || !entry.key.active) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  set(token: string, entry: CachedVerification<T>): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, entry);
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  clear(): void {
    this.entries.clear();
  }
}
