/**
 * Invariant: no token input makes the middleware fail: tokens over `maxTokenBytes` (checked
 * before any parsing), tokens that are not three segments of canonical base64url, headers or
 * payloads that are not UTF-8 JSON objects, and JSON with duplicate member names (which
 * `JSON.parse` would silently collapse to the last one) all get the one 401 `invalid_token`
 * response, never a 500; a malformed `Authorization` header gets 400 `invalid_request`.
 */
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.js';
import { useProtectedApp } from './helpers/harness.js';
import { accessClaims, accessToken, rawSignature, signWith } from './helpers/tokens.js';

describe('malformed and oversized tokens get 401, never 500', () => {
  const app = useProtectedApp({ maxTokenBytes: 4096 });
  const good = () => accessToken(app.keys.ed);
  const header = () => ({ alg: 'EdDSA', kid: app.keys.ed.kid, typ: 'at+jwt' });
  /** Signs raw header and payload text correctly, so only the malformation is wrong. */
  const signedRaw = (headerText: string, payloadText: string | Buffer) => {
    const input = `${Buffer.from(headerText).toString('base64url')}.${Buffer.from(payloadText).toString('base64url')}`;
    return `${input}.${rawSignature(app.keys.ed, input).toString('base64url')}`;
  };

  it('a token over maxTokenBytes is refused before parsing', async () => {
    await app.expectRefused(accessToken(app.keys.ed, { pad: 'x'.repeat(4096) }), 'token_too_large');
    await app.expectRefused('a'.repeat(5000), 'token_too_large');
  });

  it.each([
    ['two segments', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['four segments', (t: string) => `${t}.${t.split('.')[2]}`],
    ['one segment', (t: string) => t.split('.')[0]!],
    ['empty header', (t: string) => `.${t.split('.').slice(1).join('.')}`],
    ['empty signature', (t: string) => t.slice(0, t.lastIndexOf('.') + 1)],
    ['padding on the signature', (t: string) => `${t}==`],
    ['padding on the payload', (t: string) => t.replace(/\.([^.]+)\./, '.$1=.')],
    ['base64 "+" and "/" for "-" and "_"', (t: string) => t.replace(/-/g, '+').replace(/_/g, '/') + (/[-_]/.test(t) ? '' : '+')],
    ['a "!" inside the signature', (t: string) => `${t.slice(0, -10)}!${t.slice(-10)}`],
    ['a "~" inside the payload', (t: string) => t.replace('.', '.~')],
    ['non-ASCII character (é)', (t: string) => `${t.slice(0, -3)}é${t.slice(-2)}`],
    ['non-canonical trailing bits in the signature', (t: string) => {
      // Ed25519 signatures are 64 bytes: 86 characters, the last one carrying 2 spare bits.
      const last = t.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return t.slice(0, -1) + alphabet[alphabet.indexOf(last) | 1];
    }],
    ['only dots', () => '..'],
    ['many dots', () => '.'.repeat(300)],
  ])('%s', async (_name, mutate) => {
    await app.expectRefused(mutate(good()));
  });

  it.each([
    ['header is not JSON', () => signedRaw('{alg:EdDSA}', JSON.stringify(accessClaims())), 'malformed'],
    ['payload is not JSON', () => signedRaw(JSON.stringify(header()), '{"sub":'), 'malformed'],
    ['payload is an array', () => signedRaw(JSON.stringify(header()), '[1,2]'), 'malformed'],
    ['payload is null', () => signedRaw(JSON.stringify(header()), 'null'), 'malformed'],
    ['payload is a string', () => signedRaw(JSON.stringify(header()), '"claims"'), 'malformed'],
    ['payload has a BOM', () => signedRaw(JSON.stringify(header()), `\ufeff${JSON.stringify(accessClaims())}`), 'malformed'],
    ['payload is not UTF-8', () => signedRaw(JSON.stringify(header()), Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])), 'malformed'],
    ['payload is empty', () => signedRaw(JSON.stringify(header()), ''), 'malformed'],
  ])('%s is refused', async (_name, make, code) => {
    await app.expectRefused(make(), code);
  });

  it.each([
    ['alg twice (none, then EdDSA)', () => `{"alg":"none","alg":"EdDSA","kid":"${app.keys.ed.kid}","typ":"at+jwt"}`],
    ['kid twice', () => `{"alg":"EdDSA","kid":"other","kid":"${app.keys.ed.kid}","typ":"at+jwt"}`],
    ['typ twice', () => `{"alg":"EdDSA","kid":"${app.keys.ed.kid}","typ":"JWT","typ":"at+jwt"}`],
    ['a member repeated with whitespace and an escape', () => `{"alg":"EdDSA","kid":"${app.keys.ed.kid}","typ":"at+jwt", "t\\u0079p" : "at+jwt"}`],
  ])('duplicate header member: %s', async (_name, make) => {
    await app.expectRefused(signedRaw(make(), JSON.stringify(accessClaims())), 'malformed');
  });

  it.each([
    ['sub twice', (c: string) => c.replace('{', '{"sub":"usr_admin",')],
    ['exp twice', (c: string) => c.replace('{', '{"exp":1,')],
    ['aud twice', (c: string) => c.replace('{', '{"aud":"billing-api",')],
    ['duplicate inside a nested object', (c: string) => c.replace('{', '{"cnf":{"jkt":"a","jkt":"b"},')],
    ['duplicate inside an object in an array', (c: string) => c.replace('{', '{"act":[{"sub":"a","sub":"b"}],')],
  ])('duplicate claim: %s', async (_name, mutate) => {
    await app.expectRefused(signedRaw(JSON.stringify(header()), mutate(JSON.stringify(accessClaims()))), 'malformed');
  });

  it('the same member name in different objects is not a duplicate (control)', async () => {
    const claims = JSON.stringify(accessClaims()).replace('{', '{"a":{"sub":"x"},"b":{"sub":"y"},"c":"\\"sub\\":1",');
    await app.expectAccepted(signedRaw(JSON.stringify(header()), claims));
  });

  it('deeply nested JSON is refused or accepted, never a crash', async () => {
    const deep = `{"iss":"x","n":${'['.repeat(1500)}${']'.repeat(1500)}}`;
    const token = signWith(app.keys.ed, header(), deep);
    for (const { answer } of await app.askAll(token)) expect(answer.status).toBe(401);
  });

  describe('a malformed Authorization header is 400 invalid_request', () => {
    it.each([['Bearer'], ['Bearer '], ['bearer    '], ['Bearer a b'], ['Bearer a,b'], ['Bearer\ttok\tmore']])('%j', async (value) => {
      for (const target of app.targets) {
        const answer = await target.request('/me', { authorization: value });
        expect(answer.status, target.name).toBe(400);
        expect(answer.headers['www-authenticate']).toBe('Bearer realm="gatehouse", error="invalid_request"');
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'auth.invalid_request' });
      }
    });

    it('two Authorization headers are refused (Node keeps both; fetch and Hono see them joined by a comma)', async () => {
      const token = good();
      for (const target of app.targets.filter((t) => t.name === 'hono' || t.name === 'fetch')) {
        expect((await target.request('/me', { authorization: `Bearer ${token}, Bearer ${token}` })).status, target.name).toBe(400);
      }
      const express = app.targets.find((t) => t.name === 'express')!;
      const answer = await rawRequest(express.url!, 'GET', '/me', [Buffer.from(`Authorization: Bearer ${token}`), Buffer.from(`Authorization: Bearer ${token}`)]);
      expect(answer.status).toBe(400);
    });
  });

  it('another scheme (Basic) gets the bare challenge', async () => {
    for (const target of app.targets) {
      const answer = await target.request('/me', { authorization: 'Basic dXNlcjpwYXNz' });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
    }
  });
});
