import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local JWK Set server whose answer the test controls, counting requests. */
export interface JwksServer {
  url: string;
  /** Requests served so far. */
  hits: number;
  keys: unknown[];
  cacheControl: string | undefined;
  /** Override the answer: status and raw body, or a hang (never answers). */
  mode: 'ok' | { status: number; body?: string } | 'hang' | 'redirect';
  close(): Promise<void>;
}

export async function startJwksServer(keys: unknown[] = []): Promise<JwksServer> {
  const hanging: ServerResponse[] = [];
  const state = { hits: 0, keys, cacheControl: 'max-age=300', mode: 'ok' } as JwksServer;
  const server: Server = createServer((_req, res) => {
    state.hits++;
    const mode = state.mode;
    if (mode === 'hang') {
      hanging.push(res);
      return;
    }
    if (mode === 'redirect') {
      res.writeHead(302, { location: 'https://evil.example.com/jwks.json' }).end();
      return;
    }
    if (mode !== 'ok') {
      res.writeHead(mode.status, { 'content-type': 'application/json' }).end(mode.body ?? '');
      return;
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (state.cacheControl !== undefined) headers['cache-control'] = state.cacheControl;
    res.writeHead(200, headers).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}
