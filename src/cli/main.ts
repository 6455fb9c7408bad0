#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError, GatehouseError, VERSION } from '../index.js';
import { registerKeys } from './commands/keys.js';
import { registerClients } from './commands/clients.js';
import { registerJwks } from './commands/jwks.js';
import { registerUsers } from './commands/users.js';
import { registerStart } from './commands/start.js';

const program = new Command()
  .name('gatehouse')
  .description('Gatehouse: self-hosted authentication server and toolkit')
  .version(VERSION)
  .option('-c, --config <path>', 'config file (default ./gatehouse.config.json if present; GATEHOUSE_CONFIG)')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerStart(program);
registerKeys(program);
registerJwks(program);
registerUsers(program);
registerClients(program);

function fail(message: string, code: number): never {
  process.stderr.write(`gatehouse: error: ${message}\n`);
  process.exit(code);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
  if (err instanceof ConfigError) fail(err.message, 2);
  if (err instanceof GatehouseError) fail(`${err.message} (${err.code})`, 1);
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') fail(`address already in use: ${e.message.replace(/^listen EADDRINUSE: address already in use /, '')}`, 1);
  if (e.code === 'EACCES') fail(`permission denied: ${e.message}`, 1);
  fail(e instanceof Error ? e.message : String(err), 1);
}
