import { sign, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from './types.js';

/**
 * Produces a JWS Compact Serialization (RFC 7515 §7.1) of `payload` under `header` with
 * `node:crypto`: RS256 (RSASSA-PKCS1-v1_5 SHA-256), ES256 (ECDSA P-256 SHA-256, the
 * R‖S encoding of RFC 7518 §3.4) or EdDSA (Ed25519, RFC 8037 §3.1).
 *
 * @example const jwt = signCompact({ alg: 'RS256', typ: 'at+jwt', kid }, claims, privateKey, 'RS256');
 */
export function signCompact(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject, alg: SigningAlgorithm): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const data = Buffer.from(input, 'ascii');
  const signature =
    alg === 'EdDSA'
      ? sign(null, data, privateKey)
      : alg === 'ES256'
        ? sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', data, privateKey);
  return `${input}.${signature.toString('base64url')}`;
}
