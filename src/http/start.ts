import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createGatehouse, publicUrlOf, type Gatehouse } from '../gatehouse.js';
import { isLoopbackHost } from '../sessions/cookie.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { CreatedApiKey } from '../api-keys/create.js';
import { buildServer } from './server.js';

/** Options of {@link startServer}. */
export interface StartServerOptions {
  config: Readonly<GatehouseConfig>;
  /** Called once with the bootstrap admin key on the first start of an empty database. */
  onBootstrapKey?: (created: CreatedApiKey) => void;
}

/** A listening server. */
export interface RunningServer {
  app: FastifyInstance;
  gatehouse: Gatehouse;
  /** `http://host:port` actually bound (the port is real even when 0 was asked). */
  url: string;
  /** Stops accepting, finishes in-flight requests, flushes and closes storage. */
  close(): Promise<void>;
}

/**
 * Opens the core, bootstraps the admin key on an empty database, and listens.
 *
 * @throws {ConfigError} for bad configuration; the listen error when the port is taken
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = pino({ level: config.log.level, base: { service: 'gatehouse' } }, pino.destination({ dest: 2, sync: false }));
  const gatehouse = await createGatehouse({ config, logger });
  try {
    if (config.apiKeys.bootstrapAdminKey) {
      const created = await gatehouse.apiKeys.bootstrapAdminKey();
      if (created) options.onBootstrapKey?.(created);
    }
    if (config.server.publicUrl === undefined && !isLoopbackHost(config.server.host)) {
      logger.warn(
        { setting: 'server.publicUrl' },
        `server.publicUrl is not set: e-mailed links, the allowed Origin of browser requests and the token issuer default to ${publicUrlOf(config)}; set GATEHOUSE_PUBLIC_URL to the address users reach (https://… in production)`,
      );
    }
    const app = await buildServer({ gatehouse, logger });
    await app.listen({ host: config.server.host, port: config.server.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
    logger.info({ url: `http://${host}:${port}`, storage: gatehouse.storageLocation }, 'gatehouse listening');
    let closing: Promise<void> | undefined;
    return {
      app,
      gatehouse,
      url: `http://${host}:${port}`,
      close() {
        closing ??= (async () => {
          await app.close();
          await gatehouse.close();
          logger.flush();
        })();
        return closing;
      },
    };
  } catch (err) {
    await gatehouse.close();
    throw err;
  }
}
