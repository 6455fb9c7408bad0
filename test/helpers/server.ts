import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createMemoryAuditLog } from '../../src/audit/audit-log.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/core/config/load.js';
import type { GatehouseConfigInput } from '../../src/core/config/schema.js';
import type { AuthEvent } from '../../src/core/events.js';
import { createGatehouse, type Gatehouse } from '../../src/gatehouse.js';
import { buildServer } from '../../src/http/server.js';

/** A real Gatehouse HTTP server on an ephemeral port, with an injected clock and in-memory logs. */
export interface TestServer {
  app: FastifyInstance;
  gatehouse: Gatehouse;
  clock: ManualClock;
  /** Every auth event emitted so far (live array). */
  events: AuthEvent[];
  /** Every operational log line written so far (raw JSON lines). */
  logLines: string[];
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** A key with scopes `admin` and `keys:verify` and a rate limit high enough never to interfere. */
  adminKey: string;
  adminId: string;
  /** Temporary working directory of this server (removed by close). */
  dir: string;
  close(): Promise<void>;
}

export interface StartTestServerOptions {
  /** Configuration overrides merged over the test defaults (in-memory SQLite, port 0). */
  overrides?: GatehouseConfigInput;
  /** Database URL; default `sqlite::memory:`. */
  databaseUrl?: string;
  /** Start time of the manual clock (epoch ms). Default 2026-01-01T00:00:00Z, a whole minute. */
  startMs?: number;
}

/**
 * Starts the real server: `createGatehouse` with a manual clock and a memory audit log,
 * `buildServer` with a pino logger writing into memory, listening on 127.0.0.1:0.
 */
export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-http-'));
  const clock = createManualClock(options.startMs);
  const audit = createMemoryAuditLog({ clock });
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const logger = pino({ level: 'trace' }, stream);
  const gatehouse = await createGatehouse({
    config: loadConfig({
      env: {},
      cwd: dir,
      overrides: {
        ...options.overrides,
        database: { url: options.databaseUrl ?? 'sqlite::memory:' },
        server: { ...options.overrides?.server, port: 0 },
      },
    }),
    clock,
    audit,
    logger,
  });
  let app: FastifyInstance | undefined;
  try {
    app = await buildServer({ gatehouse, logger });
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await app?.close();
    await gatehouse.close();
    throw err;
  }
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  const admin = await gatehouse.apiKeys.create({ name: 'admin', scopes: ['admin', 'keys:verify'], rateLimit: { limit: 1_000_000, windowSeconds: 60 } });
  const listening = app;
  let closing: Promise<void> | undefined;
  return {
    app: listening,
    gatehouse,
    clock,
    events: audit.events,
    logLines,
    url: `http://127.0.0.1:${address.port}`,
    adminKey: admin.key,
    adminId: admin.apiKey.id,
    dir,
    close() {
      closing ??= (async () => {
        await listening.close();
        await gatehouse.close();
        rmSync(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** A response read in full. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON); tests check its shape with assertions. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped view of a response body under test
  json: any;
}

export interface CallOptions {
  method?: string;
  /** Sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** A JSON value to send (content-type application/json). */
  body?: unknown;
  /** A raw body, sent as is. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** One HTTP request to the test server with global fetch. */
export async function call(server: { url: string }, path: string, options: CallOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
  }
  const res = await fetch(server.url + path, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The problem+json media type Gatehouse sends. */
export const PROBLEM_JSON = /^application\/problem\+json(;|$)/;
