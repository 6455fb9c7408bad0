import { describe, expect, it } from 'vitest';
import { grantedAudience, grantedScopes } from './client-credentials.js';

describe('grantedScopes', () => {
  it('grants every registered scope when none is asked for (RFC 6749 §3.3 default)', () => {
    expect(grantedScopes(['a', 'b'], undefined)).toEqual(['a', 'b']);
  });
  it('narrows to the asked scopes, without repeats', () => {
    expect(grantedScopes(['a', 'b'], 'b b')).toEqual(['b']);
  });
  it.each(['a c', 'c', '"a"', ' '])('refuses %j with invalid_scope', (asked) => {
    expect(() => grantedScopes(['a', 'b'], asked)).toThrow(expect.objectContaining({ code: 'oauth.invalid_scope' }) as Error);
  });
  it('grants one registered scope as asked, and still refuses a malformed one even if it were registered', () => {
    expect(grantedScopes(['orders:read', 'b'], 'orders:read')).toEqual(['orders:read']);
    expect(() => grantedScopes(['"a', 'b'], '"a')).toThrow(expect.objectContaining({ code: 'oauth.invalid_scope' }) as Error);
  });
});

describe('grantedAudience', () => {
  const allow = ['https://api.example.com', 'urn:example:billing'];
  it('uses the fallback without resource, and the resources when allowed (RFC 8707 §2)', () => {
    expect(grantedAudience(allow, [], 'https://auth.example.com')).toEqual(['https://auth.example.com']);
    expect(grantedAudience(allow, ['urn:example:billing', 'https://api.example.com'], 'x')).toEqual(['urn:example:billing', 'https://api.example.com']);
  });
  it.each([['https://evil.example'], ['https://api.example.com#f'], ['not a uri'], ['https://api.example.com/']])('refuses %s with invalid_target', (resource) => {
    expect(() => grantedAudience(allow, [resource], 'x')).toThrow(expect.objectContaining({ code: 'oauth.invalid_target' }) as Error);
  });
});
