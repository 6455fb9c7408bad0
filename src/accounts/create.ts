import { createId } from '../core/crypto/ids.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { type AccountDeps, toUser } from './context.js';
import { normalizeEmail } from './email.js';
import { emitAccountEvent } from './events.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { User, UserRecord, UserStatus } from './types.js';
import { validateBoolean, validateDisplayName, validateStatus } from './validate.js';

/** Input of {@link createUser}. */
export interface CreateUserInput {
  /** The e-mail address; unique after trimming, NFKC and lower-casing. */
  email: string;
  /** Checked against the password policy; only its argon2id hash is stored. */
  password: string;
  /** Display name, at most 200 characters. */
  name?: string | null;
  /** Default false (an admin who checked the address may set true). */
  emailVerified?: boolean;
  /** Default `active`. */
  status?: UserStatus;
}

/**
 * Builds a new user record (not stored): validates the input, checks the password policy
 * and hashes the password with argon2id.
 *
 * @throws {GatehouseError} `request.invalid`, `password.*`
 */
export async function buildUserRecord(deps: AccountDeps, input: CreateUserInput): Promise<UserRecord> {
  const email = normalizeEmail(input.email);
  const name = validateDisplayName(input.name);
  const emailVerified = input.emailVerified === undefined ? false : validateBoolean(input.emailVerified, 'email_verified');
  const status = input.status === undefined ? 'active' : validateStatus(input.status);
  const password = checkPasswordPolicy(input.password, deps.config.password, email.normalized);
  const passwordHash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  return {
    id: createId('usr', deps.clock, deps.random),
    email: email.display,
    emailNormalized: email.normalized,
    emailVerified,
    name,
    status,
    createdAt: now,
    updatedAt: now,
    passwordChangedAt: now,
    passwordHash,
  };
}

/**
 * Creates a user (the admin path: the caller is trusted, so a taken address is reported).
 * Emits `account.create`.
 *
 * @throws {GatehouseError} `request.invalid`; `password.too_short`, `password.too_long`,
 *   `password.too_common`, `password.matches_email`; `account.email_taken`; `storage.unavailable`
 * @example
 * const user = await gatehouse.accounts.create({ email: 'ann@example.com', password: 'correct horse battery staple', name: 'Ann' });
 */
export async function createUser(deps: AccountDeps, input: CreateUserInput, context: RequestContext = {}): Promise<User> {
  const record = await buildUserRecord(deps, input);
  const result = await deps.store.insertUser(record);
  if (!result.ok) throw new GatehouseError('account.email_taken');
  emitAccountEvent(deps, {
    type: 'account.create',
    context,
    userId: record.id,
    details: { via: 'admin', status: record.status, email_verified: record.emailVerified },
  });
  return toUser(result.user);
}
