import type { Command } from 'commander';
import { startServer } from '../../index.js';
import { cliConfig, type GlobalOptions } from '../context.js';
import { secretBanner } from '../output.js';
import { parsePort } from '../parse.js';

interface StartOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  databaseUrl?: string;
}

/** `gatehouse start`: runs the server until SIGINT/SIGTERM. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('start the Gatehouse server (SQLite in ./data and in-memory counters unless configured otherwise)')
    .option('--host <host>', 'interface to bind (GATEHOUSE_HOST)')
    .option('--port <port>', 'TCP port (GATEHOUSE_PORT)', parsePort)
    .option('--data-dir <dir>', 'data directory (GATEHOUSE_DATA_DIR)')
    .option('--database-url <url>', 'database URL (GATEHOUSE_DATABASE_URL)')
    .action(async (options: StartOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = cliConfig(globals, {
        ...(options.host !== undefined || options.port !== undefined
          ? { server: { ...(options.host !== undefined ? { host: options.host } : {}), ...(options.port !== undefined ? { port: options.port } : {}) } }
          : {}),
        ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
        ...(options.databaseUrl !== undefined ? { database: { url: options.databaseUrl } } : {}),
      });
      const server = await startServer({
        config,
        onBootstrapKey: ({ key, apiKey }) => {
          process.stdout.write(
            `\n${secretBanner(`First start: created admin API key ${apiKey.id} (scopes: ${apiKey.scopes.join(' ')})`, key)}\n\n`,
          );
        },
      });
      process.stdout.write(`Gatehouse listening on ${server.url} (storage: ${server.gatehouse.storageLocation}; counters: ${server.gatehouse.countersLocation})\n`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`Received ${signal}, shutting down\n`);
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
