import { isIP } from 'node:net';

/** The bucket of a client whose address is missing or not an IP address. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The throttling bucket of a client address: an IPv4 address as is (also when IPv4-mapped,
 * `::ffff:192.0.2.1`), an IPv6 address reduced to its network of `ipv6PrefixLength` bits in
 * canonical form (`2001:db8:0:1::/64`), since one IPv6 host usually controls a whole /64.
 * A zone index (`fe80::1%eth0`) is dropped. Anything else shares the {@link UNKNOWN_CLIENT}
 * bucket, so it cannot escape counting.
 *
 * @example clientBucket('2001:db8::1:2:3:4', 64) // '2001:db8::/64'
 */
export function clientBucket(ip: string, ipv6PrefixLength: number): string {
  if (typeof ip !== 'string' || ip.length > 64) return UNKNOWN_CLIENT;
  const address = ip.includes('%') ? ip.slice(0, ip.indexOf('%')) : ip;
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return UNKNOWN_CLIENT;
  const groups = expandIPv6(address);
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
  }
  for (let i = 0; i < 8; i++) {
    const keep = Math.min(16, Math.max(0, ipv6PrefixLength - 16 * i));
    groups[i] = keep === 0 ? 0 : groups[i]! & ((0xffff << (16 - keep)) & 0xffff);
  }
  return `${compressIPv6(groups)}/${ipv6PrefixLength}`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a dotted IPv4 tail resolved). */
function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const middle = rest === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16));
}

/** RFC 5952 text form: lower case, no leading zeros, the longest run of ≥ 2 zero groups as `::`. */
function compressIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
