import type { Clock } from '../clock.js';
import type { RandomSource } from './random.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Makes a time-sortable identifier in the ULID layout (48-bit millisecond timestamp,
 * then 80 random bits, Crockford base32, 26 characters), behind a type prefix:
 * `key_01JD…`. Ids sort by creation time, which keyset pagination relies on.
 * Ids are public: they are not secrets and are never used to authenticate.
 */
export function createId(prefix: string, clock: Clock, random: RandomSource): string {
  let ts = clock.now();
  const time: string[] = new Array<string>(10);
  for (let i = 9; i >= 0; i--) {
    time[i] = CROCKFORD[ts % 32]!;
    ts = Math.floor(ts / 32);
  }
  const rand = random.bytes(10);
  let bits = 0n;
  for (const b of rand) bits = (bits << 8n) | BigInt(b);
  const tail: string[] = new Array<string>(16);
  for (let i = 15; i >= 0; i--) {
    tail[i] = CROCKFORD[Number(bits & 31n)]!;
    bits >>= 5n;
  }
  return `${prefix}_${time.join('')}${tail.join('')}`;
}
