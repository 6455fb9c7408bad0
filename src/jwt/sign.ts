import { sign, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from './types.js';

/** Encoded protected headers (by their values or JSON): a server signs with a handful of `{alg, typ, kid}`. */
const headerSegments = new Map<string, string>();
const MAX_CACHED_HEADERS = 64;

function headerSegment(header: Record<string, unknown>): string {
  // The usual `{alg, typ, kid}` header is looked up by its three values without serialising it.
  const { alg, typ, kid } = header;
  const plain = typeof alg === 'string' && typeof typ === 'string' && typeof kid === 'string' && Object.keys(header).length === 3;
  const cacheKey = plain ? `${alg}\u0000${typ}\u0000${kid}` : JSON.stringify(header);
  let segment = headerSegments.get(cacheKey);
  if (segment === undefined) {
    segment = Buffer.from(JSON.stringify(header)).toString('base64url');
    if (headerSegments.size >= MAX_CACHED_HEADERS) headerSegments.clear();
    headerSegments.set(cacheKey, segment);
  }
  return segment;
}

/**
 * Produces a JWS Compact Serialization (RFC 7515 §7.1) of `payload` under `header` with
 * `node:crypto`: RS256 (RSASSA-PKCS1-v1_5 SHA-256), ES256 (ECDSA P-256 SHA-256, the
 * R‖S encoding of RFC 7518 §3.4) or EdDSA (Ed25519, RFC 8037 §3.1).
 *
 * @example const jwt = signCompact({ alg: 'RS256', typ: 'at+jwt', kid }, claims, privateKey, 'RS256');
 */
export function signCompact(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject, alg: SigningAlgorithm): string {
  const input = `${headerSegment(header)}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const data = Buffer.from(input, 'ascii');
  const signature =
    alg === 'EdDSA'
      ? sign(null, data, privateKey)
      : alg === 'ES256'
        ? sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', data, privateKey);
  return `${input}.${signature.toString('base64url')}`;
}
