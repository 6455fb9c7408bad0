import type { RequestContext } from '../core/events.js';
import { authenticate } from './authenticate.js';
import { BackgroundTasks } from './background.js';
import { changePassword, type ChangePasswordInput } from './change-password.js';
import type { AccountDeps, AccountServiceOptions } from './context.js';
import { createUser, type CreateUserInput } from './create.js';
import { deleteUser } from './delete.js';
import { createPasswordHasher } from './password-hash.js';
import { loadCommonPasswords } from './common-passwords.js';
import { getUser, listUsers, type ListUsersOptions, type UserList } from './read.js';
import { requestPasswordReset, resetPassword } from './reset-password.js';
import { revokeUserSessions } from './revoke-sessions.js';
import { signUp, type SignUpInput } from './signup.js';
import type { AuthenticateResult, User } from './types.js';
import { disableUser, enableUser, updateUser, type UpdateUserInput } from './update.js';
import { sendEmailVerification, verifyEmail } from './verify-email.js';

export type { AccountServiceOptions } from './context.js';

/** The accounts domain: every operation, callable without HTTP (`gatehouse.accounts`). */
export interface AccountService {
  /** Admin create. @see createUser */
  create(input: CreateUserInput, context?: RequestContext): Promise<User>;
  /** @throws {GatehouseError} `account.not_found` */
  get(id: string): Promise<User>;
  list(options?: ListUsersOptions): Promise<UserList>;
  update(id: string, input: UpdateUserInput, context?: RequestContext): Promise<User>;
  disable(id: string, context?: RequestContext): Promise<User>;
  enable(id: string, context?: RequestContext): Promise<User>;
  delete(id: string, context?: RequestContext): Promise<void>;
  changePassword(id: string, input: ChangePasswordInput, context?: RequestContext): Promise<User>;
  /** Ends every session of the user; returns how many. @throws {GatehouseError} `account.not_found` */
  revokeSessions(id: string, context?: RequestContext): Promise<number>;
  /**
   * Checks a password login. Costs the same for an unknown e-mail as for a known one
   * (verifies against a dummy hash made at start with the current parameters). Rehashes on
   * old parameters. Emits no event (the login flow does).
   */
  authenticate(email: string, password: string): Promise<AuthenticateResult>;
  /** Self sign-up. @see signUp */
  signUp(input: SignUpInput, context?: RequestContext): Promise<void>;
  /** Mails a new verification link; false when already verified. */
  sendEmailVerification(id: string, context?: RequestContext): Promise<boolean>;
  verifyEmail(token: string, context?: RequestContext): Promise<User>;
  requestPasswordReset(email: string, context?: RequestContext): Promise<void>;
  resetPassword(token: string, newPassword: string, context?: RequestContext): Promise<User>;
  /** Resolves when all mail started so far has been handed to the sender (or failed, logged). */
  settle(): Promise<void>;
  /** Waits for pending mail, then closes the mail sender. */
  close(): Promise<void>;
}

/**
 * Builds the account service from explicit dependencies. Starts hashing the dummy password
 * for `authenticate` at once and loads the common-password list when the policy uses it.
 *
 * @example
 * const accounts = createAccountService({ store, counters, audit, clock, random, config: config.accounts, mail, publicUrl, sessions, logger });
 */
export function createAccountService(options: AccountServiceOptions): AccountService {
  const hasher = createPasswordHasher(options.config.argon2, options.random);
  if (options.config.password.rejectCommon) loadCommonPasswords();
  const dummyHash = hasher.hash(Buffer.from(options.random.bytes(32)).toString('base64url'));
  // Never an unhandled rejection; `authenticate` awaits it and sees the same failure.
  dummyHash.catch(() => undefined);
  const background = new BackgroundTasks(options.logger);
  const deps: AccountDeps = { ...options, hasher, dummyHash, background };
  return {
    create: (input, context) => createUser(deps, input, context),
    get: (id) => getUser(deps, id),
    list: (listOptions) => listUsers(deps, listOptions),
    update: (id, input, context) => updateUser(deps, id, input, context),
    disable: (id, context) => disableUser(deps, id, context),
    enable: (id, context) => enableUser(deps, id, context),
    delete: (id, context) => deleteUser(deps, id, context),
    changePassword: (id, input, context) => changePassword(deps, id, input, context),
    revokeSessions: (id) => revokeUserSessions(deps, id),
    authenticate: (email, password) => authenticate(deps, email, password),
    signUp: (input, context) => signUp(deps, input, context),
    sendEmailVerification: (id, context) => sendEmailVerification(deps, id, context),
    verifyEmail: (token, context) => verifyEmail(deps, token, context),
    requestPasswordReset: (email, context) => requestPasswordReset(deps, email, context),
    resetPassword: (token, newPassword, context) => resetPassword(deps, token, newPassword, context),
    settle: () => background.settle(),
    async close() {
      await background.settle();
      await options.mail.close();
    },
  };
}
