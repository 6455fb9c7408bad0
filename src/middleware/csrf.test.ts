import { describe, expect, it } from 'vitest';
import { checkCsrf, presentedCsrfToken, readCookie, type CsrfCheckInput } from './csrf.js';

const base: CsrfCheckInput = {
  method: 'POST',
  origin: undefined,
  secFetchSite: undefined,
  token: undefined,
  allowedOrigins: ['https://auth.example.com'],
  verifyToken: (t) => t === 'good',
};

describe('checkCsrf', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])('lets the safe method %s through', (method) => {
    expect(checkCsrf({ ...base, method, origin: 'https://evil.example' })).toEqual({ ok: true });
  });

  it('accepts an allowed Origin without a token, and refuses any other even with a good token', () => {
    expect(checkCsrf({ ...base, origin: 'https://auth.example.com' })).toEqual({ ok: true });
    expect(checkCsrf({ ...base, origin: 'https://evil.example', token: 'good' })).toEqual({ ok: false, reason: 'foreign_origin' });
    expect(checkCsrf({ ...base, origin: 'https://auth.example.com.evil.example' })).toEqual({ ok: false, reason: 'foreign_origin' });
  });

  it('without Origin, refuses cross-site and same-site fetches, then requires the token', () => {
    expect(checkCsrf({ ...base, secFetchSite: 'cross-site', token: 'good' })).toEqual({ ok: false, reason: 'cross_site_fetch' });
    expect(checkCsrf({ ...base, secFetchSite: 'same-site', token: 'good' })).toEqual({ ok: false, reason: 'cross_site_fetch' });
    expect(checkCsrf(base)).toEqual({ ok: false, reason: 'missing_token' });
    expect(checkCsrf({ ...base, token: 'bad' })).toEqual({ ok: false, reason: 'wrong_token' });
    expect(checkCsrf({ ...base, token: 'good' })).toEqual({ ok: true });
    expect(checkCsrf({ ...base, secFetchSite: 'same-origin', token: 'good' })).toEqual({ ok: true });
  });
});

describe('checkCsrf with Origin: null (no-referrer pages, sandboxed frames)', () => {
  it('names no origin: the token decides', () => {
    expect(checkCsrf({ ...base, origin: 'null' })).toEqual({ ok: false, reason: 'missing_token' });
    expect(checkCsrf({ ...base, origin: 'null', token: 'bad' })).toEqual({ ok: false, reason: 'wrong_token' });
    expect(checkCsrf({ ...base, origin: 'null', secFetchSite: 'cross-site', token: 'good' })).toEqual({ ok: false, reason: 'cross_site_fetch' });
    expect(checkCsrf({ ...base, origin: 'null', secFetchSite: 'same-origin', token: 'good' })).toEqual({ ok: true });
  });
});

describe('presentedCsrfToken', () => {
  it('takes the header first, then a string _csrf form field; a repeated header counts as none', () => {
    expect(presentedCsrfToken('h', { _csrf: 'f' })).toBe('h');
    expect(presentedCsrfToken(undefined, { _csrf: 'f' })).toBe('f');
    expect(presentedCsrfToken(undefined, { _csrf: ['a', 'b'] })).toBeUndefined();
    expect(presentedCsrfToken(['a', 'b'], { _csrf: 'f' })).toBeUndefined();
    expect(presentedCsrfToken(undefined, null)).toBeUndefined();
  });
});

describe('readCookie', () => {
  it('finds a cookie by exact name among several', () => {
    expect(readCookie('a=1; __Host-gatehouse_session=abc; b=2', '__Host-gatehouse_session')).toBe('abc');
    expect(readCookie('x__Host-gatehouse_session=abc', '__Host-gatehouse_session')).toBeUndefined();
    expect(readCookie('s="quoted"', 's')).toBe('quoted');
    expect(readCookie(undefined, 's')).toBeUndefined();
    expect(readCookie('s=first; s=second', 's')).toBe('first');
  });
});
