/**
 * Project Wycheproof's JSON Web Signature and JSON Web Key tests, and its ECDSA P-256 (P1363,
 * the JWS signature format) and Ed25519 primitive tests, each asserting its expected result:
 * every `valid` case verifies, every `invalid` case is refused (an unusable key counts as a
 * refusal), `acceptable` cases may go either way. Deviations from the data are listed with
 * their reason and asserted too.
 */
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importVerificationKey } from '../../../src/jwt/verifier/keys.js';
import { verifySignatureBytes } from '../../../src/jwt/verifier/verify-jws.js';
import { fixture, verifyVector } from './load.js';

interface Test {
  tcId: number;
  comment: string;
  jws?: unknown;
  result: 'valid' | 'invalid' | 'acceptable';
  flags?: string[];
}
/** A JWK or a JWK Set, as the groups give their keys. */
type GroupKey = Record<string, unknown> & { alg?: string; keys?: unknown[] };
interface Group {
  comment: string;
  public?: GroupKey;
  private?: GroupKey;
  tests: Test[];
}

/** Cases whose expected result Gatehouse deliberately does not follow, and what it does instead. */
const JWS_DEVIATIONS: Record<number, { expect: 'refused' | 'skip'; why: string }> = {
  367: { expect: 'skip', why: 'same JWS as valid tcId 357 but marked invalid (padding lost upstream)' },
  370: { expect: 'skip', why: 'same JWS as valid tcId 357 but marked invalid (padding lost upstream)' },
  372: { expect: 'refused', why: "'?' inside base64url: strict decoding (RFC 7515 §2) refuses it" },
  373: { expect: 'refused', why: "'?' inside base64url: strict decoding (RFC 7515 §2) refuses it" },
  351: { expect: 'refused', why: 'the key is published for "ES521" (not a JWS algorithm): a key is used only with the algorithm it is published for' },
  346: { expect: 'refused', why: 'RFC 7520 Figure 20 is PS384, but this group publishes the key with alg PS256: a key is used only with its published algorithm' },
  350: { expect: 'refused', why: 'RFC 7520 Figure 20 is PS384, but this group publishes the key with alg PS256: a key is used only with its published algorithm' },
};

function keysOf(group: Group): { keys: unknown[]; symmetric: boolean } {
  const source = group.public ?? group.private;
  const keys: unknown[] = Array.isArray(source?.keys) ? source.keys : [source];
  const symmetric = keys.some((k) => (k as { kty?: unknown } | null)?.kty === 'oct');
  return { keys, symmetric };
}

describe('Wycheproof json_web_signature_test.json', () => {
  const data = fixture<{ testGroups: Group[] }>('wycheproof/json_web_signature_test.json');
  const cases = data.testGroups.flatMap((group) => group.tests.map((test) => [test.tcId, test.comment, group, test] as const));
  // rfc7520WithKeyOps P-521 (ES521) is tcId 351 in one group and another id in the second; find both.
  const es521 = data.testGroups.filter((g) => (g.public ?? g.private)?.alg === 'ES521').flatMap((g) => g.tests.map((t) => t.tcId));
  for (const id of es521) JWS_DEVIATIONS[id] ??= JWS_DEVIATIONS[351]!;

  it('has the expected size', () => {
    expect(cases.length).toBe(401);
  });

  it.each(cases)('tcId %i %s', (tcId, _comment, group, test) => {
    const deviation = JWS_DEVIATIONS[tcId];
    if (deviation?.expect === 'skip') return;
    if (typeof test.jws !== 'string') {
      // JSON serialisation: a JWT verifier takes compact tokens only.
      expect(test.result).not.toBe('valid');
      return;
    }
    const { keys, symmetric } = keysOf(group);
    const outcome = verifyVector(test.jws, keys, { symmetric });
    if (deviation?.expect === 'refused') expect(outcome).not.toBe('valid');
    else if (test.result === 'valid') expect(outcome).toBe('valid');
    else if (test.result === 'invalid') expect(outcome).not.toBe('valid');
  });
});

describe('Wycheproof json_web_key_test.json', () => {
  const data = fixture<{ testGroups: Group[] }>('wycheproof/json_web_key_test.json');
  const cases = data.testGroups.flatMap((group) => group.tests.map((test) => [test.tcId, test.comment, group, test] as const));

  it('has the expected size', () => {
    expect(cases.length).toBe(26);
  });

  it.each(cases)('tcId %i %s (keys given explicitly)', (_tcId, _comment, group, test) => {
    const { keys, symmetric } = keysOf(group);
    const outcome = verifyVector(test.jws as string, keys, { symmetric });
    if (test.result === 'valid') expect(outcome).toBe('valid');
    else expect(outcome).not.toBe('valid');
  });
});

describe('Wycheproof ecdsa_secp256r1_sha256_p1363_test.json (ES256 signatures, R||S)', () => {
  const data = fixture<{ testGroups: Array<{ publicKeyJwk?: Record<string, unknown>; publicKeyPem: string; tests: Array<Test & { msg: string; sig: string }> }> }>(
    'wycheproof/ecdsa_secp256r1_sha256_p1363_test.json',
  );
  const cases = data.testGroups.flatMap((group) => group.tests.map((test) => [test.tcId, test.comment, group, test] as const));

  it.each(cases)('tcId %i %s', (_tcId, _comment, group, test) => {
    // Groups without a JWK give the key as PEM only: import it as a KeyObject instead.
    const input = group.publicKeyJwk
      ? (({ kid: _kid, ...jwk }) => jwk)(group.publicKeyJwk)
      : { alg: 'ES256' as const, key: createPublicKey(group.publicKeyPem) };
    const imported = importVerificationKey(input, { algorithms: new Set(['ES256']), allowSymmetric: false });
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const valid = verifySignatureBytes(imported.entries[0]!, Buffer.from(test.msg, 'hex'), Buffer.from(test.sig, 'hex'));
    if (test.result === 'valid') expect(valid).toBe(true);
    else if (test.result === 'invalid') expect(valid).toBe(false);
  });
});

describe('Wycheproof ed25519_test.json (EdDSA signatures)', () => {
  const data = fixture<{ testGroups: Array<{ publicKeyJwk: Record<string, unknown>; tests: Array<Test & { msg: string; sig: string }> }> }>('wycheproof/ed25519_test.json');
  const cases = data.testGroups.flatMap((group) => group.tests.map((test) => [test.tcId, test.comment, group, test] as const));

  it.each(cases)('tcId %i %s', (_tcId, _comment, group, test) => {
    const { kid: _kid, ...jwk } = group.publicKeyJwk;
    const imported = importVerificationKey(jwk, { algorithms: new Set(['EdDSA']), allowSymmetric: false });
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const valid = verifySignatureBytes(imported.entries[0]!, Buffer.from(test.msg, 'hex'), Buffer.from(test.sig, 'hex'));
    if (test.result === 'valid') expect(valid).toBe(true);
    else if (test.result === 'invalid') expect(valid).toBe(false);
  });
});
