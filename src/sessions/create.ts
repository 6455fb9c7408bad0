import { createId } from '../core/crypto/ids.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type SessionDeps, toSession } from './context.js';
import { emitSessionEvent } from './events.js';
import { deriveCsrfToken, generateSessionToken, hashSessionToken } from './token.js';
import type { AuthMethod, Session, SessionRecord } from './types.js';

/** Input of {@link createSession}. */
export interface CreateSessionInput {
  userId: string;
  /** The methods the user just proved (RFC 8176), e.g. `['pwd']`. At least one. */
  amr: readonly AuthMethod[];
  /** 1 after a password, 2 after a second factor. */
  authLevel: number;
  /**
   * Caps the new session's absolute expiry (epoch ms): a session that replaces another
   * on a privilege change never outlives the one it replaces.
   */
  absoluteExpiresAt?: number;
}

/** A session just made: the cookie secret (set it as the cookie, never show it), the public view, its CSRF token. */
export interface CreatedSession {
  /** The cookie value: 256 random bits, base64url. Only its SHA-256 is stored. */
  token: string;
  session: Session;
  /** The session's CSRF synchronizer token, for forms (`_csrf`) and `X-CSRF-Token`. */
  csrfToken: string;
  /** Public ids of the sessions ended to make room (`sessions.onLimit: evict_oldest`). */
  evictedIds: string[];
}

/**
 * Creates a session for a user who has just authenticated: a fresh id and a fresh 256-bit
 * secret from the injected random source (never reusing anything the client presented, so
 * no fixation), idle and absolute expiry from `sessions` config, IP and User-Agent from the
 * context. Enforces `sessions.maxPerUser` atomically in the store. Emits `session.create`,
 * and `session.end` (reason `evicted`) for each session evicted to make room.
 *
 * @throws {GatehouseError} `session.limit_reached` under `onLimit: refuse`; `storage.unavailable`
 * @example
 * const { token, session } = await gatehouse.sessions.create({ userId: user.id, amr: ['pwd'], authLevel: 1 }, context);
 */
export async function createSession(deps: SessionDeps, input: CreateSessionInput, context: RequestContext = {}): Promise<CreatedSession> {
  if (input.amr.length === 0) throw new TypeError('a session needs at least one authentication method');
  if (!Number.isInteger(input.authLevel) || input.authLevel < 1) throw new TypeError('authLevel must be a positive integer');
  const now = deps.clock.now();
  const token = generateSessionToken(deps.random);
  const absolute = now + deps.config.absoluteTimeoutSeconds * 1000;
  const record: SessionRecord = {
    id: createId('ses', deps.clock, deps.random),
    tokenHash: hashSessionToken(token),
    userId: input.userId,
    createdAt: now,
    authenticatedAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + deps.config.idleTimeoutSeconds * 1000,
    absoluteExpiresAt: input.absoluteExpiresAt === undefined ? absolute : Math.min(absolute, input.absoluteExpiresAt),
    endedAt: null,
    endReason: null,
    ip: context.source?.ip?.slice(0, 64) ?? null,
    userAgent: context.source?.user_agent?.slice(0, 512) ?? null,
    authLevel: input.authLevel,
    amr: [...input.amr],
  };
  const result = await deps.store.create(record, { maxPerUser: deps.config.maxPerUser, onLimit: deps.config.onLimit }, now);
  if (!result.created) {
    throw new GatehouseError('session.limit_reached', { detail: `user ${input.userId} has ${deps.config.maxPerUser} active sessions` });
  }
  for (const evicted of result.evicted) emitSessionEvent(deps, 'session.end', evicted, 'evicted', context, { replaced_by: record.id });
  emitSessionEvent(deps, 'session.create', record, 'ok', context, { amr: [...record.amr], auth_level: record.authLevel });
  return { token, session: toSession(record), csrfToken: deriveCsrfToken(token), evictedIds: result.evicted.map((s) => s.id) };
}
