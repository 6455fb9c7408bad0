/**
 * Invariant: no client can hold a connection to Gatehouse open indefinitely. A request must
 * arrive whole (headers and body) within `server.requestTimeoutSeconds`, however slowly its
 * bytes trickle in; a socket on which nothing happens is closed after
 * `server.connectionTimeoutSeconds` (idle keep-alive sockets even earlier); and no more than
 * `server.maxConnections` connections are open at once. Without these bounds a few slow or
 * idle clients (slowloris, slow-body POSTs) exhaust the server's sockets and memory.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A raw client socket that records what it received and when the server closed it. */
interface Probe {
  socket: Socket;
  received: () => string;
  /** Resolves with the milliseconds from `connect` until the server ended the connection. */
  closed: Promise<number>;
}

function open(url: string): Promise<Probe> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => Buffer.concat(chunks).toString('latin1'), closed }));
    socket.once('error', reject);
  });
}

/** Rejects when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still open after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('slow and idle clients cannot hold connections', () => {
  let server: TestServer | undefined;
  const probes: Probe[] = [];

  afterEach(async () => {
    for (const p of probes.splice(0)) p.socket.destroy();
    await server?.close();
    server = undefined;
  });

  it('the defaults: 30 s per request, 75 s idle socket, 72 s keep-alive, 10000 connections', async () => {
    server = await startTestServer();
    const http = server.app.server;
    expect(http.requestTimeout).toBe(30_000);
    // Node swaps the two when headersTimeout is the larger, which would stretch the body's limit.
    expect(http.headersTimeout).toBeLessThanOrEqual(http.requestTimeout);
    expect(http.timeout).toBe(75_000);
    expect(http.keepAliveTimeout).toBe(72_000);
    expect(http.keepAliveTimeout).toBeLessThan(http.timeout);
    expect(http.maxConnections).toBe(10_000);
  });

  it('a shorter connection timeout pulls the keep-alive timeout below it', async () => {
    server = await startTestServer({ overrides: { server: { connectionTimeoutSeconds: 30 } } });
    expect(server.app.server.timeout).toBe(30_000);
    expect(server.app.server.keepAliveTimeout).toBe(29_000);
  });

  it('a body trickled in byte by byte is cut off after requestTimeoutSeconds with 408', async () => {
    server = await startTestServer({ overrides: { server: { requestTimeoutSeconds: 1 } } });
    const probe = await open(server.url);
    probes.push(probe);
    const body = JSON.stringify({ name: 'slow', metadata: { pad: 'x'.repeat(200) } });
    probe.socket.write(
      `POST /v1/keys HTTP/1.1\r\nHost: gatehouse\r\nAuthorization: Bearer ${server.adminKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    // One byte every 100 ms: never idle, but the body would take over 20 s to arrive.
    let sent = 0;
    const trickle = setInterval(() => {
      if (!probe.socket.destroyed && sent < body.length - 1) probe.socket.write(body[sent++]!);
    }, 100);
    try {
      const ms = await within(probe.closed, 4000, 'slow-body connection');
      expect(ms).toBeLessThan(4000);
    } finally {
      clearInterval(trickle);
    }
    expect(probe.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(body.length - 1);
    expect(server.events.filter((e) => e.type === 'api_key.create' && e.outcome === 'success' && e.actor?.type === 'api_key')).toHaveLength(0);
  });

  it('a connection that sends nothing is closed after connectionTimeoutSeconds', async () => {
    server = await startTestServer({ overrides: { server: { connectionTimeoutSeconds: 2, requestTimeoutSeconds: 60 } } });
    const probe = await open(server.url);
    probes.push(probe);
    const ms = await within(probe.closed, 5000, 'idle connection');
    expect(ms).toBeGreaterThanOrEqual(1000);
  });

  it('connections beyond maxConnections are refused while the others stay open', async () => {
    server = await startTestServer({ overrides: { server: { maxConnections: 2 } } });
    const first = await open(server.url);
    const second = await open(server.url);
    probes.push(first, second);
    // Make sure the server has accepted both before the third arrives.
    for (const p of [first, second]) {
      p.socket.write('GET /healthz HTTP/1.1\r\nHost: gatehouse\r\n\r\n');
      await within(
        new Promise<void>((resolve) => {
          const check = () => (p.received().includes('"status":"ok"') ? resolve() : setTimeout(check, 10));
          check();
        }),
        2000,
        'keep-alive request',
      );
    }
    const third = await open(server.url);
    probes.push(third);
    third.socket.write('GET /healthz HTTP/1.1\r\nHost: gatehouse\r\n\r\n');
    await within(third.closed, 2000, 'connection over the limit');
    expect(third.received()).toBe('');
    expect(first.socket.destroyed).toBe(false);
    expect(second.socket.destroyed).toBe(false);
  });
});
