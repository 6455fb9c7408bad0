import { hash } from 'node:crypto';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { JwsAlgorithm } from '../jwt/verifier/algorithms.js';
import { JwtVerificationError } from '../jwt/verifier/errors.js';
import { createJwtVerifier, type JwtVerifier } from '../jwt/verifier/verifier.js';
import { OAUTH_PATHS, type OAuthDeps } from './context.js';
import type { OAuthClientRecord } from './types.js';

/** RFC 7523 §2.2 `client_assertion_type`. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Algorithms accepted for client assertions: asymmetric only (no `none`, no HMAC: RFC 8725 §3.1). */
export const CLIENT_ASSERTION_ALGORITHMS: readonly JwsAlgorithm[] = Object.freeze(['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);

/** Why an assertion was refused (event reasons; the caller only ever sees `invalid_client`). */
export class AssertionRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Reads `iss` from an assertion without trusting it, to find the client when `client_id` is
 * not sent (RFC 7523 §3: `iss` is the client_id). Returns undefined when unreadable.
 */
export function unverifiedAssertionIssuer(assertion: string): string | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3 || assertion.length > 8192) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    const iss = (payload as { iss?: unknown }).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

function verifierFor(deps: OAuthDeps, client: OAuthClientRecord): JwtVerifier {
  const cached = deps.assertionVerifiers.get(client.id);
  if (cached && cached.updatedAt === client.updatedAt) return cached.verifier;
  const verifier = createJwtVerifier({
    issuer: client.id,
    // RFC 7523 §3 item 3: the token endpoint URL, or the issuer identifier.
    audience: [deps.issuer, deps.issuer + OAUTH_PATHS.token],
    algorithms: CLIENT_ASSERTION_ALGORITHMS,
    jwks: client.jwks ?? { keys: [] },
    typ: false,
    requiredClaims: ['sub', 'jti'],
    clockToleranceSeconds: Math.min(deps.jwt.clockToleranceSeconds, 300),
    cache: false,
    clock: deps.clock,
  });
  if (deps.assertionVerifiers.size >= 1000) deps.assertionVerifiers.clear();
  deps.assertionVerifiers.set(client.id, { updatedAt: client.updatedAt, verifier });
  return verifier;
}

/**
 * Verifies a `private_key_jwt` client assertion (RFC 7523 §3, OIDC Core §9): signed with a key
 * of the client's registered `jwks` by an asymmetric algorithm; `iss` = `sub` = client_id;
 * `aud` the issuer or the token endpoint; `exp` present, in the future, and at most
 * `oauth.clientAssertionMaxLifetimeSeconds` ahead; `jti` never seen before (single use,
 * remembered in the counters until the assertion expires).
 *
 * @throws {AssertionRefused} with the reason; {GatehouseError} `storage.unavailable` when the counters are down (fail closed)
 */
export async function verifyClientAssertion(deps: OAuthDeps, client: OAuthClientRecord, assertion: string): Promise<void> {
  let claims: Readonly<Record<string, unknown>>;
  try {
    ({ claims } = await verifierFor(deps, client).verify(assertion));
  } catch (err) {
    if (err instanceof JwtVerificationError) throw new AssertionRefused(`assertion_${err.code}`);
    throw err;
  }
  if (claims.sub !== client.id) throw new AssertionRefused('assertion_sub_mismatch');
  const now = deps.clock.now();
  const exp = (claims.exp as number) * 1000;
  const toleranceMs = Math.min(deps.jwt.clockToleranceSeconds, 300) * 1000;
  if (exp - now > deps.config.clientAssertionMaxLifetimeSeconds * 1000 + toleranceMs) throw new AssertionRefused('assertion_lifetime_too_long');
  const jti = claims.jti;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 256) throw new AssertionRefused('assertion_bad_jti');
  let fresh: boolean;
  try {
    fresh = await deps.counters.setIfAbsent(`oauth:assertion:${hash('sha256', `${client.id}\n${jti}`, 'base64url')}`, Math.max(1, exp - now + toleranceMs));
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: 'counters.setIfAbsent failed (client assertion jti)', cause: err });
  }
  if (!fresh) throw new AssertionRefused('assertion_replayed');
}
