import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALGORITHMS, type JwsAlgorithm } from '../../../src/jwt/verifier/algorithms.js';
import { JwtVerificationError } from '../../../src/jwt/verifier/errors.js';
import { importVerificationKey, KeySet, type KeyEntry } from '../../../src/jwt/verifier/keys.js';
import { verifyCompactJws } from '../../../src/jwt/verifier/verify-jws.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/jose/', import.meta.url));

/** Reads a JSON fixture under test/fixtures/jose/. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures are untyped JSON
export function fixture<T = any>(path: string): T {
  return JSON.parse(readFileSync(FIXTURES + path, 'utf8')) as T;
}

export const ASYMMETRIC: JwsAlgorithm[] = (Object.keys(ALGORITHMS) as JwsAlgorithm[]).filter((a) => ALGORITHMS[a].family !== 'hmac');
export const HMAC: JwsAlgorithm[] = ['HS256', 'HS384', 'HS512'];

/**
 * Builds a key set the way `createJwtVerifier({ keys })` does (explicit keys: symmetric
 * allowed, every key must import, unique kids) or `{ jwks }` (JWK Set: unusable keys ignored),
 * and verifies one compact JWS at the JWS layer (the vectors' payloads are not JWT claims).
 * Returns 'valid', or the refusal (an import failure counts as a refusal of the token).
 */
export function verifyVector(token: string, keys: unknown[], options: { symmetric: boolean; jwkSet?: boolean }): string {
  const algorithms = new Set(options.symmetric ? HMAC : ASYMMETRIC);
  const entries: KeyEntry[] = [];
  const kids = new Set<string>();
  for (const key of keys) {
    const imported = importVerificationKey(key, { algorithms, allowSymmetric: options.symmetric && !options.jwkSet });
    if (!imported.ok || imported.entries.length === 0) {
      if (options.jwkSet) continue;
      return `key rejected: ${imported.ok ? 'not usable' : imported.reason}`;
    }
    const kid = imported.entries[0]!.kid;
    if (kid !== undefined && !options.jwkSet) {
      if (kids.has(kid)) return 'key rejected: duplicate kid';
      kids.add(kid);
    }
    entries.push(...imported.entries);
  }
  // A verifier takes symmetric or asymmetric keys, never both (algorithm confusion).
  if (entries.some((e) => e.alg.family === 'hmac') && entries.some((e) => e.alg.family !== 'hmac')) return 'key rejected: mixed key set';
  try {
    verifyCompactJws(token, new KeySet(entries), { algorithms, typ: undefined });
    return 'valid';
  } catch (err) {
    if (err instanceof JwtVerificationError) return err.code;
    throw err;
  }
}
