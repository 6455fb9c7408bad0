import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import type { JwtVerifier } from '../../../src/jwt/verifier/index.js';
import { jwtAuth as expressJwtAuth } from '../../../src/middleware/express.js';
import { jwtAuth as fastifyJwtAuth } from '../../../src/middleware/fastify.js';
import { jwtAuth as fetchJwtAuth } from '../../../src/middleware/fetch.js';
import { jwtAuth as honoJwtAuth, type JwtAuthVariables } from '../../../src/middleware/hono.js';

/** One answer, normalised across frameworks. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A protected `GET /orders` (scope `orders:read`) and `GET /me` (any valid token) on one framework. */
export interface HttpTarget {
  name: string;
  /** The base URL, for targets listening on a real socket. */
  url?: string;
  request(path: '/me' | '/orders' | '/admin', headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

function fromResponse(response: Response, body: string): Answer {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body };
}

/**
 * The JWT middleware on Fastify (inject), Express (real HTTP), Hono (app.fetch) and the fetch
 * wrapper, each protecting `/me` (no scope), `/orders` (`orders:read`), `/admin` (`admin`).
 * Every route answers the verified `sub`.
 */
export async function httpTargets(verifier: JwtVerifier): Promise<HttpTarget[]> {
  const failures: unknown[] = [];
  const options = { verifier, onError: (err: unknown) => failures.push(err) };

  const fastify = Fastify({ logger: false });
  const requireFastify = fastifyJwtAuth(options);
  fastify.get('/me', { onRequest: requireFastify() }, (req) => ({ sub: req.gatehouseJwt!.claims.sub }));
  fastify.get('/orders', { onRequest: requireFastify({ scopes: ['orders:read'] }) }, (req) => ({ sub: req.gatehouseJwt!.claims.sub }));
  fastify.get('/admin', { onRequest: requireFastify({ scopes: ['admin'] }) }, (req) => ({ sub: req.gatehouseJwt!.claims.sub }));
  await fastify.ready();

  const app = express();
  const requireExpress = expressJwtAuth(options);
  app.get('/me', requireExpress(), (req, res) => res.json({ sub: req.gatehouseJwt!.claims.sub }));
  app.get('/orders', requireExpress({ scopes: ['orders:read'] }), (req, res) => res.json({ sub: req.gatehouseJwt!.claims.sub }));
  app.get('/admin', requireExpress({ scopes: ['admin'] }), (req, res) => res.json({ sub: req.gatehouseJwt!.claims.sub }));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const expressUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const hono = new Hono<{ Variables: JwtAuthVariables }>();
  const requireHono = honoJwtAuth(options);
  hono.get('/me', requireHono(), (c) => c.json({ sub: c.get('gatehouseJwt').claims.sub }));
  hono.get('/orders', requireHono({ scopes: ['orders:read'] }), (c) => c.json({ sub: c.get('gatehouseJwt').claims.sub }));
  hono.get('/admin', requireHono({ scopes: ['admin'] }), (c) => c.json({ sub: c.get('gatehouseJwt').claims.sub }));

  const authenticate = fetchJwtAuth(options);
  const fetchHandler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const scopes = path === '/orders' ? ['orders:read'] : path === '/admin' ? ['admin'] : [];
    const auth = await authenticate(request, { scopes });
    if (!auth.ok) return auth.response;
    return Response.json({ sub: auth.jwt.claims.sub });
  };

  return [
    {
      name: 'fastify',
      async request(path, headers = {}) {
        const r = await fastify.inject({ method: 'GET', url: path, headers });
        return { status: r.statusCode, headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])), body: r.body };
      },
      close: () => fastify.close(),
    },
    {
      name: 'express',
      url: expressUrl,
      async request(path, headers = {}) {
        const r = await fetch(expressUrl + path, { headers });
        return fromResponse(r, await r.text());
      },
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    },
    {
      name: 'hono',
      async request(path, headers = {}) {
        const r = await hono.fetch(new Request(`http://localhost${path}`, { headers }));
        return fromResponse(r, await r.text());
      },
      close: () => Promise.resolve(),
    },
    {
      name: 'fetch',
      async request(path, headers = {}) {
        const r = await fetchHandler(new Request(`http://localhost${path}`, { headers }));
        return fromResponse(r, await r.text());
      },
      close: () => Promise.resolve(),
    },
  ];
}

/** The RFC 6750 401 every refused token gets, identical on every framework. */
export function expectInvalidToken(answer: Answer): void {
  if (answer.status !== 401) throw new Error(`expected 401, got ${answer.status}: ${answer.body.slice(0, 200)}`);
  if (!/^Bearer realm="gatehouse", error="invalid_token"/.test(answer.headers['www-authenticate'] ?? '')) {
    throw new Error(`expected an invalid_token challenge, got ${answer.headers['www-authenticate']}`);
  }
  const body = JSON.parse(answer.body) as { code?: string };
  if (body.code !== 'jwt.invalid_token') throw new Error(`expected code jwt.invalid_token, got ${body.code}`);
}
