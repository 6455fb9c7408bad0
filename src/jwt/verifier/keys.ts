import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { ALGORITHMS, PSS_SALT_LENGTH, RSA_PKCS1_PSS_PADDING, algorithmSpec, type AlgorithmSpec, type JwsAlgorithm } from './algorithms.js';
import { decodeBase64url } from './base64url.js';
import { hasRocaFingerprint } from './roca.js';

/**
 * Verification keys: JWKs (RFC 7517) or node:crypto `KeyObject`s turned, once, into
 * `(key, algorithm)` entries ready for `crypto.verify`. A key is usable only with the
 * algorithm it is published for: the JWK's `alg` when present; when absent, the algorithms
 * its type and curve allow (RSA: RS256…PS512; EC P-256: ES256, P-384: ES384, P-521: ES512;
 * OKP Ed25519: EdDSA; oct: the HMAC algorithms its length allows), always intersected with the
 * verifier's allowlist. Symmetric keys are accepted only when given explicitly.
 */

/** A verification key given as a node:crypto key: a public key, or a secret key for HS*. */
export interface KeyObjectInput {
  /** The algorithm this key verifies (exactly one). */
  alg: JwsAlgorithm;
  /** A public `KeyObject` (`createPublicKey(pem)`), or a secret one (`createSecretKey(bytes)`) for HS*. */
  key: KeyObject;
  /** Matched exactly against the token's `kid` header; tokens without `kid` match a key without one. */
  kid?: string;
}

/** A JWK as found in a JWK Set (RFC 7517 §4); only the members Gatehouse reads are typed. */
export interface JsonWebKeyInput {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: readonly string[];
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  k?: string;
  [member: string]: unknown;
}

/** Either form of key. */
export type VerificationKeyInput = JsonWebKeyInput | KeyObjectInput;

/** The key argument handed to `crypto.verify`, prepared once per entry. */
export type VerifyKey = KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' } | { key: KeyObject; padding: number; saltLength: number };

/** One usable (key, algorithm) pair. */
export interface KeyEntry {
  readonly kid: string | undefined;
  readonly alg: AlgorithmSpec;
  readonly keyObject: KeyObject;
  readonly verifyKey: VerifyKey;
  /** Exact signature length in bytes for this key and algorithm. */
  readonly signatureBytes: number;
  /** False once the key left its key set (rotation): cached tokens it verified are dropped. */
  active: boolean;
}

/** Outcome of importing one key. */
export type KeyImport = { ok: true; entries: KeyEntry[] } | { ok: false; reason: string };

export interface ImportOptions {
  /** Algorithms the verifier accepts; entries are made only for these. */
  algorithms: ReadonlySet<JwsAlgorithm>;
  /** True for keys given explicitly in `keys`; false for JWK Sets (`jwks`, `jwksUri`). */
  allowSymmetric: boolean;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;
const CURVE_OF_NAMED: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** True for a {@link KeyObjectInput}. */
export function isKeyObjectInput(input: VerificationKeyInput): input is KeyObjectInput {
  return typeof input === 'object' && input !== null && typeof (input as { key?: unknown }).key === 'object' && (input as { key?: unknown }).key !== null && !('kty' in input);
}

/** Imports one key, or says (without key material) why it cannot be used. Never throws. */
export function importVerificationKey(input: unknown, options: ImportOptions): KeyImport {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, reason: 'not a JWK object' };
  try {
    return isKeyObjectInput(input as VerificationKeyInput) ? importKeyObject(input as KeyObjectInput, options) : importJwk(input as Record<string, unknown>, options);
  } catch {
    return { ok: false, reason: 'invalid key material' };
  }
}

function importJwk(jwk: Record<string, unknown>, options: ImportOptions): KeyImport {
  const { kty, kid, alg, use } = jwk;
  if (!isString(kty)) return { ok: false, reason: 'kty missing' };
  if (kid !== undefined && !isString(kid)) return { ok: false, reason: 'kid is not a string' };
  if (use !== undefined && use !== 'sig') return { ok: false, reason: 'use is not "sig" (RFC 7517 §4.2)' };
  const keyOps = jwk.key_ops;
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return { ok: false, reason: 'key_ops lacks "verify" (RFC 7517 §4.3)' };
  let published: AlgorithmSpec | undefined;
  if (alg !== undefined) {
    published = algorithmSpec(alg);
    if (!published) return { ok: false, reason: 'alg is not a supported JWS algorithm' };
    if (published.kty !== kty) return { ok: false, reason: 'alg does not match kty' };
  }

  if (kty === 'oct') {
    if (!options.allowSymmetric) return { ok: false, reason: 'symmetric keys are accepted only in `keys`, never from a JWK Set' };
    const secret = isString(jwk.k) ? decodeBase64url(jwk.k) : undefined;
    if (!secret || secret.length === 0) return { ok: false, reason: 'k is missing or not base64url' };
    const candidates = published ? [published] : hmacAlgorithms();
    const usable = candidates.filter((spec) => secret.length >= spec.minKeySize!);
    if (usable.length === 0) return { ok: false, reason: 'HMAC key shorter than the hash output (RFC 7518 §3.2)' };
    return entriesFor(kid, usable, createSecretKey(secret), options);
  }

  for (const member of PRIVATE_MEMBERS) {
    if (member in jwk) return { ok: false, reason: 'private key material in a verification key' };
  }
  let keyObject: KeyObject;
  let candidates: AlgorithmSpec[];
  switch (kty) {
    case 'RSA': {
      if (!isString(jwk.n) || !isString(jwk.e) || !decodeBase64url(jwk.n) || !decodeBase64url(jwk.e)) return { ok: false, reason: 'n or e missing or not base64url' };
      keyObject = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
      const problem = rsaProblem(keyObject, Buffer.from(jwk.n, 'base64url'));
      if (problem) return { ok: false, reason: problem };
      candidates = published ? [published] : Object.values(ALGORITHMS).filter((s) => s.kty === 'RSA');
      break;
    }
    case 'EC': {
      if (!isString(jwk.crv) || !isString(jwk.x) || !isString(jwk.y)) return { ok: false, reason: 'crv, x or y missing' };
      if (!decodeBase64url(jwk.x) || !decodeBase64url(jwk.y)) return { ok: false, reason: 'x or y not base64url' };
      const curve = jwk.crv;
      const forCurve = Object.values(ALGORITHMS).filter((s) => s.kty === 'EC' && s.crv === curve);
      if (forCurve.length === 0) return { ok: false, reason: 'unsupported EC curve' };
      if (published && published.crv !== curve) return { ok: false, reason: 'alg does not match crv' };
      // OpenSSL checks the point is on the curve here (Wycheproof json_web_key "invalid_point").
      keyObject = createPublicKey({ key: { kty: 'EC', crv: curve, x: jwk.x, y: jwk.y }, format: 'jwk' });
      candidates = forCurve;
      break;
    }
    case 'OKP': {
      if (jwk.crv !== 'Ed25519' || !isString(jwk.x) || !decodeBase64url(jwk.x)) return { ok: false, reason: 'only OKP Ed25519 keys verify JWS (RFC 8037 §3.1)' };
      if (published && published.name !== 'EdDSA') return { ok: false, reason: 'alg does not match crv' };
      keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
      candidates = [ALGORITHMS.EdDSA];
      break;
    }
    default:
      return { ok: false, reason: 'unsupported kty' };
  }
  return entriesFor(kid, candidates, keyObject, options);
}

function importKeyObject(input: KeyObjectInput, options: ImportOptions): KeyImport {
  const spec = algorithmSpec(input.alg);
  if (!spec) return { ok: false, reason: 'alg is not a supported JWS algorithm' };
  if (input.kid !== undefined && !isString(input.kid)) return { ok: false, reason: 'kid is not a string' };
  const key = input.key;
  if (spec.kty === 'oct') {
    if (!options.allowSymmetric) return { ok: false, reason: 'symmetric keys are accepted only in `keys`' };
    if (key.type !== 'secret') return { ok: false, reason: `${spec.name} needs a secret KeyObject` };
    if ((key.symmetricKeySize ?? 0) < spec.minKeySize!) return { ok: false, reason: 'HMAC key shorter than the hash output (RFC 7518 §3.2)' };
    return entriesFor(input.kid, [spec], key, options);
  }
  if (key.type !== 'public') return { ok: false, reason: 'pass the public key (createPublicKey), never a private or secret key, for an asymmetric algorithm' };
  const type = key.asymmetricKeyType;
  if (spec.kty === 'RSA') {
    if (type !== 'rsa') return { ok: false, reason: `${spec.name} needs an RSA key` };
    const jwk = key.export({ format: 'jwk' });
    const problem = rsaProblem(key, Buffer.from(jwk.n ?? '', 'base64url'));
    if (problem) return { ok: false, reason: problem };
  } else if (spec.kty === 'EC') {
    if (type !== 'ec' || CURVE_OF_NAMED[key.asymmetricKeyDetails?.namedCurve ?? ''] !== spec.crv) return { ok: false, reason: `${spec.name} needs an EC ${spec.crv} key` };
  } else if (type !== 'ed25519') {
    return { ok: false, reason: 'EdDSA needs an Ed25519 key' };
  }
  return entriesFor(input.kid, [spec], key, options);
}

/** Why an RSA public key must not be trusted, or undefined. */
function rsaProblem(key: KeyObject, modulus: Uint8Array): string | undefined {
  const details = key.asymmetricKeyDetails;
  if ((details?.modulusLength ?? 0) < 2048) return 'RSA modulus shorter than 2048 bits (RFC 7518 §3.3)';
  const e = details?.publicExponent ?? 0n;
  if (e < 3n || e % 2n === 0n) return 'RSA public exponent is not an odd number ≥ 3';
  if (hasRocaFingerprint(modulus)) return 'RSA modulus has the ROCA fingerprint (CVE-2017-15361)';
  return undefined;
}

function hmacAlgorithms(): AlgorithmSpec[] {
  return [ALGORITHMS.HS256, ALGORITHMS.HS384, ALGORITHMS.HS512];
}

function entriesFor(kid: string | undefined, candidates: readonly AlgorithmSpec[], keyObject: KeyObject, options: ImportOptions): KeyImport {
  const entries: KeyEntry[] = [];
  for (const spec of candidates) {
    if (!options.algorithms.has(spec.name)) continue;
    entries.push({ kid, alg: spec, keyObject, verifyKey: verifyKeyFor(spec, keyObject), signatureBytes: signatureBytesFor(spec, keyObject), active: true });
  }
  return { ok: true, entries };
}

function verifyKeyFor(spec: AlgorithmSpec, keyObject: KeyObject): VerifyKey {
  switch (spec.family) {
    case 'ecdsa':
      // JWS carries R||S (RFC 7518 §3.4), not DER.
      return { key: keyObject, dsaEncoding: 'ieee-p1363' };
    case 'rsa-pss':
      return { key: keyObject, padding: RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH[spec.hash as keyof typeof PSS_SALT_LENGTH] };
    default:
      return keyObject;
  }
}

function signatureBytesFor(spec: AlgorithmSpec, keyObject: KeyObject): number {
  if (spec.signatureBytes !== undefined) return spec.signatureBytes;
  return Math.ceil((keyObject.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/**
 * A set of key entries looked up by `kid` and algorithm. A token with a `kid` matches only
 * entries with exactly that `kid` (no normalisation: it is a map key, never a path or query);
 * a token without one matches an entry only if it is the only entry for that algorithm.
 * Two entries for the same `kid` and algorithm make that pair ambiguous: it matches nothing.
 */
export class KeySet {
  private readonly byKid = new Map<string, KeyEntry[]>();
  private readonly byAlg = new Map<JwsAlgorithm, KeyEntry[]>();
  readonly size: number;

  constructor(readonly entries: readonly KeyEntry[]) {
    for (const entry of entries) {
      if (entry.kid !== undefined) push(this.byKid, entry.kid, entry);
      push(this.byAlg, entry.alg.name, entry);
    }
    this.size = entries.length;
  }

  /** The entry for this `kid` (or none) and algorithm, or undefined (unknown or ambiguous). */
  find(kid: string | undefined, alg: JwsAlgorithm): KeyEntry | undefined {
    const list = kid === undefined ? this.byAlg.get(alg) : this.byKid.get(kid);
    if (list === undefined) return undefined;
    let found: KeyEntry | undefined;
    for (const entry of list) {
      if (entry.alg.name !== alg) continue;
      if (found !== undefined) return undefined;
      found = entry;
    }
    return found;
  }

  /**
   * The entry of this set equal to `entry` (same `kid`, algorithm and key material), so a
   * refreshed set can keep the entries, and the cached verifications, of unchanged keys.
   */
  same(entry: KeyEntry): KeyEntry | undefined {
    const list = entry.kid === undefined ? this.byAlg.get(entry.alg.name) : this.byKid.get(entry.kid);
    return list?.find((e) => e.kid === entry.kid && e.alg === entry.alg && e.keyObject.equals(entry.keyObject));
  }

  /** Marks inactive every entry not in `kept` (this set was replaced by a refreshed one). */
  retireExcept(kept: ReadonlySet<KeyEntry>): void {
    for (const entry of this.entries) if (!kept.has(entry)) entry.active = false;
  }
}

function push<K>(map: Map<K, KeyEntry[]>, key: K, entry: KeyEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
