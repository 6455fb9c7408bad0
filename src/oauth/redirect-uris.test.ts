import { describe, expect, it } from 'vitest';
import { redirectUriMatches, validateRedirectUri } from './redirect-uris.js';

describe('validateRedirectUri', () => {
  it.each(['https://app.example.com/cb', 'https://app.example.com:8443/cb?x=1', 'http://127.0.0.1/cb', 'http://[::1]:9000/cb', 'com.example.app:/oauth2redirect'])('accepts %s', (uri) => {
    expect(validateRedirectUri(uri)).toBe(uri);
  });
  it.each(['http://example.com/cb', 'http://localhost/cb', 'https://*.example.com/cb', 'https://a.example.com/cb#f', 'javascript:alert(1)', 'data:text/html,x', 'myapp:/cb', 'https://user:pw@example.com/cb', '/relative', 'https://a.example.com/c b', ''])('refuses %s', (uri) => {
    expect(() => validateRedirectUri(uri)).toThrow(expect.objectContaining({ code: 'oauth.invalid_redirect_uri' }) as Error);
  });
});

describe('redirectUriMatches', () => {
  it('compares exactly', () => {
    expect(redirectUriMatches('https://a.example.com/cb', 'https://a.example.com/cb')).toBe(true);
    expect(redirectUriMatches('https://a.example.com/cb', 'https://a.example.com/cb/')).toBe(false);
    expect(redirectUriMatches('https://a.example.com/cb', 'https://a.example.com:444/cb')).toBe(false);
  });
  it('lets the port of a loopback http URI vary, nothing else (RFC 8252 §7.3)', () => {
    expect(redirectUriMatches('http://127.0.0.1/cb', 'http://127.0.0.1:51234/cb')).toBe(true);
    expect(redirectUriMatches('http://[::1]/cb', 'http://[::1]:8080/cb')).toBe(true);
    expect(redirectUriMatches('http://127.0.0.1/cb', 'http://127.0.0.1:51234/other')).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1/cb', 'http://127.0.0.2:51234/cb')).toBe(false);
    expect(redirectUriMatches('http://127.0.0.1/cb?a=1', 'http://127.0.0.1:5/cb?a=2')).toBe(false);
    expect(redirectUriMatches('https://a.example.com/cb', 'https://a.example.com:5/cb')).toBe(false);
  });
});
