import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { decodeBase64url } from './base64url.js';
import { JwtVerificationError, jwtVerificationErrorCodes } from './errors.js';
import { parseJsonObject } from './strict-json.js';
import { createJwtVerifier, type JwtVerifierOptions } from './verifier.js';

const { publicKey } = generateKeyPairSync('ed25519');
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k', alg: 'EdDSA' };
const base: JwtVerifierOptions = { issuer: 'https://i', audience: 'a', algorithms: ['EdDSA'], jwks: { keys: [jwk] } };

describe('createJwtVerifier options', () => {
  it.each<[string, Partial<JwtVerifierOptions> & Record<string, unknown>]>([
    ['no issuer', { issuer: undefined }],
    ['an empty audience list', { audience: [] }],
    ['two key sources', { keys: [jwk as never] }],
    ['no key source', { jwks: undefined }],
    ['an unknown algorithm', { algorithms: ['RS1' as never] }],
    ['a negative tolerance', { clockToleranceSeconds: -1 }],
    ['a huge tolerance', { clockToleranceSeconds: 3600 }],
    ['a tiny maxTokenBytes', { maxTokenBytes: 10 }],
    ['an http jwksUri to another host', { jwks: undefined, jwksUri: 'http://auth.example.com/jwks.json' }],
    ['a jwksUri with credentials', { jwks: undefined, jwksUri: 'https://user:pw@auth.example.com/jwks.json' }],
    ['a JWK Set with no usable key', { jwks: { keys: [{ ...jwk, use: 'enc' }] } }],
    ['a private key in keys', { jwks: undefined, keys: [{ ...jwk, d: 'AAAA' } as never] }],
  ])('rejects %s with a TypeError', (_name, override) => {
    expect(() => createJwtVerifier({ ...base, ...override })).toThrow(TypeError);
  });

  it('accepts an https jwksUri and an http one to localhost', () => {
    expect(() => createJwtVerifier({ ...base, jwks: undefined, jwksUri: 'https://auth.example.com/.well-known/jwks.json' })).not.toThrow();
    expect(() => createJwtVerifier({ ...base, jwks: undefined, jwksUri: 'http://127.0.0.1:8080/.well-known/jwks.json' })).not.toThrow();
  });

  it('refuses a non-string token as malformed, never throwing a TypeError', async () => {
    const verifier = createJwtVerifier({ ...base, clock: createManualClock() });
    await expect(verifier.verify(undefined as never)).rejects.toBeInstanceOf(JwtVerificationError);
    await expect(verifier.verify(42 as never)).rejects.toMatchObject({ code: 'malformed' });
  });
});

describe('JwtVerificationError', () => {
  it('has a stable code list, and marks only the two dependency failures as unavailable', () => {
    expect(new Set(jwtVerificationErrorCodes).size).toBe(16);
    const unavailable = jwtVerificationErrorCodes.filter((code) => new JwtVerificationError(code, 'x').unavailable);
    expect(unavailable).toEqual(['jwks_unavailable', 'revocation_unavailable']);
  });
});

describe('decodeBase64url (strict, RFC 7515 §2)', () => {
  it.each([['', 0], ['QQ', 1], ['QUI', 2], ['QUJD', 3], ['-_8', 2]])('decodes %j', (input, bytes) => {
    expect(decodeBase64url(input)?.length).toBe(bytes);
  });

  it.each(['Q', 'QQ==', 'QR', 'QUJ', 'Q+JD', 'Q/JD', 'QU D', 'QUJ\n', 'QU=D', 'QUJń', 'QUJ?', 'QUJDR', ' QUJD', 'QUJD.'])('refuses %j', (input) => {
    expect(decodeBase64url(input)).toBeUndefined();
  });
});

describe('parseJsonObject (duplicates refused at every depth)', () => {
  it.each(['{"a":1}', '{"a":{"a":1},"b":[{"a":1},{"a":2}]}', '{"a":"\\"a\\":1"}', '{ "a" : 1 , "b" :2}', '{"__proto__":1,"a":2}'])('accepts %s', (text) => {
    expect(parseJsonObject(text)).toBeDefined();
  });

  it.each(['{"a":1,"a":1}', '{"a":1, "a" :2}', '{"a":{"b":1,"b":2}}', '{"x":[{"b":1,"b":2}]}', '{"\\u0061":1,"a":2}', '[]', 'null', '"s"', '{', '{"a":1}x'])('refuses %s', (text) => {
    expect(parseJsonObject(text)).toBeUndefined();
  });
});
