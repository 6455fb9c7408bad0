import { describe, expect, it } from 'vitest';
import { GatehouseError, LoginThrottledError, RateLimitedError } from '../core/errors/gatehouse-error.js';
import { errorResponse } from '../http/errors.js';
import { defenseFixture, failOnce } from '../../test/helpers/defense.js';

describe('LoginThrottledError', () => {
  it('is auth.login_throttled (429) and answers with Retry-After and the RateLimit fields of login_ip', async () => {
    const f = await defenseFixture({ config: { ipThrottle: { maxFailures: 1, durationSeconds: 120 } } });
    try {
      await failOnce(f.defense, 'a@example.com', '192.0.2.1');
      const check = await f.defense.checkLogin({ identifier: 'b@example.com', ip: '192.0.2.1' });
      if (check.allowed || check.reason !== 'ip_throttled') throw new Error('expected ip_throttled');
      const err = new LoginThrottledError(check.rateLimit);
      expect(err).toBeInstanceOf(RateLimitedError);
      expect(err).toBeInstanceOf(GatehouseError);
      expect(err.code).toBe('auth.login_throttled');
      expect(err.status).toBe(429);
      expect(err.name).toBe('LoginThrottledError');
      expect(err.retryAfterSeconds).toBe(120);
      const response = errorResponse(err, 'req_1');
      expect(response.status).toBe(429);
      expect(response.headers).toMatchObject({
        'retry-after': '120',
        'ratelimit-policy': '"login_ip";q=1;w=60',
        ratelimit: '"login_ip";r=0;t=120',
        'cache-control': 'no-store',
      });
      expect(response.body).toMatchObject({ code: 'auth.login_throttled', status: 429, 'violated-policies': ['login_ip'] });
      expect(JSON.stringify(response.body)).not.toContain('192.0.2.1');
    } finally {
      await f.close();
    }
  });

  it('leaves RateLimitedError as it was', () => {
    const err = new RateLimitedError({ policy: 'api_key', limit: 1, remaining: 0, resetSeconds: 5, windowSeconds: 60 });
    expect(err.code).toBe('rate_limit.exceeded');
    expect(err.name).toBe('RateLimitedError');
  });
});
