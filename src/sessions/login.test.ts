import { describe, expect, it } from 'vitest';
import type { AuthenticateResult, User } from '../accounts/types.js';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { createManualClock } from '../core/clock.js';
import { GatehouseError, RateLimitedError } from '../core/errors/gatehouse-error.js';
import type { CheckLoginResult, LoginAttempt } from '../defense/types.js';
import type { CreatedSession } from './create.js';
import { createLoginService, type LoginDefense, type PasswordAuthenticator } from './login.js';

const USER: User = { id: 'usr_1', email: 'a@example.com', emailNormalized: 'a@example.com', emailVerified: true, name: null, status: 'active', createdAt: 0, updatedAt: 0, passwordChangedAt: 0 };
const ATTEMPT = { identifierHash: 'idh_x', bucket: 'identifier', deviceCookie: 'none', failureReason: undefined } as LoginAttempt;
const CONTEXT = { source: { ip: '192.0.2.1' } };
const SECRET = 'hunter2 hunter2 hunter2';

/** The login flow with recording fakes for accounts, defence and sessions. */
function setUp(check: CheckLoginResult, auth: AuthenticateResult | Error) {
  const calls: string[] = [];
  const audit = createMemoryAuditLog({ clock: createManualClock() });
  const defense: LoginDefense = {
    checkLogin: (input) => (calls.push(`check:${input.identifier}:${input.ip}`), Promise.resolve(check)),
    recordFailure: (_a, reason) => (calls.push(`failure:${reason}`), Promise.resolve()),
    recordSuccess: (_a, userId) => (calls.push(`success:${userId}`), Promise.resolve({ deviceCookie: { name: 'd', value: 'v', maxAgeSeconds: 1 } })),
  };
  const accounts: PasswordAuthenticator = {
    authenticate: () => (calls.push('authenticate'), auth instanceof Error ? Promise.reject(auth) : Promise.resolve(auth)),
  };
  const created = { token: 't'.repeat(43), csrfToken: 'c', evictedIds: [], session: { id: 'ses_1', userId: USER.id } } as unknown as CreatedSession;
  const sessions = {
    create: () => (calls.push('create'), Promise.resolve(created)),
    end: (token: string, reason: string) => (calls.push(`end:${reason}`), Promise.resolve(null)),
  };
  const login = createLoginService({ accounts, defense, sessions, audit });
  return { calls, events: audit.events, login };
}

describe('login flow (state machine order)', () => {
  it('success: check → authenticate → release the slot → end the presented session → create; one auth.login success', async () => {
    const { calls, events, login } = setUp({ allowed: true, attempt: ATTEMPT }, { ok: true, user: USER });
    const result = await login.withPassword({ email: 'a@example.com', password: SECRET, currentSessionToken: 'old' }, CONTEXT);
    expect(result.status).toBe('authenticated');
    expect(calls).toEqual(['check:a@example.com:192.0.2.1', 'authenticate', 'success:usr_1', 'end:replaced', 'create']);
    expect(events.map((e) => [e.type, e.outcome, e.reason, e.session?.id])).toEqual([['auth.login', 'success', 'ok', 'ses_1']]);
  });

  it.each(['unknown_user', 'wrong_password', 'disabled', 'locked'] as const)('%s: recorded as a failure with its reason, no session', async (reason) => {
    const { calls, events, login } = setUp({ allowed: true, attempt: ATTEMPT }, { ok: false, reason, userId: reason === 'unknown_user' ? null : 'usr_1' });
    expect(await login.withPassword({ email: 'a@example.com', password: SECRET }, CONTEXT)).toEqual({ status: 'failed', reason });
    expect(calls).toEqual(['check:a@example.com:192.0.2.1', 'authenticate', `failure:${reason}`]);
    expect(events.map((e) => [e.type, e.outcome, e.reason])).toEqual([['auth.login', 'failure', reason]]);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain('a@example.com');
  });

  it('locked by the defence: the password is never checked', async () => {
    const { calls, events, login } = setUp({ allowed: false, reason: 'locked', retryAfterSeconds: 900 }, { ok: true, user: USER });
    expect(await login.withPassword({ email: 'a@example.com', password: SECRET }, CONTEXT)).toEqual({ status: 'failed', reason: 'locked' });
    expect(calls).toEqual(['check:a@example.com:192.0.2.1']);
    expect(events[0]).toMatchObject({ type: 'auth.login', outcome: 'failure', reason: 'locked', details: { check: 'lockout' } });
  });

  it('IP throttled: RateLimitedError (429 with Retry-After), event reason ip_throttled', async () => {
    const rateLimit = { policy: 'login_ip', limit: 500, remaining: 0, resetSeconds: 42, windowSeconds: 60 };
    const { calls, events, login } = setUp({ allowed: false, reason: 'ip_throttled', retryAfterSeconds: 42, rateLimit }, { ok: true, user: USER });
    const err: unknown = await login.withPassword({ email: 'a@example.com', password: SECRET }, CONTEXT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterSeconds).toBe(42);
    expect(calls).toEqual(['check:a@example.com:192.0.2.1']);
    expect(events[0]).toMatchObject({ reason: 'ip_throttled', severity: 'medium' });
  });

  it('storage down while checking the password: the slot stays a failure and the error propagates (503)', async () => {
    const { calls, login } = setUp({ allowed: true, attempt: ATTEMPT }, new GatehouseError('storage.unavailable'));
    await expect(login.withPassword({ email: 'a@example.com', password: SECRET }, CONTEXT)).rejects.toMatchObject({ code: 'storage.unavailable' });
    expect(calls).toEqual(['check:a@example.com:192.0.2.1', 'authenticate', 'failure:error']);
  });
});
