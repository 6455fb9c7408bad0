import { createHash } from 'node:crypto';
import type { TokenDeps } from './context.js';
import { signCompact } from './sign.js';
import type { SigningAlgorithm } from './types.js';
import { validateAmr, validateClientId, validateLifetime, validateSubject } from './validate.js';

/** Input of {@link issueIdToken}: what an OpenID Connect ID token says (OIDC Core §2). */
export interface IdTokenInput {
  /** `sub`: the user's id (OIDC Core §8: `public` subject identifiers). */
  subject: string;
  /** `aud` (a single value) and `azp`: the client the token is for. */
  clientId: string;
  /** `auth_time`, epoch **milliseconds** (sent in seconds); omitted when null. */
  authTime: number | null;
  /** `nonce` of the authorization request, sent back unchanged (OIDC Core §3.1.2.1); omitted when null. */
  nonce: string | null;
  /** `amr` (RFC 8176); omitted when empty. */
  amr?: readonly string[];
  /** The access token issued beside it: its `at_hash` is added (OIDC Core §3.1.3.6). */
  accessToken?: string;
  /** Lifetime in **seconds** (60 to 3600). */
  lifetimeSeconds: number;
}

/** An ID token just signed. */
export interface IssuedIdToken {
  /** The JWT (JWS compact serialisation). Never log it. */
  token: string;
  /** `kid` of the key that signed it. */
  kid: string;
  /** Epoch milliseconds (`exp` × 1000). */
  expiresAt: number;
}

/**
 * `at_hash` / `c_hash` (OIDC Core §3.1.3.6, §3.3.2.11): base64url of the left half of the hash
 * of the ASCII value, with the hash of the JWS algorithm: SHA-256 for RS256 and ES256, SHA-512
 * for EdDSA over Ed25519 (OIDC Core errata, as certified relying parties compute it).
 *
 * @example leftHalfHash(accessToken, 'RS256') // 22 base64url characters
 */
export function leftHalfHash(value: string, alg: SigningAlgorithm): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * Signs an OpenID Connect ID token (OIDC Core §2, §3.1.3.6) with the active signing key (the
 * same key set as access tokens, published in the JWKS): header `typ: "JWT"`, `alg`, `kid`;
 * claims `iss`, `sub`, `aud` (the client), `azp`, `exp`, `iat`, and `auth_time`, `nonce`,
 * `amr`, `at_hash` when given. Times in the token are seconds. Emits no event (the caller
 * does: `oauth.id_token.issue`).
 *
 * @throws {GatehouseError} `request.invalid` for bad input; `signing_key.unavailable`; `storage.unavailable`
 * @example
 * const idt = await gatehouse.tokens.issueIdToken({ subject: user.id, clientId, authTime, nonce, amr: ['pwd'], accessToken, lifetimeSeconds: 300 });
 */
export async function issueIdToken(deps: TokenDeps, input: IdTokenInput): Promise<IssuedIdToken> {
  const subject = validateSubject(input.subject);
  const clientId = validateClientId(input.clientId);
  const amr = validateAmr(input.amr);
  const lifetime = validateLifetime(input.lifetimeSeconds, 3600, 'lifetimeSeconds');
  const now = deps.clock.now();
  const { record, privateKey } = await deps.keyCache.active(now);
  const iat = Math.floor(now / 1000);
  const claims: Record<string, unknown> = { iss: deps.issuer, sub: subject, aud: clientId, azp: clientId, exp: iat + lifetime, iat };
  if (input.authTime !== null) claims.auth_time = Math.floor(input.authTime / 1000);
  if (input.nonce !== null) claims.nonce = input.nonce;
  if (amr.length > 0) claims.amr = amr;
  if (input.accessToken !== undefined) claims.at_hash = leftHalfHash(input.accessToken, record.alg);
  const token = signCompact({ alg: record.alg, typ: 'JWT', kid: record.kid }, claims, privateKey, record.alg);
  return { token, kid: record.kid, expiresAt: (iat + lifetime) * 1000 };
}
