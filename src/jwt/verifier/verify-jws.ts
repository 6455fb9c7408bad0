import { isAscii, isUtf8 } from 'node:buffer';
import { createHmac, timingSafeEqual, verify as cryptoVerify } from 'node:crypto';
import { algorithmSpec, isNoneAlgorithm, type AlgorithmSpec, type JwsAlgorithm } from './algorithms.js';
import { decodeAsciiBase64url, decodeAsciiBase64urlInto, isAscii as isAsciiText, scratchBuffer } from './base64url.js';
import { JwtVerificationError } from './errors.js';
import type { KeyEntry, KeySet } from './keys.js';
import { parseJsonObject, type JsonObject } from './strict-json.js';

/**
 * The JWS steps of verification (RFC 7515 §5.2), each small and throwing a
 * {@link JwtVerificationError}: split the compact serialisation, check the protected header,
 * verify the signature with node:crypto, decode the payload. The signing input is the token's
 * own ASCII text up to the second dot, never a re-serialisation.
 */

/** The protected header of a verified token. `jku`, `x5u`, `jwk` and `x5c` may be present but are never used. */
export interface JwtHeader {
  alg: JwsAlgorithm;
  kid?: string;
  typ?: string;
  [parameter: string]: unknown;
}

/** A protected header that passed every check, with its algorithm resolved. */
export interface CheckedHeader {
  readonly header: Readonly<JwtHeader>;
  readonly alg: AlgorithmSpec;
  readonly kid: string | undefined;
}

/** What the header must satisfy. */
export interface HeaderPolicy {
  readonly algorithms: ReadonlySet<JwsAlgorithm>;
  /** Accepted `typ` values, normalised by {@link normalizeTyp}; undefined: any or none. */
  readonly typ: ReadonlySet<string> | undefined;
}

/** The positions of the two dots of a compact JWS. */
export interface CompactParts {
  readonly firstDot: number;
  readonly secondDot: number;
}

const malformed = (message: string, claim?: string) => new JwtVerificationError('malformed', message, claim === undefined ? {} : { claim });

/**
 * Splits a compact JWS into exactly three segments (RFC 7515 §7.1) of ASCII text (checked
 * here once for the whole token); throws `malformed` otherwise.
 */
export function splitCompact(token: string): CompactParts {
  if (!isAsciiText(token)) throw malformed('the token has non-ASCII characters');
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot < 0 || token.indexOf('.', secondDot + 1) !== -1) throw malformed('a compact JWS has exactly three segments');
  if (firstDot === 0) throw malformed('the protected header is empty');
  return { firstDot, secondDot };
}

/**
 * `typ` compared as RFC 7515 §4.1.9 suggests: case-insensitively, with an optional
 * `application/` prefix, so `at+jwt` and `application/AT+JWT` are the same (RFC 9068 §2.1).
 */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/** Decodes a segment as canonical base64url, then strict UTF-8, then a JSON object with unique member names. */
export function decodeJsonSegment(segment: string, what: 'header' | 'payload'): JsonObject {
  const buffer = scratchBuffer((segment.length * 3) >> 2);
  const length = decodeAsciiBase64urlInto(segment, buffer, 0);
  if (length < 0) throw malformed(`the ${what} is not canonical base64url`);
  const bytes = buffer.subarray(0, length);
  let text: string;
  if (isAscii(bytes)) text = buffer.toString('latin1', 0, length);
  else if (isUtf8(bytes)) text = buffer.toString('utf8', 0, length);
  else throw malformed(`the ${what} is not UTF-8`);
  const value = parseJsonObject(text);
  if (value === undefined) throw malformed(`the ${what} is not a JSON object with unique member names`);
  return value;
}

/** Checks the protected header (RFC 7515 §4.1, RFC 8725 §3.1/§3.11). */
export function checkHeader(segment: string, policy: HeaderPolicy): CheckedHeader {
  const header = decodeJsonSegment(segment, 'header');
  const alg = header.alg;
  if (isNoneAlgorithm(alg)) throw new JwtVerificationError('unsupported_algorithm', 'unsecured JWS (alg none) is never accepted', { claim: 'alg' });
  const spec = algorithmSpec(alg);
  if (spec === undefined || !policy.algorithms.has(spec.name)) throw new JwtVerificationError('unsupported_algorithm', 'alg is not one of the allowed algorithms', { claim: 'alg' });
  // RFC 7515 §4.1.11: a recipient must reject a JWS naming a critical extension it does not understand; none is understood.
  if (header.crit !== undefined) throw new JwtVerificationError('unsupported_header', 'crit names a header extension this verifier does not understand', { claim: 'crit' });
  // RFC 7797 §7: a JWT never uses the unencoded payload option.
  if (header.b64 !== undefined && header.b64 !== true) throw new JwtVerificationError('unsupported_header', 'b64 other than true is not allowed in a JWT', { claim: 'b64' });
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') throw malformed('kid is not a string', 'kid');
  const typ = header.typ;
  if (typ !== undefined && typeof typ !== 'string') throw malformed('typ is not a string', 'typ');
  if (policy.typ !== undefined && (typ === undefined || !policy.typ.has(normalizeTyp(typ)))) {
    throw new JwtVerificationError('invalid_token_type', 'typ is not the expected token type', { claim: 'typ' });
  }
  const cty = header.cty;
  if (cty !== undefined && (typeof cty !== 'string' || normalizeTyp(cty) === 'jwt')) {
    throw new JwtVerificationError('unsupported_header', 'nested JWTs (cty JWT) are not accepted', { claim: 'cty' });
  }
  return Object.freeze({ header: Object.freeze(header) as Readonly<JwtHeader>, alg: spec, kid });
}

/** Finds the key for a checked header in a key set; throws `unknown_key` when there is none. */
export function selectKey(keys: KeySet, header: CheckedHeader): KeyEntry {
  const entry = keys.find(header.kid, header.alg.name);
  if (entry === undefined) throw new JwtVerificationError('unknown_key', 'no trusted key has this kid and algorithm', { claim: 'kid' });
  return entry;
}

/**
 * Verifies the signature of `token` (split at `parts`) with `entry`, by node:crypto. The
 * signature must be canonical base64url of exactly the key's signature length; ECDSA values
 * outside [1, n-1] are refused by OpenSSL. Throws `invalid_signature`.
 */
export function verifySignature(token: string, parts: CompactParts, entry: KeyEntry): void {
  // Signing input (ASCII, so latin1 is byte-exact) and signature side by side in one reused
  // buffer: no allocation per token beyond two views.
  const { secondDot } = parts;
  const segment = token.slice(secondDot + 1);
  const buffer = scratchBuffer(secondDot + ((segment.length * 3) >> 2));
  buffer.write(token, 0, secondDot, 'latin1');
  const length = decodeAsciiBase64urlInto(segment, buffer, secondDot);
  if (length !== entry.signatureBytes) throw new JwtVerificationError('invalid_signature', 'the signature has the wrong encoding or length');
  if (!verifySignatureBytes(entry, buffer.subarray(0, secondDot), buffer.subarray(secondDot, secondDot + length))) {
    throw new JwtVerificationError('invalid_signature', 'the signature does not verify');
  }
}

/**
 * The signature primitive alone: `signature` (already of the entry's length) over `input`
 * with node:crypto (HMAC compared in constant time). False for any failure, never throws.
 */
export function verifySignatureBytes(entry: KeyEntry, input: Buffer, signature: Buffer): boolean {
  if (signature.length !== entry.signatureBytes) return false;
  try {
    if (entry.alg.family === 'hmac') return timingSafeEqual(createHmac(entry.alg.hash!, entry.keyObject).update(input).digest(), signature);
    return cryptoVerify(entry.alg.hash, input, entry.verifyKey, signature);
  } catch {
    return false;
  }
}

/** The payload bytes of a token whose signature was verified (canonical base64url, else `malformed`). */
export function decodePayloadBytes(token: string, parts: CompactParts): Buffer {
  const bytes = decodeAsciiBase64url(token.slice(parts.firstDot + 1, parts.secondDot));
  if (bytes === undefined) throw malformed('the payload is not canonical base64url');
  return bytes;
}

/** A verified compact JWS: its header and payload bytes. */
export interface VerifiedJws {
  header: Readonly<JwtHeader>;
  payload: Buffer;
  key: KeyEntry;
}

/**
 * Verifies a compact JWS with a fixed key set, without JWT claim checks: the JWS layer the JWT
 * verifier is built on, exposed for the standard vectors (RFC 7515, RFC 7520, Wycheproof),
 * whose payloads are not JWT claims sets. Throws {@link JwtVerificationError}.
 */
export function verifyCompactJws(token: string, keys: KeySet, policy: HeaderPolicy): VerifiedJws {
  if (typeof token !== 'string') throw malformed('the token is not a string');
  const parts = splitCompact(token);
  const checked = checkHeader(token.slice(0, parts.firstDot), policy);
  const key = selectKey(keys, checked);
  verifySignature(token, parts, key);
  return { header: checked.header, payload: decodePayloadBytes(token, parts), key };
}
