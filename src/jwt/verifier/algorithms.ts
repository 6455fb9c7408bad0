import { constants } from 'node:crypto';

/**
 * The JWS algorithms a Gatehouse verifier can be allowed to accept (RFC 7518 §3.1, RFC 8037 §3.1).
 * `none` is not one of them and can never be allowed.
 */
export type JwsAlgorithm =
  | 'EdDSA'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'HS256'
  | 'HS384'
  | 'HS512';

/** How an algorithm verifies, and which keys it takes. */
export interface AlgorithmSpec {
  readonly name: JwsAlgorithm;
  readonly family: 'eddsa' | 'ecdsa' | 'rsa' | 'rsa-pss' | 'hmac';
  /** JWK `kty` of its keys. */
  readonly kty: 'OKP' | 'EC' | 'RSA' | 'oct';
  /** JWK `crv` its keys must have (EdDSA: Ed25519 only; ECDSA: the curve of RFC 7518 §3.4). */
  readonly crv?: 'Ed25519' | 'P-256' | 'P-384' | 'P-521';
  /** Digest for node:crypto (`null` for Ed25519, which hashes internally). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /**
   * Exact signature length in bytes, where it is fixed: ECDSA R||S (RFC 7518 §3.4), Ed25519,
   * HMAC output. RSA signatures are as long as the key's modulus (checked per key).
   */
  readonly signatureBytes?: number;
  /** Smallest key accepted: RSA modulus bits (RFC 7518 §3.3: 2048), HMAC key bytes (§3.2: the hash size). */
  readonly minKeySize?: number;
}

const spec = (s: AlgorithmSpec): AlgorithmSpec => Object.freeze(s);

/** Every supported algorithm, by name. */
export const ALGORITHMS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = Object.freeze({
  EdDSA: spec({ name: 'EdDSA', family: 'eddsa', kty: 'OKP', crv: 'Ed25519', hash: null, signatureBytes: 64 }),
  ES256: spec({ name: 'ES256', family: 'ecdsa', kty: 'EC', crv: 'P-256', hash: 'sha256', signatureBytes: 64 }),
  ES384: spec({ name: 'ES384', family: 'ecdsa', kty: 'EC', crv: 'P-384', hash: 'sha384', signatureBytes: 96 }),
  ES512: spec({ name: 'ES512', family: 'ecdsa', kty: 'EC', crv: 'P-521', hash: 'sha512', signatureBytes: 132 }),
  RS256: spec({ name: 'RS256', family: 'rsa', kty: 'RSA', hash: 'sha256', minKeySize: 2048 }),
  RS384: spec({ name: 'RS384', family: 'rsa', kty: 'RSA', hash: 'sha384', minKeySize: 2048 }),
  RS512: spec({ name: 'RS512', family: 'rsa', kty: 'RSA', hash: 'sha512', minKeySize: 2048 }),
  PS256: spec({ name: 'PS256', family: 'rsa-pss', kty: 'RSA', hash: 'sha256', minKeySize: 2048 }),
  PS384: spec({ name: 'PS384', family: 'rsa-pss', kty: 'RSA', hash: 'sha384', minKeySize: 2048 }),
  PS512: spec({ name: 'PS512', family: 'rsa-pss', kty: 'RSA', hash: 'sha512', minKeySize: 2048 }),
  HS256: spec({ name: 'HS256', family: 'hmac', kty: 'oct', hash: 'sha256', signatureBytes: 32, minKeySize: 32 }),
  HS384: spec({ name: 'HS384', family: 'hmac', kty: 'oct', hash: 'sha384', signatureBytes: 48, minKeySize: 48 }),
  HS512: spec({ name: 'HS512', family: 'hmac', kty: 'oct', hash: 'sha512', signatureBytes: 64, minKeySize: 64 }),
});

/** Salt length of RSASSA-PSS in JWS: the hash output size (RFC 7518 §3.5). */
export const PSS_SALT_LENGTH = { sha256: 32, sha384: 48, sha512: 64 } as const;
export const RSA_PKCS1_PSS_PADDING = constants.RSA_PKCS1_PSS_PADDING;

/** The spec of a supported algorithm name (exact, case-sensitive: RFC 7515 §4.1.1), or undefined. */
export function algorithmSpec(name: unknown): AlgorithmSpec | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ALGORITHMS, name) ? ALGORITHMS[name as JwsAlgorithm] : undefined;
}

/** True for `none` in any casing (RFC 7518 §3.6 unsecured JWS), which no verifier ever accepts. */
export function isNoneAlgorithm(name: unknown): boolean {
  return typeof name === 'string' && name.toLowerCase() === 'none';
}
