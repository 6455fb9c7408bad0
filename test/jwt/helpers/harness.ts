import { afterAll, beforeAll, expect } from 'vitest';
import { createManualClock, type ManualClock } from '../../../src/core/clock.js';
import { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from '../../../src/jwt/verifier/index.js';
import { expectInvalidToken, httpTargets, type Answer, type HttpTarget } from './http-targets.js';
import { AUDIENCE, ISSUER, makeKey, NOW_S, type TestKey } from './tokens.js';

/** The issuer's keys in every attack test: RS256, ES256 and EdDSA, published in one JWK Set. */
export interface Issuer {
  rsa: TestKey;
  ec: TestKey;
  ed: TestKey;
}

export function issuerKeys(): Issuer {
  return { rsa: makeKey('RS256'), ec: makeKey('ES256'), ed: makeKey('EdDSA') };
}

/** A verifier trusting {@link issuerKeys} at NOW_S (manual clock), plus the four HTTP targets around it. */
export interface Protected {
  keys: Issuer;
  clock: ManualClock;
  verifier: JwtVerifier;
  targets: HttpTarget[];
  /** Sends `Authorization: Bearer <token>` to `path` on every target. */
  askAll(token: string, path?: '/me' | '/orders' | '/admin'): Promise<Array<{ target: string; answer: Answer }>>;
  /** Asserts every target answers the one RFC 6750 invalid_token 401, and the verifier refuses with `code` (if given). */
  expectRefused(token: string, code?: string): Promise<void>;
  /** Asserts every target lets the token through (200). */
  expectAccepted(token: string): Promise<void>;
}

/** Sets up a protected app for the enclosing describe block. */
export function useProtectedApp(options: Partial<JwtVerifierOptions> = {}): Protected {
  const keys = issuerKeys();
  const clock = createManualClock(NOW_S * 1000);
  const state = { keys, clock } as Protected;
  beforeAll(async () => {
    state.verifier = createJwtVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      jwks: { keys: [keys.rsa.jwk, keys.ec.jwk, keys.ed.jwk] },
      clock,
      ...options,
    });
    state.targets = await httpTargets(state.verifier);
  });
  afterAll(async () => {
    for (const target of state.targets ?? []) await target.close();
  });
  state.askAll = async (token, path = '/me') =>
    Promise.all(state.targets.map(async (target) => ({ target: target.name, answer: await target.request(path, { authorization: `Bearer ${token}` }) })));
  state.expectRefused = async (token, code) => {
    if (code !== undefined) await expect(state.verifier.verify(token)).rejects.toMatchObject({ code });
    const answers = await state.askAll(token);
    const bodies = new Set<string>();
    for (const { target, answer } of answers) {
      expect(answer.status, `${target}: ${answer.body.slice(0, 120)}`).toBe(401);
      expectInvalidToken(answer);
      expect(answer.body).not.toContain(token.slice(-20));
      bodies.add(answer.body);
    }
    // One body for every refusal on every framework (no instance, no reason).
    expect(bodies.size).toBe(1);
  };
  state.expectAccepted = async (token) => {
    for (const { target, answer } of await state.askAll(token)) expect(answer.status, `${target}: ${answer.body.slice(0, 200)}`).toBe(200);
  };
  return state;
}
