import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { AccountDeps } from './context.js';
import { buildUserRecord } from './create.js';
import { emitAccountEvent } from './events.js';
import { mayMail, signupExistingMail } from './mail.js';
import type { UserRecord } from './types.js';
import { sendVerificationInBackground } from './verify-email.js';

/** Input of {@link signUp}. */
export interface SignUpInput {
  email: string;
  password: string;
  name?: string | null;
}

/**
 * Self sign-up (only when `accounts.signup.enabled`). Answers the same way for a new and an
 * already registered address, so sign-up cannot be used to find out who has an account:
 * the input and password policy are checked and the password is hashed in both cases; a new
 * address gets an account (unverified) and a verification link, an existing one gets an
 * e-mail telling its owner (both mailed in the background, within the per-address limit).
 * Emits `account.create` (`details.via: "signup"`; a taken address is a failure with reason
 * `email_taken`).
 *
 * @throws {GatehouseError} `account.signup_disabled`; `request.invalid`; `password.*`;
 *   `storage.unavailable`
 * @example await gatehouse.accounts.signUp({ email: 'ann@example.com', password: 'correct horse battery staple' });
 */
export async function signUp(deps: AccountDeps, input: SignUpInput, context: RequestContext = {}): Promise<void> {
  if (!deps.config.signup.enabled) throw new GatehouseError('account.signup_disabled');
  const record = await buildUserRecord(deps, { email: input.email, password: input.password, ...(input.name !== undefined ? { name: input.name } : {}) });
  const existing = await deps.store.findUserByEmail(record.emailNormalized);
  const inserted = existing ? null : await deps.store.insertUser(record);
  if (inserted?.ok) {
    const selfContext: RequestContext = { ...context, actor: { type: 'user', id: record.id } };
    emitAccountEvent(deps, { type: 'account.create', context: selfContext, userId: record.id, details: { via: 'signup', status: record.status, email_verified: false } });
    sendVerificationInBackground(deps, record, selfContext);
    return;
  }
  const owner: UserRecord | null = existing ?? (await deps.store.findUserByEmail(record.emailNormalized));
  deps.background.run('signup_existing_mail', async () => {
    const allowed = await mayMail(deps, record.emailNormalized);
    if (owner && allowed) await deps.mail.send(signupExistingMail(deps, owner.email));
    emitAccountEvent(deps, {
      type: 'account.create',
      context,
      userId: owner?.id ?? null,
      outcome: 'failure',
      reason: allowed ? 'email_taken' : 'mail_limited',
      severity: 'low',
      details: { via: 'signup' },
    });
  });
}
