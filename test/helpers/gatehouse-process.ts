import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/core/config/load.js';
import type { GatehouseConfigInput } from '../../src/core/config/schema.js';
import { createGatehouse, type Gatehouse } from '../../src/gatehouse.js';
import { buildServer } from '../../src/http/server.js';
import { runCli, spawnCli, type RunningCli } from './cli.js';

/** The start-up line of `gatehouse start`, with its URL and port. */
export const LISTENING = /Gatehouse listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/** A `gatehouse start` process that has printed its listening line. */
export interface ServerProcess {
  cli: RunningCli;
  url: string;
  port: number;
  pid: number;
}

/**
 * Spawns `gatehouse start --port 0` with `env` (GATEHOUSE_* only; the test process's own are
 * never inherited) and waits for its listening line. The returned process must be stopped by
 * the caller (`cli.stop()`); on a failed start it is killed here.
 */
export async function startServerProcess(options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<ServerProcess> {
  const cli = spawnCli(['start', '--port', '0'], { cwd: options.cwd, env: options.env });
  try {
    const [, url, port] = await cli.waitForStdout(LISTENING, options.timeoutMs ?? 30_000);
    return { cli, url: url!, port: Number(port), pid: cli.child.pid! };
  } catch (err) {
    cli.child.kill('SIGKILL');
    await cli.exited;
    throw err;
  }
}

/** Creates a key with `gatehouse keys create --json` and returns its id and raw key. */
export async function createKeyWithCli(options: { cwd: string; env: Record<string, string>; name: string; scopes: string[]; rateLimit?: string }): Promise<{ id: string; key: string }> {
  const args = ['keys', 'create', '--name', options.name, '--scopes', options.scopes.join(','), '--json'];
  if (options.rateLimit) args.push('--rate-limit', options.rateLimit);
  const result = await runCli(args, { cwd: options.cwd, env: options.env, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`gatehouse keys create failed (${result.code}): ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { id: string; key: string };
  return { id: parsed.id, key: parsed.key };
}

/**
 * A real Gatehouse in this process (wall clock, audit events to a file, no operational log),
 * listening on 127.0.0.1:0. Unlike `startTestServer` nothing accumulates in memory, so the
 * process's memory can be measured, and the database and Redis settings are taken as given.
 */
export interface InProcessServer {
  app: FastifyInstance;
  gatehouse: Gatehouse;
  url: string;
  dir: string;
  close(): Promise<void>;
}

export async function startInProcessServer(overrides: GatehouseConfigInput): Promise<InProcessServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-fault-'));
  let gatehouse: Gatehouse | undefined;
  let app: FastifyInstance | undefined;
  try {
    const config = loadConfig({
      env: {},
      cwd: dir,
      overrides: {
        ...overrides,
        dataDir: dir,
        server: { ...overrides.server, port: 0 },
        audit: { destination: join(dir, 'audit.log') },
        apiKeys: { ...overrides.apiKeys, bootstrapAdminKey: false },
      },
    });
    gatehouse = await createGatehouse({ config });
    app = await buildServer({ gatehouse });
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await app?.close();
    await gatehouse?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const listening = app;
  const core = gatehouse;
  let closing: Promise<void> | undefined;
  return {
    app: listening,
    gatehouse: core,
    url: `http://127.0.0.1:${port}`,
    dir,
    close() {
      closing ??= (async () => {
        try {
          await listening.close();
          await core.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      })();
      return closing;
    },
  };
}
