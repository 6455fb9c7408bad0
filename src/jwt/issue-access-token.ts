import type { TokenDeps } from './context.js';
import { signCompact } from './sign.js';
import { validateAdditionalClaims, validateAmr, validateAudience, validateClientId, validateLifetime, validateScopes, validateSubject } from './validate.js';

/** Input of {@link issueAccessToken}: what an RFC 9068 access token says. */
export interface AccessTokenInput {
  /** `sub`: the user (or, for client credentials, the client). 1 to 255 visible ASCII characters. */
  subject: string;
  /** `client_id` (RFC 9068 §2.2, RFC 8693 §4.3): the client the token was issued to. */
  clientId: string;
  /** `aud`: the resource server(s) (RFC 8707 resource indicators). A single value is sent as a string. */
  audience: string | readonly string[];
  /** `scope`, space-separated in the token (RFC 6749 §3.3); omitted when empty. */
  scopes?: readonly string[];
  /** When the user authenticated, epoch **milliseconds**; sent as `auth_time` in seconds (OIDC Core §2). */
  authTime?: number | null;
  /** `amr` (RFC 8176), e.g. `['pwd']`; omitted when empty. */
  amr?: readonly string[];
  /** Lifetime in **seconds**, 1 to `jwt.accessToken.maxLifetimeSeconds`. Default `jwt.accessToken.lifetimeSeconds` (900). */
  lifetimeSeconds?: number;
  /** Further claims (at most 4 KiB JSON); registered names (`iss`, `sub`, `exp`, `scope` …) are refused. */
  claims?: Record<string, unknown>;
}

/** An access token just signed. */
export interface IssuedAccessToken {
  /** The JWT (JWS compact serialisation). A bearer credential: never log it. */
  token: string;
  jti: string;
  /** `kid` of the key that signed it. */
  kid: string;
  /** Epoch milliseconds (`iat` × 1000). */
  issuedAt: number;
  /** Epoch milliseconds (`exp` × 1000). */
  expiresAt: number;
  /** Lifetime in seconds (`exp − iat`), for `expires_in`. */
  expiresIn: number;
  /** The claims as signed. */
  claims: Record<string, unknown>;
}

/**
 * Signs an access token as a JWT profile of RFC 9068: header `typ: "at+jwt"`, `alg`, `kid` of
 * the active signing key; claims `iss`, `sub`, `aud`, `exp`, `iat`, `jti` (128 random bits),
 * `client_id`, and `scope`, `auth_time`, `amr` when known. Times in the token are seconds.
 * Emits no event (callers that hand tokens out do: `token.issue`, `token.refresh`).
 *
 * @throws {GatehouseError} `request.invalid` for bad input; `signing_key.unavailable` when no key
 *   can sign; `storage.unavailable`
 * @example
 * const at = await gatehouse.tokens.issueAccessToken({ subject: user.id, clientId: 'orders-web', audience: 'https://api.example.com', scopes: ['orders:read'] });
 */
export async function issueAccessToken(deps: TokenDeps, input: AccessTokenInput): Promise<IssuedAccessToken> {
  const subject = validateSubject(input.subject);
  const clientId = validateClientId(input.clientId);
  const audience = validateAudience(input.audience);
  const scopes = validateScopes(input.scopes);
  const amr = validateAmr(input.amr);
  const lifetime = input.lifetimeSeconds === undefined ? deps.config.accessToken.lifetimeSeconds : validateLifetime(input.lifetimeSeconds, deps.config.accessToken.maxLifetimeSeconds, 'lifetimeSeconds');
  const extra = validateAdditionalClaims(input.claims);

  const now = deps.clock.now();
  const { record, privateKey } = await deps.keyCache.active(now);
  const iat = Math.floor(now / 1000);
  const exp = iat + lifetime;
  const jti = Buffer.from(deps.random.bytes(16)).toString('base64url');
  const claims: Record<string, unknown> = {
    ...extra,
    iss: deps.issuer,
    sub: subject,
    aud: audience.length === 1 ? audience[0] : audience,
    exp,
    iat,
    jti,
    client_id: clientId,
  };
  if (scopes.length > 0) claims.scope = scopes.join(' ');
  if (input.authTime !== undefined && input.authTime !== null) claims.auth_time = Math.floor(input.authTime / 1000);
  if (amr.length > 0) claims.amr = amr;
  const token = signCompact({ alg: record.alg, typ: 'at+jwt', kid: record.kid }, claims, privateKey, record.alg);
  return { token, jti, kid: record.kid, issuedAt: iat * 1000, expiresAt: exp * 1000, expiresIn: lifetime, claims };
}
