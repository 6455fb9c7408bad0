/** Algorithms of the signing keys Gatehouse generates (RFC 7518 §3.1, RFC 8037 §3.1). */
export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

/** The signing algorithms Gatehouse generates keys for. */
export const signingAlgorithms: readonly SigningAlgorithm[] = Object.freeze(['RS256', 'ES256', 'EdDSA']);

/**
 * Where a signing key is in its life, derived from its times and the clock:
 *
 * - `pending`: published in the JWKS, not signing yet (before `activatesAt`);
 * - `active`: the newest key whose `activatesAt` has passed; it signs every new token;
 * - `retired`: superseded at `retiresAt`, still published until every token it signed has expired;
 * - `removed`: no longer published; its private key is erased.
 */
export type SigningKeyState = 'pending' | 'active' | 'retired' | 'removed';

/** A public JWK as published in the JWKS: never a private member (`d`, `p`, `q`, `dp`, `dq`, `qi`). */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP';
  kid: string;
  alg: SigningAlgorithm;
  use: 'sig';
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

/** A signing key as Gatehouse shows it: everything but the private key. Times are epoch milliseconds. */
export interface SigningKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key. */
  kid: string;
  /** 1 for the first key, +1 for each successor. */
  generation: number;
  alg: SigningAlgorithm;
  publicJwk: PublicJwk;
  createdAt: number;
  /** The key signs from this time on (creation + pre-publish time; creation for the very first key). */
  activatesAt: number;
  /** When its successor takes over (the successor's `activatesAt`); null while it has none. */
  retiresAt: number | null;
  /** The last state announced by a `signing_key.*` event (it may lag the derived state by one check interval). */
  recordedState: SigningKeyState;
  recordedStateAt: number;
}

/** A stored signing key: the public view plus the encrypted private key (null once removed). Never leaves the core. */
export interface SigningKeyRecord extends SigningKey {
  /** `jwt/key-encryption.ts` blob: AES-256-GCM of the PKCS#8 DER private key, bound to `kid`. */
  encryptedPrivateKey: string | null;
}

/** One sign-in's chain of refresh tokens. Times are epoch milliseconds. */
export interface RefreshTokenFamily {
  /** Public id, `rtf_` + 26 characters. */
  id: string;
  /** The user (`sub` of the access tokens). */
  subject: string;
  clientId: string;
  scopes: string[];
  audience: string[];
  /** When the user authenticated (epoch milliseconds), for `auth_time`; null when unknown. */
  authTime: number | null;
  /** RFC 8176 methods, for `amr`. */
  amr: string[];
  /** The sign-in session the family was issued from (browser flow); it must stay active. */
  sessionId: string | null;
  createdAt: number;
  /** No token of the family works from this time on (rotation does not extend it). */
  expiresAt: number;
  revokedAt: number | null;
  revokeReason: string | null;
}

/** One refresh token, by the SHA-256 of its value. Never leaves the core. */
export interface RefreshTokenRecord {
  /** Public id, `rt_` + 26 characters (events, logs). */
  id: string;
  /** Lower-case hex SHA-256 of the token. */
  tokenHash: string;
  familyId: string;
  createdAt: number;
  expiresAt: number;
  /** When it was exchanged for its successor; null while unused. */
  usedAt: number | null;
  successorId: string | null;
  /** The successor tokens, encrypted under a key derived from this token; kept for the reuse leeway only. */
  successorBlob: string | null;
  /** The `jti` of the access token issued beside this refresh token (revoked with the family). */
  accessJti: string | null;
  accessExpiresAt: number | null;
}
