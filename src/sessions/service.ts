import { ConfigError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { SessionDeps, SessionServiceOptions } from './context.js';
import { createSession, type CreateSessionInput, type CreatedSession } from './create.js';
import { endSession } from './end.js';
import { listSessions, type SessionListItem } from './list.js';
import { revokeAllSessionsForUser, revokeOtherSessions, revokeSession } from './revoke.js';
import { rotateSession, type SessionPrivilegeChange } from './rotate.js';
import { verifyCsrfToken } from './token.js';
import type { Session, SessionEndReason } from './types.js';
import { validateSession, type SessionValidationResult, type ValidateSessionOptions } from './validate.js';

export type { SessionServiceOptions } from './context.js';

/** How long ended or expired session rows are kept before housekeeping deletes them: 7 days. */
const RETENTION_MS = 7 * 86_400_000;
/** How often housekeeping runs: hourly. */
const HOUSEKEEPING_INTERVAL_MS = 3_600_000;

/** The sessions domain: every operation, callable without HTTP. */
export interface SessionService {
  /** See {@link createSession}. */
  create(input: CreateSessionInput, context?: RequestContext): Promise<CreatedSession>;
  /** See {@link validateSession}. */
  validate(presented: string, options?: ValidateSessionOptions): Promise<SessionValidationResult>;
  /** See {@link rotateSession}. */
  rotate(presented: string, change: SessionPrivilegeChange, context?: RequestContext): Promise<CreatedSession>;
  /** See {@link endSession}. */
  end(presented: string, reason: SessionEndReason, context?: RequestContext): Promise<Session | null>;
  /** See {@link listSessions}. */
  list(userId: string, currentSessionId?: string): Promise<SessionListItem[]>;
  /** See {@link revokeSession}. */
  revoke(userId: string, sessionId: string, context?: RequestContext): Promise<Session>;
  /** See {@link revokeOtherSessions}. */
  revokeOthers(userId: string, currentSessionId: string, context?: RequestContext): Promise<number>;
  /** See {@link revokeAllSessionsForUser}. */
  revokeAllForUser(userId: string, reason: string, context?: RequestContext): Promise<number>;
  /** True when `presented` is the CSRF token of the session whose cookie value is `sessionToken` (constant time). */
  verifyCsrf(sessionToken: string, presented: string | undefined): boolean;
  /** Deletes session rows that ended or expired more than 7 days ago (also run hourly). Returns the count. */
  purgeInactive(): Promise<number>;
  /** Stops the housekeeping timer. */
  close(): Promise<void>;
}

/**
 * Builds the session service from explicit dependencies.
 *
 * @throws {ConfigError} when `lastSeenUpdateSeconds` is not below `idleTimeoutSeconds`
 * @example
 * const sessions = createSessionService({ store, audit, clock: systemClock, random: secureRandom, config: config.sessions, logger });
 */
export function createSessionService(options: SessionServiceOptions): SessionService {
  const { idleTimeoutSeconds, lastSeenUpdateSeconds } = options.config;
  // Use is recorded at most every lastSeenUpdateSeconds; at or above the idle timeout, a
  // session in constant use would still end as idle.
  if (lastSeenUpdateSeconds >= idleTimeoutSeconds) {
    throw new ConfigError(
      `Invalid configuration: sessions.lastSeenUpdateSeconds (${lastSeenUpdateSeconds}) must be less than sessions.idleTimeoutSeconds (${idleTimeoutSeconds}), or sessions in use would end as idle`,
    );
  }
  const deps: SessionDeps = options;
  const purgeInactive = () => options.store.deleteInactiveBefore(options.clock.now() - RETENTION_MS);
  const timer = setInterval(() => {
    purgeInactive().catch((err: unknown) => options.logger.warn({ err }, 'session housekeeping failed; will retry'));
  }, HOUSEKEEPING_INTERVAL_MS);
  timer.unref();

  return {
    create: (input, context) => createSession(deps, input, context),
    validate: (presented, validateOptions) => validateSession(deps, presented, validateOptions),
    rotate: (presented, change, context) => rotateSession(deps, presented, change, context),
    end: (presented, reason, context) => endSession(deps, presented, reason, context),
    list: (userId, currentSessionId) => listSessions(deps, userId, currentSessionId),
    revoke: (userId, sessionId, context) => revokeSession(deps, userId, sessionId, context),
    revokeOthers: (userId, currentSessionId, context) => revokeOtherSessions(deps, userId, currentSessionId, context),
    revokeAllForUser: (userId, reason, context) => revokeAllSessionsForUser(deps, userId, reason, context),
    verifyCsrf: (sessionToken, presented) => verifyCsrfToken(sessionToken, presented),
    purgeInactive,
    close() {
      clearInterval(timer);
      return Promise.resolve();
    },
  };
}
