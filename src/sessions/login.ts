import type { AuthenticateResult, User } from '../accounts/types.js';
import { LoginThrottledError } from '../core/errors/gatehouse-error.js';
import type { AuditLog, AuthEventInput, RequestContext } from '../core/events.js';
import type { CheckLoginInput, CheckLoginResult, DeviceCookie, LoginAttempt } from '../defense/types.js';
import type { CreatedSession } from './create.js';
import type { SessionService } from './service.js';
import type { AuthMethod } from './types.js';

/*
 * The login state machine. Every login walks these states; a failure in any state ends in
 * FAILED with one public answer ("invalid e-mail or password") and the real reason in the
 * `auth.login` event.
 *
 *   START ──(defence admits the attempt)──▶ PRIMARY ──(password verified)──▶ PRIMARY_VERIFIED
 *     │ ip_throttled → THROTTLED (429)         │ unknown_user, wrong_password,        │
 *     │ locked → FAILED                        │ disabled, locked → FAILED            │
 *                                                                                     ▼
 *                        ┌──── second factor required? (MFA, a later milestone) ─────┤
 *                        ▼ yes                                                        │ no
 *              SECOND_FACTOR (pending login, no session yet)                          │
 *                        │ verified → amr += [otp|hwk|…], authLevel 2                 │
 *                        ▼                                                            ▼
 *                                 AUTHENTICATED: any session cookie presented is ended
 *                                 (`replaced`), a new session is issued (new id, new secret)
 *
 * Today PRIMARY_VERIFIED always goes straight to AUTHENTICATED: {@link verifyPrimaryCredential}
 * and {@link completeLogin} are separate functions so the second-factor step slots in
 * between them without touching either.
 */

/** The part of the accounts domain the login uses (`gatehouse.accounts`). */
export interface PasswordAuthenticator {
  authenticate(email: string, password: string): Promise<AuthenticateResult>;
}

/** The part of the defence domain the login uses (`gatehouse.defense`). */
export interface LoginDefense {
  checkLogin(input: CheckLoginInput, context?: RequestContext): Promise<CheckLoginResult>;
  recordFailure(attempt: LoginAttempt, reason: string): Promise<void>;
  recordSuccess(attempt: LoginAttempt, userId: string): Promise<{ deviceCookie: DeviceCookie }>;
}

/** What the login flow is built from. */
export interface LoginDeps {
  accounts: PasswordAuthenticator;
  defense: LoginDefense;
  sessions: Pick<SessionService, 'create' | 'end'>;
  audit: AuditLog;
}

/** Input of a password login. */
export interface PasswordLoginInput {
  /** The submitted e-mail (untrusted). */
  email: string;
  /** The submitted password (untrusted; never logged). */
  password: string;
  /** The device cookie the browser sent, if any. */
  deviceCookie?: string | undefined;
  /** The session cookie the browser sent, if any: it is ended and replaced (no fixation). */
  currentSessionToken?: string | undefined;
}

/** Why a login failed. Private: for the `auth.login` event only. */
export type LoginFailureReason = 'unknown_user' | 'wrong_password' | 'disabled' | 'locked';

/** The state after a verified primary credential: who, and how they proved it. */
export interface PrimaryVerified {
  state: 'primary_verified';
  user: User;
  amr: AuthMethod[];
  authLevel: number;
  attempt: LoginAttempt;
}

/** Outcome of {@link loginWithPassword}. */
export type LoginResult =
  | {
      status: 'authenticated';
      user: User;
      /** The new session: set `token` as the session cookie; never send it in a body. */
      created: CreatedSession;
      /** The device cookie to set (see `docs/defense.md`). */
      deviceCookie: DeviceCookie;
    }
  | { status: 'failed'; reason: LoginFailureReason };

/**
 * Step PRIMARY: asks the defence to admit the attempt, then verifies the password. Emits the
 * failing `auth.login` event itself; a success emits nothing yet (the login is not complete).
 *
 * @throws {LoginThrottledError} `auth.login_throttled` when the client's IP is throttled (429 with Retry-After)
 * @throws {GatehouseError} `storage.unavailable` when storage or counters are down (fail closed)
 */
export async function verifyPrimaryCredential(
  deps: LoginDeps,
  input: PasswordLoginInput,
  context: RequestContext,
): Promise<PrimaryVerified | { state: 'failed'; reason: LoginFailureReason }> {
  const check = await deps.defense.checkLogin({ identifier: input.email, ip: context.source?.ip ?? '', deviceCookie: input.deviceCookie }, context);
  if (!check.allowed) {
    if (check.reason === 'ip_throttled') {
      emitLogin(deps, context, 'failure', 'ip_throttled', 'medium', null, undefined, { retry_after_s: check.retryAfterSeconds });
      throw new LoginThrottledError(check.rateLimit, { detail: 'login ip throttled' });
    }
    emitLogin(deps, context, 'failure', 'locked', 'medium', null, undefined, { check: 'lockout', retry_after_s: check.retryAfterSeconds });
    return { state: 'failed', reason: 'locked' };
  }
  const attempt = check.attempt;
  let result: AuthenticateResult;
  try {
    result = await deps.accounts.authenticate(input.email, input.password);
  } catch (err) {
    // The reserved failure slot stays counted: the safe direction when storage is down.
    await deps.defense.recordFailure(attempt, 'error').catch(() => undefined);
    throw err;
  }
  if (!result.ok) {
    await deps.defense.recordFailure(attempt, result.reason);
    emitLogin(deps, context, 'failure', result.reason, result.reason === 'locked' || result.reason === 'disabled' ? 'medium' : 'low', result.userId, undefined, {
      identifier_hash: attempt.identifierHash,
      ...(result.reason === 'locked' ? { check: 'account_status' } : {}),
    });
    return { state: 'failed', reason: result.reason };
  }
  return { state: 'primary_verified', user: result.user, amr: ['pwd'], authLevel: 1, attempt };
}

/**
 * Step AUTHENTICATED: releases the defence's reserved slot and takes the device cookie, ends
 * the session cookie the browser presented (if it is one), and issues a new session. Emits
 * `auth.login` (success) naming the new session's public id.
 *
 * @throws {GatehouseError} `session.limit_reached` under `sessions.onLimit: refuse`; `storage.unavailable`
 */
export async function completeLogin(
  deps: LoginDeps,
  verified: PrimaryVerified,
  input: Pick<PasswordLoginInput, 'currentSessionToken'>,
  context: RequestContext,
): Promise<Extract<LoginResult, { status: 'authenticated' }>> {
  const { deviceCookie } = await deps.defense.recordSuccess(verified.attempt, verified.user.id);
  const actorContext: RequestContext = { ...context, actor: { type: 'user', id: verified.user.id } };
  if (input.currentSessionToken !== undefined) await deps.sessions.end(input.currentSessionToken, 'replaced', actorContext);
  const created = await deps.sessions.create({ userId: verified.user.id, amr: verified.amr, authLevel: verified.authLevel }, actorContext);
  emitLogin(deps, context, 'success', 'ok', 'info', verified.user.id, created.session.id, { amr: verified.amr, auth_level: verified.authLevel });
  return { status: 'authenticated', user: verified.user, created, deviceCookie };
}

/**
 * A whole password login: {@link verifyPrimaryCredential}, then (no second factor exists yet)
 * {@link completeLogin}. Every failure returns `{ status: 'failed' }` with a private reason;
 * the caller answers all of them identically.
 *
 * @param context must carry `source.ip` (the client address, honouring the trusted-proxy setting)
 * @throws {LoginThrottledError} IP throttled; {GatehouseError} `session.limit_reached`, `storage.unavailable`
 * @example
 * const result = await gatehouse.login.withPassword({ email, password }, { source: { ip } });
 * if (result.status === 'authenticated') setCookie(result.created.token);
 */
export async function loginWithPassword(deps: LoginDeps, input: PasswordLoginInput, context: RequestContext): Promise<LoginResult> {
  const primary = await verifyPrimaryCredential(deps, input, context);
  if (primary.state === 'failed') return { status: 'failed', reason: primary.reason };
  return completeLogin(deps, primary, input, context);
}

/** The login flow as a service (`gatehouse.login`). */
export interface LoginService {
  /** See {@link loginWithPassword}. */
  withPassword(input: PasswordLoginInput, context: RequestContext): Promise<LoginResult>;
  /**
   * Signs out: ends the session the cookie value belongs to and emits `auth.logout` (and
   * `session.end`, reason `logout`). Returns false when there was no live session to end.
   */
  logout(sessionToken: string, context: RequestContext): Promise<boolean>;
}

/**
 * Builds the login flow from the accounts, defence and session services.
 *
 * @example const login = createLoginService({ accounts, defense, sessions, audit });
 */
export function createLoginService(deps: LoginDeps): LoginService {
  return {
    withPassword: (input, context) => loginWithPassword(deps, input, context),
    async logout(sessionToken, context) {
      const ended = await deps.sessions.end(sessionToken, 'logout', context);
      if (!ended) return false;
      emitLogout(deps, context, ended.userId, ended.id);
      return true;
    },
  };
}

function emitLogin(
  deps: Pick<LoginDeps, 'audit'>,
  context: RequestContext,
  outcome: 'success' | 'failure',
  reason: string,
  severity: AuthEventInput['severity'],
  userId: string | null,
  sessionId: string | undefined,
  details?: AuthEventInput['details'],
): void {
  deps.audit.emit({
    type: 'auth.login',
    outcome,
    reason,
    severity,
    ...(userId ? { actor: { type: 'user', id: userId }, target: { type: 'user', id: userId } } : {}),
    credential: { kind: 'password', id: null, prefix: null },
    ...(sessionId ? { session: { id: sessionId } } : {}),
    ...(context.source ? { source: context.source } : {}),
    ...(context.http ? { http: context.http } : {}),
    ...(details ? { details } : {}),
  });
}

function emitLogout(deps: Pick<LoginDeps, 'audit'>, context: RequestContext, userId: string, sessionId: string): void {
  deps.audit.emit({
    type: 'auth.logout',
    outcome: 'success',
    reason: 'ok',
    severity: 'info',
    actor: { type: 'user', id: userId },
    target: { type: 'user', id: userId },
    credential: { kind: 'session', id: sessionId, prefix: null },
    session: { id: sessionId },
    ...(context.source ? { source: context.source } : {}),
    ...(context.http ? { http: context.http } : {}),
  });
}
