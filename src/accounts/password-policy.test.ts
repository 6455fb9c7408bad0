import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { checkPasswordPolicy, countCodePoints } from './password-policy.js';

const policy = { minLength: 12, maxLength: 128, rejectCommon: true };

function failure(password: unknown, email?: string, p = policy): GatehouseError {
  try {
    checkPasswordPolicy(password, p, email);
  } catch (err) {
    if (err instanceof GatehouseError) return err;
    throw err;
  }
  throw new Error('the password was accepted');
}

describe('checkPasswordPolicy (NIST SP 800-63B §3.1.1.2)', () => {
  it('accepts a long passphrase and returns its NFKC form', () => {
    expect(checkPasswordPolicy('correct horse battery staple', policy)).toBe('correct horse battery staple');
    expect(checkPasswordPolicy('ｃｏｒｒｅｃｔ ｈｏｒｓｅ', policy)).toBe('correct horse');
  });

  it('has no composition rules: all lower-case letters, all digits, or words with spaces of the right length pass', () => {
    expect(() => checkPasswordPolicy('zzzzqqqqxxxxwwww', policy)).not.toThrow();
    expect(() => checkPasswordPolicy('739184627391846', policy)).not.toThrow();
    expect(() => checkPasswordPolicy('  a  b  c  d  ', policy)).not.toThrow();
  });

  it('refuses one character repeated and passwords with no visible character (password.too_repetitive)', () => {
    for (const trivial of ['a'.repeat(12), 'AaAaAaAaAaAa', ' '.repeat(12), '\u200b'.repeat(12), '\u3000'.repeat(12), ' \u200b\t'.repeat(4), '🦊'.repeat(12)]) {
      expect(failure(trivial).code).toBe('password.too_repetitive');
    }
    expect(failure('a'.repeat(12)).message).not.toContain('aaaa');
    expect(() => checkPasswordPolicy('ab'.repeat(6) + 'c', policy)).not.toThrow();
  });

  it('refuses 11 code points and accepts 12 (the default minimum)', () => {
    expect(failure('abcdefghijk').code).toBe('password.too_short');
    expect(failure('abcdefghijk').message).toBe('The password must have at least 12 characters.');
    expect(() => checkPasswordPolicy('abcdefghijkz', policy)).not.toThrow();
  });

  it('counts Unicode code points, not UTF-16 units: 12 emoji are 12 characters, 6 are too short', () => {
    expect(countCodePoints('🦊🐻'.repeat(6))).toBe(12);
    expect(() => checkPasswordPolicy('🦊🐻'.repeat(6), policy)).not.toThrow();
    // 6 emoji are 12 UTF-16 units but 6 characters.
    expect(failure('🦊🐻'.repeat(3)).code).toBe('password.too_short');
  });

  it('counts after NFKC: a decomposed é (2 code points) counts like the composed one after normalisation', () => {
    const decomposed = 'e\u0301'.repeat(11);
    expect(decomposed.length).toBe(22);
    expect(failure(decomposed).code).toBe('password.too_short');
    // The ligature ﬃ is 1 code point before NFKC and 3 after.
    expect(() => checkPasswordPolicy('ﬃ'.repeat(4), policy)).not.toThrow();
  });

  it('refuses more than the maximum and accepts exactly the maximum', () => {
    expect(() => checkPasswordPolicy('a'.repeat(127) + 'b', policy)).not.toThrow();
    expect(failure('a'.repeat(128) + 'b').code).toBe('password.too_long');
    expect(failure('x'.repeat(1_000_000)).code).toBe('password.too_long');
  });

  it('honours a configured minimum of 8', () => {
    expect(() => checkPasswordPolicy('zq8#mv2k', { ...policy, minLength: 8 })).not.toThrow();
  });

  it('refuses passwords on the common list, case-insensitively and after NFKC', () => {
    const p = { ...policy, minLength: 8 };
    expect(failure('password', undefined, p).code).toBe('password.too_common');
    expect(failure('PassWord', undefined, p).code).toBe('password.too_common');
    expect(failure('ｐａｓｓｗｏｒｄ', undefined, p).code).toBe('password.too_common');
    expect(failure('qwertyuiop', undefined, p).code).toBe('password.too_common');
    expect(failure('1qaz2wsx3edc').code).toBe('password.too_common');
  });

  it('does not check the list when rejectCommon is off', () => {
    expect(() => checkPasswordPolicy('password', { ...policy, minLength: 8, rejectCommon: false })).not.toThrow();
  });

  it('refuses the account\'s own e-mail address, case-insensitively', () => {
    expect(failure('Ann.Smith@Example.com', 'ann.smith@example.com').code).toBe('password.matches_email');
    expect(() => checkPasswordPolicy('Ann.Smith@Example.com', policy, 'someone@example.com')).not.toThrow();
  });

  it('refuses a non-string with request.invalid', () => {
    expect(failure(undefined).code).toBe('request.invalid');
    expect(failure(['a'.repeat(20)]).code).toBe('request.invalid');
  });

  it('names the rule but never echoes the password', () => {
    for (const [password, email] of [['short-pw', undefined], ['Password', undefined], ['q'.repeat(200), undefined], ['ann@example.com!', 'ann@example.com!']] as const) {
      const err = failure(password, email);
      expect(err.message).not.toContain(password);
      expect(JSON.stringify(err)).not.toContain(password);
      expect(err.detail ?? '').not.toContain(password);
    }
  });
});
