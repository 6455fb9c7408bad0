import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';
import type { AuditLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { MailSender } from '../mail/types.js';
import type { CounterStore } from '../rate-limit/store.js';
import type { BackgroundTasks } from './background.js';
import type { PasswordHasher } from './password-hash.js';
import type { AccountStore } from './store.js';
import type { SessionRevoker, User, UserRecord } from './types.js';

/** What the account service is built from (see `createAccountService`). */
export interface AccountServiceOptions {
  store: AccountStore;
  /** Per-address limits on account e-mails. */
  counters: CounterStore;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  config: GatehouseConfig['accounts'];
  mail: MailSender;
  /** The origin e-mailed links point at (`config.server.publicUrl`), no trailing slash. */
  publicUrl: string;
  /** Ends a user's sessions (implemented by the sessions domain). */
  sessions: SessionRevoker;
  logger: Logger;
}

/** What every account operation is built from: the options and the service's in-process state. */
export interface AccountDeps extends AccountServiceOptions {
  hasher: PasswordHasher;
  /**
   * An argon2id hash of a random password, made at start with the current parameters:
   * `authenticate` verifies against it for unknown e-mails, so they cost the same.
   */
  dummyHash: Promise<string>;
  /** Work done after the answer (sending mail), tracked so shutdown and tests can wait for it. */
  background: BackgroundTasks;
}

/** The public view of a record: everything but the password hash. */
export function toUser(record: UserRecord): User {
  const { passwordHash: _passwordHash, ...view } = record;
  return view;
}

/** The shape of every user id (`usr_` + a ULID). By-id operations check it before storage. */
export const USER_ID_PATTERN = /^usr_[0-9A-HJKMNP-TV-Z]{26}$/;
