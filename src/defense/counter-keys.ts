import { hash } from 'node:crypto';

/**
 * Counter and lock keys of the three failure buckets. The part in braces is a Redis Cluster
 * hash tag, so a bucket's counter and lock (read together by one script) share a slot.
 */
export interface BucketKeys {
  key: string;
  lockKey: string;
}

/** The shared failure bucket of one identifier (by its keyed hash). */
export function identifierBucket(identifierHash: string): BucketKeys {
  return { key: `def:{id:${identifierHash}}:fail`, lockKey: `def:{id:${identifierHash}}:lock` };
}

/** The failure bucket of one client address bucket (see `clientBucket`). */
export function ipBucket(client: string): BucketKeys {
  return { key: `def:{ip:${client}}:fail`, lockKey: `def:{ip:${client}}:lock` };
}

/** The device-cookie id in counters and events: a hash of its nonce, never the nonce itself. */
export function deviceId(nonce: string): string {
  return `dev_${hash('sha256', nonce, 'hex').slice(0, 32)}`;
}

/** The own failure bucket of one device cookie. */
export function deviceBucket(device: string): BucketKeys {
  return { key: `def:{dev:${device}}:fail`, lockKey: `def:{dev:${device}}:lock` };
}
