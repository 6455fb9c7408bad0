import { describe, expect, it } from 'vitest';
import { GatehouseError, InsufficientScopeError, RateLimitedError } from '../core/errors/gatehouse-error.js';
import { PROBLEM_TYPE_BASE, errorResponse, oauthErrorResponse, problemBody, toGatehouseError, unauthorizedResponse } from './errors.js';

describe('problemBody', () => {
  it('builds RFC 9457 fields with a per-code type URI', () => {
    expect(problemBody('route.not_found', undefined, 'urn:gatehouse:request:r1')).toEqual({
      type: 'https://gatehouse.dev/errors/route.not_found',
      title: 'Not Found',
      status: 404,
      detail: 'No resource exists at this path.',
      code: 'route.not_found',
      instance: 'urn:gatehouse:request:r1',
    });
  });

  it('omits instance when not given', () => {
    const body = problemBody('request.unsupported_media_type');
    expect(body.status).toBe(415);
    expect(body.type).toBe(`${PROBLEM_TYPE_BASE}request.unsupported_media_type`);
    expect('instance' in body).toBe(false);
  });
});

describe('toGatehouseError', () => {
  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 'request.body_too_large', 413],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'request.unsupported_media_type', 415],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 'request.malformed_body', 400],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 'request.malformed_body', 400],
  ])('maps framework code %s to %s', (frameworkCode, code, status) => {
    const err = toGatehouseError(Object.assign(new Error('x'), { code: frameworkCode }));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
  });

  it('maps a validation failure to request.invalid', () => {
    expect(toGatehouseError({ validation: [{}], message: 'body/name must be string' }).code).toBe('request.invalid');
  });

  it('names an unknown property (AJV additionalProperty), never its value', () => {
    const err = toGatehouseError({
      validation: [{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'scope' }, message: 'must NOT have additional properties' }],
      validationContext: 'body',
      message: 'body must NOT have additional properties',
    });
    expect(err.code).toBe('request.invalid');
    expect(err.message).toBe('body has an unknown property "scope".');
  });

  it('locates an unknown property inside a nested object, and names none in the query', () => {
    const nested = toGatehouseError({ validation: [{ keyword: 'additionalProperties', instancePath: '/rate_limit', params: { additionalProperty: 'burst' } }], validationContext: 'body' });
    expect(nested.message).toBe('body/rate_limit has an unknown property "burst".');
    const query = toGatehouseError({ validation: [{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'owner' } }], validationContext: 'querystring' });
    // Only a JSON body names it: a query is a shareable link that would put chosen words on our pages.
    expect(query.message).toBe('querystring has an unknown property (its name is not repeated).');
  });

  it('does not repeat an unknown property name that is not a plain short field name (a pasted key, control characters)', () => {
    for (const name of [`\u001b[31mred\u202Eevil\r\n`, 'gk_live_4Zq8vRr2Xw0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX2y', 'S3cretPassw0rd', 'Account-locked.Call', 'x'.repeat(33), 'pass word', '']) {
      const err = toGatehouseError({ validation: [{ keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: name } }], validationContext: 'body' });
      expect(err.message).toBe('body has an unknown property (its name is not repeated).');
    }
  });

  it('keeps AJV\'s own message for other validation failures', () => {
    expect(toGatehouseError({ validation: [{ keyword: 'type', instancePath: '/name' }], message: 'body/name must be string' }).message).toBe('body/name must be string.');
  });

  it('maps anything unknown to internal', () => {
    expect(toGatehouseError(new Error('boom')).code).toBe('internal');
    expect(toGatehouseError(undefined).code).toBe('internal');
  });

  it('passes a GatehouseError through unchanged', () => {
    const err = new GatehouseError('api_key.conflict');
    expect(toGatehouseError(err)).toBe(err);
  });
});

describe('errorResponse', () => {
  it('keeps 5xx bodies generic', () => {
    const response = errorResponse(new Error('connect ECONNREFUSED 10.0.0.5:5432'), 'r1');
    expect(response.status).toBe(500);
    expect(response.body.code).toBe('internal');
    expect(JSON.stringify(response.body)).not.toContain('ECONNREFUSED');
  });

  it('answers auth.verifier_unavailable with 503 and Retry-After', () => {
    const response = errorResponse(new GatehouseError('auth.verifier_unavailable', { detail: 'remote verify: HTTP 500' }), 'r1');
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(JSON.stringify(response.body)).not.toContain('HTTP 500');
  });

  it('answers auth.invalid_request with an RFC 6750 invalid_request challenge', () => {
    const response = errorResponse(new GatehouseError('auth.invalid_request'), 'r1');
    expect(response.status).toBe(400);
    expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('answers api_key.invalid with the single byte-identical 401', () => {
    expect(errorResponse(new GatehouseError('api_key.invalid'), 'r1')).toEqual(unauthorizedResponse(true));
    expect(unauthorizedResponse(true).body.code).toBe('api_key.invalid');
    expect(unauthorizedResponse(false).headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
  });

  it('answers insufficient scope with 403 and the scope', () => {
    const response = errorResponse(new InsufficientScopeError(['a', 'b']), 'r1');
    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toContain('scope="a b"');
    expect(response.body).toMatchObject({ code: 'auth.insufficient_scope', scope: 'a b' });
  });

  it('answers rate limiting with 429, Retry-After and RateLimit fields', () => {
    const response = errorResponse(new RateLimitedError({ policy: 'api_key', limit: 5, remaining: 0, resetSeconds: 12, windowSeconds: 60 }), 'r1');
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('12');
    expect(response.headers.ratelimit).toBe('"api_key";r=0;t=12');
    expect(response.body.code).toBe('rate_limit.exceeded');
  });
});

describe('oauthErrorResponse', () => {
  it('answers RFC 6749 §5.2 errors with no-store and no-cache', () => {
    const response = oauthErrorResponse(new GatehouseError('oauth.invalid_grant'), 'req_1', false);
    expect(response.status).toBe(400);
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache' });
    expect(response.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers a dependency failure as problem+json 503, also with no-store and no-cache', () => {
    const response = oauthErrorResponse(new GatehouseError('storage.unavailable'), 'req_2', false);
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache' });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
