import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';
import type { AuditLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { SessionStore } from './store.js';
import type { Session, SessionRecord } from './types.js';

/** What the session service is built from (see `createSessionService`). */
export interface SessionServiceOptions {
  store: SessionStore;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  config: GatehouseConfig['sessions'];
  logger: Logger;
}

/** What every session operation is built from. */
export type SessionDeps = SessionServiceOptions;

/** The shape of every session id (`ses_` + a ULID); by-id operations check it before storage. */
export const SESSION_ID_PATTERN = /^ses_[0-9A-HJKMNP-TV-Z]{26}$/;

/** The public view of a record: everything but the hash. */
export function toSession(record: SessionRecord): Session {
  const { tokenHash: _tokenHash, ...view } = record;
  return { ...view, amr: [...view.amr] };
}

/** True when the session has not ended and neither timeout has passed at `now`. */
export function isActive(session: Session, now: number): boolean {
  return session.endedAt === null && now < session.idleExpiresAt && now < session.absoluteExpiresAt;
}
