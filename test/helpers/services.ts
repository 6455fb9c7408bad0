import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';

/*
 * External services for the scale-out and fault tests: PostgreSQL and Redis selected by
 * GATEHOUSE_TEST_DATABASE_URL / GATEHOUSE_TEST_REDIS_URL, per-test isolation (a random PG
 * schema, a random Redis key prefix), a redis-server child process of our own, and a TCP
 * proxy that can cut the path to PostgreSQL. Every wait here is bounded.
 */

/** `GATEHOUSE_TEST_DATABASE_URL` when it is a PostgreSQL URL. */
export const TEST_DATABASE_URL = process.env.GATEHOUSE_TEST_DATABASE_URL || undefined;
/** `GATEHOUSE_TEST_REDIS_URL`. */
export const TEST_REDIS_URL = process.env.GATEHOUSE_TEST_REDIS_URL || undefined;

/**
 * Why a suite needing `needs` cannot run here, or undefined when it can. Prints the reason as
 * one line (once per call) so a skipped suite is visible in the run's output.
 */
export function skipReason(suite: string, needs: { database?: boolean; redis?: boolean; redisServer?: boolean }): string | undefined {
  const missing: string[] = [];
  if (needs.database && !TEST_DATABASE_URL) missing.push('GATEHOUSE_TEST_DATABASE_URL is unset');
  if (needs.redis && !TEST_REDIS_URL) missing.push('GATEHOUSE_TEST_REDIS_URL is unset');
  if (needs.redisServer && !hasCommand('redis-server')) missing.push('redis-server is not on PATH');
  if (missing.length === 0) return undefined;
  const reason = `skipping ${suite}: ${missing.join('; ')}`;
  console.warn(reason);
  return reason;
}

function hasCommand(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A fresh random name for a PostgreSQL schema (matches `database.schema`'s pattern). */
export function randomSchemaName(): string {
  return `gh_test_${randomBytes(6).toString('hex')}`;
}

/** A fresh random Redis key prefix (matches `redis.keyPrefix`'s pattern). */
export function randomRedisPrefix(): string {
  return `gatehouse-test:${randomBytes(6).toString('hex')}:`;
}

/** Drops a test schema and everything in it. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^gh_test_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop schema ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key under `prefix`. */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  if (!prefix.startsWith('gatehouse-test:')) throw new Error(`refusing to delete keys under ${prefix}`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** The Redis keys under `prefix`, each with its remaining time to live in ms (-1: none). */
export async function redisKeysWithTtl(redisUrl: string, prefix: string): Promise<Array<{ key: string; pttl: number }>> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  await redis.connect();
  try {
    const found: Array<{ key: string; pttl: number }> = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) found.push({ key, pttl: await redis.pttl(key) });
    } while (cursor !== '0');
    return found;
  } finally {
    redis.disconnect();
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sleeps `ms` (always a short, bounded pause). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `probe` every `intervalMs` until `done` accepts its value or `timeoutMs` has passed
 * since the call. A probe that throws counts as not done. Returns the accepted value, the
 * elapsed time and the number of probes; throws with the last value or error on timeout.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs: number; intervalMs?: number; what?: string },
): Promise<{ value: T; elapsedMs: number; attempts: number }> {
  const start = performance.now();
  const interval = options.intervalMs ?? 50;
  let attempts = 0;
  let last: string = 'no attempt';
  for (;;) {
    attempts += 1;
    try {
      const value = await probe();
      if (done(value)) return { value, elapsedMs: performance.now() - start, attempts };
      last = `last value: ${JSON.stringify(value)}`.slice(0, 500);
    } catch (err) {
      last = `last error: ${err instanceof Error ? err.message : String(err)}`;
    }
    const elapsed = performance.now() - start;
    if (elapsed >= options.timeoutMs) {
      throw new Error(`${options.what ?? 'condition'} not reached within ${options.timeoutMs} ms (${attempts} attempts; ${last})`);
    }
    await sleep(Math.min(interval, options.timeoutMs - elapsed));
  }
}

/** Resolves when something accepts TCP connections on `port`, within `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  await pollUntil(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    (ok) => ok,
    { timeoutMs, intervalMs: 50, what: `a listener on port ${port}` },
  );
}

/** A `redis-server` child process of this test's own, on a fixed port so it can come back there. */
export interface RedisServerProcess {
  port: number;
  url: string;
  /** Starts (or restarts) redis-server on `port` and waits until it answers PING. */
  start(): Promise<void>;
  /** Sends `signal` (default SIGKILL: a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Sends `signal` without waiting (SIGSTOP freezes it: connections stay open, nothing answers; SIGCONT resumes). */
  signal(signal: NodeJS.Signals): void;
  running(): boolean;
}

export function redisServerProcess(port: number): RedisServerProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> | undefined;
  let output = '';
  const url = `redis://127.0.0.1:${port}`;
  return {
    port,
    url,
    async start() {
      if (child) throw new Error('redis-server already running');
      output = '';
      const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      // Never outlive the test process, even if it dies without running its hooks.
      const orphanGuard = () => c.kill('SIGKILL');
      process.once('exit', orphanGuard);
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      void exited.then(() => {
        process.off('exit', orphanGuard);
        if (child === c) child = undefined;
      });
      try {
        await pollUntil(
          async () => {
            if (c.exitCode !== null || c.signalCode !== null) throw new Error(`redis-server exited: ${output}`);
            const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, retryStrategy: () => null });
            r.on('error', () => undefined);
            try {
              await r.connect();
              return await r.ping();
            } finally {
              r.disconnect();
            }
          },
          (pong) => pong === 'PONG',
          { timeoutMs: 10_000, intervalMs: 50, what: `redis-server on port ${port}` },
        );
      } catch (err) {
        c.kill('SIGKILL');
        await exited;
        throw err;
      }
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const c = child;
      if (!c) return;
      // A stopped process would not act on SIGTERM.
      if (signal !== 'SIGKILL') c.kill('SIGCONT');
      c.kill(signal);
      const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      child = undefined;
    },
    signal(signal) {
      if (!child) throw new Error('redis-server is not running');
      child.kill(signal);
    },
    running: () => child !== undefined,
  };
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target`.
 *
 * - `close()`: the target goes away (a stopped server): the listener closes and every open
 *   connection is destroyed, so new connections are refused. `listen()` brings it back on the
 *   same port.
 * - `partition()`: the network drops every packet: connections stay open but nothing is
 *   forwarded either way, and new connections are accepted but never reach the target.
 *   `heal()` ends it (the stalled connections are reset, as a peer that lost their state would).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | undefined }>();
  private portNumber = 0;
  private partitioned = false;

  constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return this.portNumber;
  }

  /** Listens on the previous port (or a free one the first time). */
  listen(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portNumber, '127.0.0.1', () => {
        server.off('error', reject);
        const address = server.address();
        if (typeof address === 'object' && address) this.portNumber = address.port;
        this.server = server;
        resolve();
      });
    });
  }

  /** Stops listening and destroys every connection through the proxy. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.destroyAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on nothing passes, on open connections or new ones, until {@link heal}. */
  partition(): void {
    this.partitioned = true;
    for (const pair of this.pairs) this.stall(pair);
  }

  /** Ends a partition: stalled connections are destroyed; new ones are forwarded again. */
  heal(): void {
    if (!this.partitioned) return;
    this.partitioned = false;
    this.destroyAll();
  }

  /** Open connections (client side and upstream side each count). */
  get connections(): number {
    return this.sockets.size;
  }

  private destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.pairs.clear();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  /** Stops forwarding on a pair; whatever arrives is dropped. */
  private stall(pair: { client: Socket; upstream: Socket | undefined }): void {
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.resume();
    pair.upstream?.resume();
  }

  private accept(client: Socket): void {
    this.track(client);
    const pair: { client: Socket; upstream: Socket | undefined } = { client, upstream: undefined };
    this.pairs.add(pair);
    client.once('close', () => this.pairs.delete(pair));
    if (this.partitioned) {
      this.stall(pair);
      return;
    }
    const upstream = connect({ host: this.target.host, port: this.target.port });
    pair.upstream = upstream;
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  }
}

/** `url` with its host and port replaced by 127.0.0.1:`port` (credentials, database and query kept). */
export function withHostPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}

/** The host and port of a `postgres://` URL (default port 5432). */
export function hostPortOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : 5432 };
}
