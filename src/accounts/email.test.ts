import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { normalizeEmail, tryNormalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  it('trims, keeps the typed form for display, and lower-cases the key', () => {
    expect(normalizeEmail('  Ann.Smith@Example.COM \n')).toEqual({ display: 'Ann.Smith@Example.COM', normalized: 'ann.smith@example.com' });
  });

  it('applies NFKC so full-width and compatibility forms are one address', () => {
    expect(normalizeEmail('ＡＮＮ@ｅｘａｍｐｌｅ.com').normalized).toBe('ann@example.com');
    expect(normalizeEmail('ﬁona@example.com').normalized).toBe('fiona@example.com');
  });

  it('keeps non-ASCII local parts and domains', () => {
    expect(normalizeEmail('Zoë@Bücher.de').normalized).toBe('zoë@bücher.de');
  });

  it('accepts localhost as a domain', () => {
    expect(normalizeEmail('dev@localhost').normalized).toBe('dev@localhost');
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['no @', 'ann.example.com'],
    ['two @', 'a@b@example.com'],
    ['empty local part', '@example.com'],
    ['no dot in domain', 'ann@example'],
    ['leading dot in domain', 'ann@.example.com'],
    ['double dot in domain', 'ann@example..com'],
    ['space inside', 'ann smith@example.com'],
    ['control character', 'ann\u0000@example.com'],
    ['too long', `${'a'.repeat(64)}@${'b'.repeat(190)}.com`],
    ['local part over 64', `${'a'.repeat(65)}@example.com`],
  ])('refuses %s with request.invalid, without echoing the value', (_label, value) => {
    let err: unknown;
    try {
      normalizeEmail(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatehouseError);
    expect((err as GatehouseError).code).toBe('request.invalid');
    if (typeof value === 'string' && value !== '') expect((err as GatehouseError).message).not.toContain(value);
  });

  it('tryNormalizeEmail returns null instead of throwing', () => {
    expect(tryNormalizeEmail('nope')).toBeNull();
    expect(tryNormalizeEmail('A@B.co')).toBe('a@b.co');
  });
});
