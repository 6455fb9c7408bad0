/**
 * `gatehouse/jwt/verifier`: verify Gatehouse access tokens (RFC 9068 JWTs) in your own
 * services, locally, with keys from the issuer's JWK Set. See docs/jwt-verification.md.
 */
export { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions, type JwtVerifierStatus, type VerifiedJwt } from './verifier.js';
export { JwtVerificationError, isJwtVerificationError, jwtVerificationErrorCodes, type JwtVerificationErrorCode } from './errors.js';
export type { JwsAlgorithm } from './algorithms.js';
export type { JwtClaims } from './verify-claims.js';
export type { JwtHeader } from './verify-jws.js';
export type { JwksClientOptions, JwksStatus } from './jwks-client.js';
export type { JsonWebKeyInput, KeyObjectInput, VerificationKeyInput } from './keys.js';
