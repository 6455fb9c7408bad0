/**
 * Invariant: an ECDSA signature verifies only if it is R||S of exactly the curve's size with
 * 1 ≤ r, s < n (RFC 7518 §3.4, FIPS 186-4): r = s = 0 ("psychic signatures", CVE-2022-21449),
 * values equal to or above the group order, DER encodings and wrong lengths are refused, with
 * the one 401 `invalid_token` response and never a 500.
 */
import { describe, it } from 'vitest';
import { useProtectedApp } from './helpers/harness.js';
import { accessClaims, b64, rawSignature } from './helpers/tokens.js';

const N = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
const be32 = (hex: string) => Buffer.from(hex.padStart(64, '0'), 'hex');

describe('ECDSA signatures must be in range', () => {
  const app = useProtectedApp();
  const input = () => `${b64({ alg: 'ES256', kid: app.keys.ec.kid, typ: 'at+jwt' })}.${b64(accessClaims())}`;
  const withSignature = (sig: Buffer) => `${input()}.${sig.toString('base64url')}`;

  const cases: Array<[string, () => Buffer]> = [
    ['r = s = 0', () => Buffer.alloc(64)],
    ['r = 0, s = 1', () => Buffer.concat([Buffer.alloc(32), be32('1')])],
    ['r = 1, s = 0', () => Buffer.concat([be32('1'), Buffer.alloc(32)])],
    ['r = s = n', () => Buffer.concat([N, N])],
    ['r = n, s valid', () => Buffer.concat([N, rawSignature(app.keys.ec, input()).subarray(32)])],
    ['r, s = 2^256 - 1', () => Buffer.alloc(64, 0xff)],
    ['DER-encoded signature', () => {
      const raw = rawSignature(app.keys.ec, input());
      const int = (b: Buffer) => (b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
      const r = int(raw.subarray(0, 32));
      const s = int(raw.subarray(32));
      return Buffer.concat([Buffer.from([0x30, r.length + s.length + 4, 0x02, r.length]), r, Buffer.from([0x02, s.length]), s]);
    }],
    ['valid signature with a trailing zero byte', () => Buffer.concat([rawSignature(app.keys.ec, input()), Buffer.alloc(1)])],
    ['valid signature truncated by one byte', () => rawSignature(app.keys.ec, input()).subarray(0, 63)],
    ['r and s swapped', () => {
      const raw = rawSignature(app.keys.ec, input());
      return Buffer.concat([raw.subarray(32), raw.subarray(0, 32)]);
    }],
  ];

  it.each(cases)('%s is refused', async (_name, make) => {
    await app.expectRefused(withSignature(make()), 'invalid_signature');
  });

  it('the same token with its real signature is accepted (control)', async () => {
    await app.expectAccepted(withSignature(rawSignature(app.keys.ec, input())));
  });
});
