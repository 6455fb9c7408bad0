import { signingAlgorithms } from '../jwt/types.js';
import { createJwtVerifier, type JwtVerifier } from '../jwt/verifier/verifier.js';
import { defaultAudience, type OAuthDeps } from './context.js';

/**
 * The verifier of access tokens Gatehouse signed, built on `src/jwt/verifier` from the current
 * JWKS and rebuilt when it changes (rotation). Trusts `iss` = the issuer and the audiences
 * Gatehouse issues for: the default audience, the browser flow's, and `oauth.resources`.
 * Revocation is checked by the callers, which need to tell it apart.
 */
export async function ownTokenVerifier(deps: OAuthDeps): Promise<JwtVerifier> {
  const jwks = await deps.tokens.jwks();
  if (deps.ownTokens?.etag === jwks.etag) return deps.ownTokens.verifier;
  const audience = [...new Set([defaultAudience(deps), deps.issuer, ...deps.config.resources])];
  const verifier = createJwtVerifier({
    issuer: deps.issuer,
    audience,
    algorithms: signingAlgorithms,
    jwks: { keys: jwks.keys },
    requiredClaims: ['sub', 'jti', 'client_id'],
    clockToleranceSeconds: Math.min(deps.jwt.clockToleranceSeconds, 300),
    clock: deps.clock,
  });
  deps.ownTokens = { etag: jwks.etag, verifier };
  return verifier;
}
