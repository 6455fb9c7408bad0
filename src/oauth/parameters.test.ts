import { describe, expect, it } from 'vitest';
import { all, checkParameters, required, single } from './parameters.js';

const request = (parameters: Record<string, string[]>) => ({ parameters });

describe('checkParameters (RFC 6749 §3.1, §3.2)', () => {
  it('refuses a parameter sent twice with values, naming it', () => {
    expect(() => checkParameters(request({ grant_type: ['client_credentials', 'client_credentials'] }))).toThrow(
      expect.objectContaining({ code: 'oauth.invalid_request', detail: 'repeated_parameter', message: 'The grant_type parameter must not be repeated.' }) as Error,
    );
  });

  it('treats a value-less repeat as omitted and lets resource repeat (RFC 8707 §2)', () => {
    expect(() => checkParameters(request({ scope: ['', 'a', ''], resource: ['https://a.example', 'https://b.example'] }))).not.toThrow();
  });

  it('ignores inherited members of a plain object', () => {
    expect(() => checkParameters({ parameters: Object.create({ scope: ['a', 'b'] }) as Record<string, string[]> })).not.toThrow();
  });
});

describe('single, all and required', () => {
  it('return the first non-empty value, every non-empty value, or refuse a missing one', () => {
    const r = request({ scope: ['', 'a'], resource: ['', 'x', 'y'], empty: [''] });
    expect(single(r, 'scope')).toBe('a');
    expect(single(r, 'empty')).toBeUndefined();
    expect(single(r, 'absent')).toBeUndefined();
    expect(all(r, 'resource')).toEqual(['x', 'y']);
    expect(all(r, 'absent')).toEqual([]);
    expect(() => required(r, 'empty')).toThrow(expect.objectContaining({ code: 'oauth.invalid_request', detail: 'missing_empty' }) as Error);
  });

  it('never reads a member a plain object inherits (constructor, toString, __proto__)', () => {
    const r = { parameters: {} as Record<string, string[]> };
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(single(r, name)).toBeUndefined();
      expect(all(r, name)).toEqual([]);
    }
  });
});
