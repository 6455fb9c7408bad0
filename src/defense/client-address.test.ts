import { describe, expect, it } from 'vitest';
import { clientBucket, UNKNOWN_CLIENT } from './client-address.js';

describe('clientBucket', () => {
  it.each([
    ['192.0.2.1', 64, '192.0.2.1'],
    ['::ffff:192.0.2.1', 64, '192.0.2.1'],
    ['::ffff:c000:201', 64, '192.0.2.1'],
    ['2001:db8::1', 64, '2001:db8::/64'],
    ['2001:DB8:0:0:1:2:3:4', 64, '2001:db8::/64'],
    ['2001:db8:1:2:3:4:5:6', 64, '2001:db8:1:2::/64'],
    ['2001:db8:1:2:3:4:5:6', 48, '2001:db8:1::/48'],
    ['2001:db8:1:2:3:4:5:6', 56, '2001:db8:1::/56'],
    ['2001:db8:1:2ff:3:4:5:6', 56, '2001:db8:1:200::/56'],
    ['2001:db8:1:2:3:4:5:6', 128, '2001:db8:1:2:3:4:5:6/128'],
    ['fe80::1%eth0', 64, 'fe80::/64'],
    ['::1', 64, '::/64'],
    ['::1', 128, '::1/128'],
    ['1:0:0:1:0:0:0:1', 128, '1:0:0:1::1/128'],
    ['64:ff9b::192.0.2.33', 96, '64:ff9b::/96'],
  ])('%s with /%i → %s', (ip, prefix, expected) => {
    expect(clientBucket(ip, prefix)).toBe(expected);
  });

  it.each(['', 'unknown', '300.1.1.1', '1.2.3', 'fe80::1::2', 'x'.repeat(100), undefined as unknown as string])('%j → the shared unknown bucket', (ip) => {
    expect(clientBucket(ip, 64)).toBe(UNKNOWN_CLIENT);
  });
});
