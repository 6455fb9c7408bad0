/**
 * Invariant: the verification key comes only from the trusted key set, chosen by an exact
 * match of `kid` (a map lookup: path traversal, SQL or near-miss kids select nothing), and
 * never from the token itself: `jku`, `x5u`, an embedded `jwk` or `x5c` are ignored, so a token
 * signed with an attacker's key that it points to or embeds is refused, and the URLs it names
 * are never fetched. Each gets the one 401 `invalid_token` response, never a 500.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useProtectedApp } from './helpers/harness.js';
import { accessClaims, b64, makeKey, rawSignature, signWith } from './helpers/tokens.js';

describe('keys are chosen only by exact kid from the trusted set', () => {
  const app = useProtectedApp();
  const attacker = makeKey('RS256', 'attacker');
  let hits = 0;
  let server: Server;
  let url = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [{ ...attacker.jwk, kid: app.keys.rsa.kid }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const kids = ['../../../../etc/passwd', '..%2f..%2fkeys%2fprivate.pem', "' OR '1'='1' --", 'rs256-1; DROP TABLE keys;--', 'RS256-1', 'rs256-1 ', ' rs256-1', 'rs256-1\u0000', '*', ''];
  it.each(kids)('kid %j selects no key', async (kid) => {
    await app.expectRefused(signWith(app.keys.rsa, { alg: 'RS256', kid, typ: 'at+jwt' }, accessClaims()), 'unknown_key');
  });

  it.each([[42], [null], [{ $ne: null }], [['rs256-1']]])('a kid of the wrong type (%j) is malformed', async (kid) => {
    await app.expectRefused(signWith(app.keys.rsa, { alg: 'RS256', kid, typ: 'at+jwt' }, accessClaims()), 'malformed');
  });

  it.each(['jku', 'x5u'])('%s pointing at the attacker key set is ignored and never fetched', async (param) => {
    const token = signWith(attacker, { alg: 'RS256', kid: app.keys.rsa.kid, typ: 'at+jwt', [param]: url }, accessClaims());
    await app.expectRefused(token, 'invalid_signature');
    expect(hits).toBe(0);
  });

  it('an embedded jwk (the attacker public key) is ignored', async () => {
    const { kid: _kid, ...jwk } = attacker.jwk;
    await app.expectRefused(signWith(attacker, { alg: 'RS256', kid: app.keys.rsa.kid, typ: 'at+jwt', jwk }, accessClaims()), 'invalid_signature');
    await app.expectRefused(signWith(attacker, { alg: 'RS256', typ: 'at+jwt', jwk }, accessClaims()), 'invalid_signature');
  });

  it('an embedded x5c chain is ignored', async () => {
    const der = attacker.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    await app.expectRefused(signWith(attacker, { alg: 'RS256', kid: app.keys.rsa.kid, typ: 'at+jwt', x5c: [der] }, accessClaims()), 'invalid_signature');
  });

  it('a token without kid matches only when one trusted key has its algorithm', async () => {
    const input = `${b64({ alg: 'RS256', typ: 'at+jwt' })}.${b64(accessClaims())}`;
    await app.expectAccepted(`${input}.${rawSignature(app.keys.rsa, input).toString('base64url')}`);
    await app.expectRefused(`${input}.${rawSignature(attacker, input).toString('base64url')}`, 'invalid_signature');
  });
});
