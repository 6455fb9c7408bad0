import { userInfo } from 'node:os';
import { createAuditLog, createGatehouse, loadConfig, systemClock, type Gatehouse, type GatehouseConfig, type GatehouseConfigInput } from '../index.js';

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

/** Loads configuration the same way the server does: defaults, file, `GATEHOUSE_*`, flags. */
export function cliConfig(globals: GlobalOptions, overrides: GatehouseConfigInput = {}): Readonly<GatehouseConfig> {
  return loadConfig({ configPath: globals.config, overrides });
}

/**
 * Opens the configured database for one command and closes it afterwards. Auth events go
 * to the configured destination, except that `stdout` becomes `stderr` so they never mix
 * with the command's own output.
 */
export async function withGatehouse<T>(globals: GlobalOptions, fn: (gatehouse: Gatehouse) => Promise<T>): Promise<T> {
  const config = cliConfig(globals);
  const destination = config.audit.destination === 'stdout' ? 'stderr' : config.audit.destination;
  const gatehouse = await createGatehouse({ config, audit: createAuditLog({ destination, clock: systemClock }) });
  try {
    return await fn(gatehouse);
  } finally {
    await gatehouse.close();
  }
}

/** The context of a management action taken from the CLI, for auth events. */
export const cliContext = { actor: { type: 'cli' as const, id: osUser() } };

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
