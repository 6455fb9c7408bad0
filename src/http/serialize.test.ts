import { describe, expect, it } from 'vitest';
import { serializeTokenResponse } from './serialize.js';

describe('serializeTokenResponse', () => {
  const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjbGlfMSJ9.c2lnbmF0dXJl-_';

  it('equals JSON.stringify of the same members for the usual shapes (RFC 6749 §5.1)', () => {
    const shapes = [
      { access_token: jwt, token_type: 'Bearer' as const, expires_in: 900 },
      { access_token: jwt, token_type: 'Bearer' as const, expires_in: 900, scope: 'orders:read orders:write' },
      { access_token: jwt, token_type: 'Bearer' as const, expires_in: 60, scope: 'openid', refresh_token: 'grt_AbC123.xyz~+/=', id_token: jwt },
    ];
    for (const shape of shapes) expect(serializeTokenResponse(shape)).toBe(JSON.stringify(shape));
  });

  it('escapes a token holding characters JSON must escape, so the body still parses to the same values', () => {
    for (const odd of ['a"b', 'a\\b', 'a\nb', 'a\u0000b', 'a\u2028b', 'é', '\ud800']) {
      const response = { access_token: odd, token_type: 'Bearer' as const, expires_in: 1, scope: `s${odd}`, refresh_token: odd, id_token: odd };
      const body = serializeTokenResponse(response);
      expect(body).toBe(JSON.stringify(response));
      expect(JSON.parse(body)).toEqual(response);
    }
  });

  it('falls back to JSON.stringify off the usual shape (a non-finite expires_in)', () => {
    const response = { access_token: jwt, token_type: 'Bearer' as const, expires_in: Number.NaN };
    expect(serializeTokenResponse(response)).toBe(JSON.stringify(response));
  });
});
