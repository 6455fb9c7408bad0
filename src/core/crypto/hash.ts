import { createHmac, hash, timingSafeEqual } from 'node:crypto';

/**
 * Hashes a high-entropy secret (API key, refresh token, session id) for storage:
 * HMAC-SHA256 under `pepper` when one is configured, plain SHA-256 otherwise.
 * Returns the 32-byte digest as lower-case hex (64 characters).
 *
 * Slow password hashes are unnecessary here: the inputs carry ≥256 bits of entropy.
 *
 * @example hashSecret('gk_live_…', undefined) // '3f…'
 */
export function hashSecret(secret: string, pepper: Buffer | undefined): string {
  return pepper
    ? createHmac('sha256', pepper).update(secret, 'utf8').digest('hex')
    : // One-shot crypto.hash (Node ≥ 20.12) is ~4× faster than createHash for short inputs.
      hash('sha256', secret, 'hex');
}

/**
 * Compares two strings in time that depends only on their lengths (never on where they differ).
 * Used for hashes and other secrets. Returns false for different lengths.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}
