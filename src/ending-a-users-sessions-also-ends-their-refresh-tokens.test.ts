import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from './audit/audit-log.js';
import { createManualClock } from './core/clock.js';
import { GatehouseError } from './core/errors/gatehouse-error.js';
import { createGatehouse, type Gatehouse } from './gatehouse.js';

/**
 * Invariant: whatever ends all of a user's sign-in sessions — an administrator disabling or
 * deleting the account, or the account's password being changed or reset — also ends every
 * refresh-token family issued to that user, so no refresh token outlives the sign-ins it
 * came from (including families not tied to a browser session, as the OAuth server will issue).
 */
const gatehouses: Gatehouse[] = [];
afterEach(async () => {
  for (const g of gatehouses.splice(0)) await g.close();
});

async function setup(): Promise<Gatehouse> {
  const clock = createManualClock(Date.UTC(2026, 10, 29));
  const gatehouse = await createGatehouse({
    clock,
    audit: createMemoryAuditLog({ clock }),
    config: { database: { url: 'sqlite::memory:' }, accounts: { argon2: { memoryKiB: 7168, iterations: 1, parallelism: 1 } }, apiKeys: { bootstrapAdminKey: false } },
  });
  gatehouses.push(gatehouse);
  return gatehouse;
}

async function refreshFails(gatehouse: Gatehouse, token: string): Promise<boolean> {
  return gatehouse.tokens.refresh(token).then(
    () => false,
    (err: unknown) => err instanceof GatehouseError && err.code === 'refresh_token.invalid',
  );
}

describe('ending a user\'s sessions also ends their refresh tokens', () => {
  it.each([
    ['disable', (g: Gatehouse, id: string) => g.accounts.disable(id)],
    ['delete', (g: Gatehouse, id: string) => g.accounts.delete(id)],
    ['password change', (g: Gatehouse, id: string) => g.accounts.changePassword(id, { currentPassword: 'correct horse battery staple', newPassword: 'a different long passphrase' })],
  ])('%s revokes the user\'s refresh-token families', async (_name, end) => {
    const gatehouse = await setup();
    const user = await gatehouse.accounts.create({ email: 'ann@example.com', password: 'correct horse battery staple' });
    const other = await gatehouse.accounts.create({ email: 'bob@example.com', password: 'correct horse battery staple' });
    const issued = await gatehouse.tokens.issueTokens({ subject: user.id, clientId: 'app', audience: 'api' });
    const kept = await gatehouse.tokens.issueTokens({ subject: other.id, clientId: 'app', audience: 'api' });
    await end(gatehouse, user.id);
    expect(await refreshFails(gatehouse, issued.refreshToken)).toBe(true);
    expect(await refreshFails(gatehouse, kept.refreshToken)).toBe(false);
  });
});
