/**
 * Invariant: the remote verifier grants access only on an unambiguous yes from the Gatehouse
 * it was configured with: a 200 `application/json` answer whose `valid` is the boolean `true`
 * and that carries a complete key (id, scopes, …) and its rate-limit state. Every other answer
 * (not JSON, the wrong media type, `"valid": "false"` or `1`, missing or mistyped fields,
 * an unknown refusal code, a redirect, even one to a server that says yes) is a verifier
 * fault: it rejects with `auth.verifier_unavailable`, so the middleware answers 503, never
 * 400 or 500 and never lets the request through. A redirect is not followed at all: it would
 * carry the service's own verifier key to another host and let that host decide.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { authenticateApiKey } from './api-key-auth.js';
import { createRemoteApiKeyVerifier } from './remote-verifier.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface FakeServer {
  url: string;
  requests: Array<{ url: string | undefined; authorization: string | undefined; body: string }>;
  respond: Handler;
  close(): Promise<void>;
}

async function fakeServer(): Promise<FakeServer> {
  const state: FakeServer = { url: '', requests: [], respond: (_req, res) => res.end(), close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push({ url: req.url, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
      state.respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

const json = (status: number, body: unknown, contentType = 'application/json; charset=utf-8'): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': contentType });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

const RATELIMIT = { policy: 'api_key', limit: 100, remaining: 99, reset: 30, window_seconds: 60 };
const KEY = {
  id: 'key_01KDZZZZZZZZZZZZZZZZZZZZZZ',
  name: 'caller',
  start: 'gk_live_AbCd1234',
  prefix: 'gk_live',
  environment: 'live',
  owner_id: null,
  scopes: ['orders:read'],
  metadata: {},
  rate_limit: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  expires_at: null,
  revoked_at: null,
  last_used_at: null,
  rotated_from_id: null,
  rotated_to_id: null,
};
const VALID = { valid: true, ...KEY, ratelimit: RATELIMIT };
const without = (field: string) => Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== field));

describe('the remote verifier fails closed', () => {
  let gatehouse: FakeServer;
  let elsewhere: FakeServer;
  const presented = 'gk_live_AbCd1234presentedKeyPresentedKey0000';

  beforeAll(async () => {
    gatehouse = await fakeServer();
    elsewhere = await fakeServer();
    elsewhere.respond = json(200, VALID);
  });

  afterAll(async () => {
    await gatehouse.close();
    await elsewhere.close();
  });

  beforeEach(() => {
    gatehouse.requests.length = 0;
    elsewhere.requests.length = 0;
  });

  const verifier = () => createRemoteApiKeyVerifier({ baseUrl: gatehouse.url, apiKey: 'gk_live_verifierKeyOfThisService000000000', timeoutMs: 2000 });

  async function expectUnavailable(respond: Handler): Promise<void> {
    gatehouse.respond = respond;
    const error = await verifier()
      .verify(presented)
      .then(
        (result) => result,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(GatehouseError);
    expect((error as GatehouseError).code).toBe('auth.verifier_unavailable');
    expect(JSON.stringify(error)).not.toContain(presented);
    // Through the middleware: 503, never 400/500, never a pass.
    gatehouse.respond = respond;
    const outcome = await authenticateApiKey(verifier(), (name) => (name === 'authorization' ? `Bearer ${presented}` : undefined), { requestId: 'req-1' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.response.status).toBe(503);
      expect(outcome.response.body).toMatchObject({ code: 'auth.verifier_unavailable' });
    }
  }

  const bad: Array<[string, Handler]> = [
    ['a 200 HTML page', json(200, '<html>ok</html>', 'text/html')],
    ['a 200 with no content type', (_req, res) => res.end(JSON.stringify(VALID))],
    ['a complete success sent as text/plain', json(200, VALID, 'text/plain')],
    ['a complete success sent as application/jsonp', json(200, VALID, 'application/jsonp')],
    ['JSON that does not parse', json(200, '{"valid":true,')],
    ['an empty body', json(200, '')],
    ['null', json(200, 'null')],
    ['an array', json(200, [VALID])],
    ['a string', json(200, '"valid"')],
    ['{"valid":"false"}', json(200, { valid: 'false' })],
    ['{"valid":"true"} with a complete key', json(200, { ...VALID, valid: 'true' })],
    ['{"valid":1} with a complete key', json(200, { ...VALID, valid: 1 })],
    ['no valid field', json(200, without('valid'))],
    ['{"valid":true} alone', json(200, { valid: true })],
    ['a success without id', json(200, without('id'))],
    ['a success with a numeric id', json(200, { ...VALID, id: 42 })],
    ['a success without scopes', json(200, without('scopes'))],
    ['a success with scopes as a string', json(200, { ...VALID, scopes: 'orders:read admin' })],
    ['a success with a non-string scope', json(200, { ...VALID, scopes: ['a', 1] })],
    ['a success without ratelimit', json(200, without('ratelimit'))],
    ['a success with ratelimit numbers as strings', json(200, { ...VALID, ratelimit: { ...RATELIMIT, remaining: '99' } })],
    ['a success with ratelimit null', json(200, { ...VALID, ratelimit: null })],
    ['a success without created_at', json(200, without('created_at'))],
    ['a success with an unknown environment', json(200, { ...VALID, environment: 'prod' })],
    ['a refusal with an unknown code', json(200, { valid: false, code: 'MAYBE' })],
    ['a refusal without a code', json(200, { valid: false })],
    ['a refusal with a malformed ratelimit', json(200, { valid: false, code: 'RATE_LIMITED', ratelimit: { limit: 'x' } })],
    ['a 500', json(500, { error: 'boom' })],
  ];

  for (const [name, respond] of bad) {
    it(`${name} → auth.verifier_unavailable`, async () => {
      await expectUnavailable(respond);
    });
  }

  it('a 307 to another server that answers valid:true is not followed', async () => {
    await expectUnavailable((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/v1/keys/verify` });
      res.end();
    });
    await expectUnavailable((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/v1/keys/verify` });
      res.end();
    });
    // The other server never saw the request, nor this service's verifier key.
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a well-formed success and a well-formed refusal are still understood', async () => {
    gatehouse.respond = json(200, VALID);
    const ok = await verifier().verify(presented);
    expect(ok).toMatchObject({ valid: true, key: { id: KEY.id, scopes: ['orders:read'], prefix: 'gk_live', start: 'AbCd1234' }, rateLimit: { remaining: 99 } });

    gatehouse.respond = json(200, { valid: false, code: 'INSUFFICIENT_SCOPE', required_scopes: ['admin'] });
    expect(await verifier().verify(presented, { scopes: ['admin'] })).toEqual({ valid: false, code: 'INSUFFICIENT_SCOPE', requiredScopes: ['admin'] });

    gatehouse.respond = json(200, { valid: false, code: 'NOT_FOUND' });
    const outcome = await authenticateApiKey(verifier(), (name) => (name === 'authorization' ? `Bearer ${presented}` : undefined), { requestId: 'req-2' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.response.status).toBe(401);
    expect(gatehouse.requests.at(-1)?.url).toBe('/v1/keys/verify');
  });
});
