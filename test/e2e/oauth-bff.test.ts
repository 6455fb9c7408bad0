import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBffApp, type Bff } from '../../examples/oauth-bff.js';
import { buildResourceApi, createGatehouseTokenVerifier } from '../../examples/oauth-resource-api.js';
import { createMemoryAuditLog } from '../../src/audit/audit-log.js';
import { createMemoryTokenStore } from '../../src/client/index.js';
import { systemClock } from '../../src/core/clock.js';
import { loadConfig } from '../../src/core/config/load.js';
import type { AuthEvent } from '../../src/core/events.js';
import { createGatehouse, type Gatehouse } from '../../src/gatehouse.js';
import { buildServer } from '../../src/http/server.js';
import { basic } from '../helpers/oauth.js';
import { PASSWORD } from '../helpers/sessions.js';

/**
 * The backend-for-frontend example (`examples/oauth-bff.ts`) in a real browser (headless
 * Chromium from Debian's `chromium`, driven by playwright-core), against a real Gatehouse server
 * and the example's protected API (`examples/oauth-resource-api.ts`), all on 127.0.0.1:
 * sign in through Gatehouse's login and consent pages, back at the BFF's callback, the orders
 * page (the BFF calls the API with `fetchWithAuth`, the API verifies the JWT with Gatehouse's
 * JWKS), and sign-out, which revokes the refresh token. No token ever reaches the browser.
 *
 * Gatehouse runs with the wall clock (the helper and the API check `exp` and `iat` with it)
 * and with `server.publicUrl` equal to the URL it listens on, as in a real deployment, so the
 * helper discovers it by its issuer unchanged.
 */
const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM);
if (skip) console.warn(`skipping the BFF browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** A free port on 127.0.0.1 (the issuer must name the port before the server starts). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe.skipIf(skip)('BFF example in Chromium against Gatehouse', () => {
  let dir: string;
  let gatehouse: Gatehouse;
  let gatehouseApp: FastifyInstance;
  let gatehouseUrl: string;
  let events: AuthEvent[];
  let api: FastifyInstance;
  let bff: Bff;
  let bffUrl: string;
  let client: { client_id: string; client_secret: string };
  let aliceId: string;
  const store = createMemoryTokenStore();
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-bff-'));
    const port = await freePort();
    // Gatehouse on `localhost`, the BFF on 127.0.0.1: cookies are per host, not per port, so each
    // gets its own cookie jar in the browser, as two sites would (the BFF's redirect URI stays the
    // RFC 8252 §8.3 loopback literal that Gatehouse requires).
    gatehouseUrl = `http://localhost:${port}`;
    const audit = createMemoryAuditLog({ clock: systemClock });
    events = audit.events;
    gatehouse = await createGatehouse({
      config: loadConfig({ env: {}, cwd: dir, overrides: { dataDir: dir, database: { url: 'sqlite::memory:' }, server: { port, publicUrl: gatehouseUrl } } }),
      audit,
    });
    gatehouseApp = await buildServer({ gatehouse });
    await gatehouseApp.listen({ host: '127.0.0.1', port });

    aliceId = (await gatehouse.accounts.create({ email: 'alice@example.com', password: PASSWORD, name: 'Alice' })).id;
    await gatehouse.accounts.create({ email: 'bob@example.com', password: PASSWORD, name: 'Bob' });
    const admin = await gatehouse.apiKeys.create({ name: 'admin', scopes: ['admin'] });

    api = buildResourceApi({ verifier: createGatehouseTokenVerifier({ gatehouseUrl }) });
    const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });

    // The BFF's port is needed for its redirect URI before the client is registered.
    const bffPort = await freePort();
    bffUrl = `http://127.0.0.1:${bffPort}`;
    const registered = await fetch(`${gatehouseUrl}/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Orders app', redirect_uris: [`${bffUrl}/callback`], grant_types: ['authorization_code', 'refresh_token'], scope: 'orders:read' }),
    });
    expect(registered.status).toBe(201);
    client = (await registered.json()) as typeof client;

    bff = await buildBffApp({ gatehouseUrl, clientId: client.client_id, clientSecret: client.client_secret, baseUrl: bffUrl, apiUrl, store });
    await bff.app.listen({ host: '127.0.0.1', port: bffPort });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await bff?.app.close();
    await api?.close();
    await gatehouseApp?.close();
    await gatehouse?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A token endpoint call as the BFF's client (client_secret_basic). */
  const tokenRequest = async (params: Record<string, string>) => {
    const res = await fetch(`${gatehouseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(client.client_id, client.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /** RFC 7662 introspection as the BFF's client. */
  const introspect = async (token: string) => {
    const res = await fetch(`${gatehouseUrl}/oauth2/introspect`, {
      method: 'POST',
      headers: { authorization: basic(client.client_id, client.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { active: boolean; [claim: string]: unknown };
  };

  it('signs in through login and consent, calls the API through fetchWithAuth, and signs out with revocation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(bffUrl);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed out');

    // Sign in → Gatehouse's /login (the authorize request waits behind it).
    await page.getByRole('link', { name: 'Sign in with Gatehouse' }).click();
    await page.waitForURL((url) => url.origin === gatehouseUrl && url.pathname === '/login');
    await page.getByLabel('E-mail address').fill('alice@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The consent page names the client and the scope.
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(new URL(page.url()).origin).toBe(gatehouseUrl);
    const consent = await page.locator('body').textContent();
    expect(consent).toContain('Orders app');
    expect(consent).toContain('orders:read');
    await page.getByRole('button', { name: 'Allow' }).click();

    // Back through the BFF's callback, signed in on the BFF.
    await page.waitForURL(`${bffUrl}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed in');
    expect(store.size).toBe(1);

    // The orders page: the BFF called the API with the access token, the API verified it.
    await page.getByRole('link', { name: 'My orders' }).click();
    await page.waitForURL(`${bffUrl}/orders`);
    const answer = JSON.parse((await page.locator('#api-answer').textContent())!) as Record<string, unknown>;
    expect(answer).toMatchObject({ sub: aliceId, client_id: client.client_id, scopes: ['orders:read'], items: expect.any(Array) });

    // No token in the browser: the BFF's cookies are its session id only (HttpOnly, Lax),
    // and no token in the page or in web storage.
    const scriptCookies = await page.evaluate<string>('document.cookie');
    expect(scriptCookies).toBe(''); // HttpOnly: invisible to scripts
    const cookies = await context.cookies(bffUrl);
    expect(cookies.map((c) => c.name)).toEqual(['bff_session']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const tokens = (await store.get(cookies[0]!.value))!;
    expect(tokens.accessToken).toBeTypeOf('string');
    expect(tokens.refreshToken).toBeTypeOf('string');
    const html = await page.content();
    const storage = await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })');
    for (const secret of [tokens.accessToken, tokens.refreshToken!, client.client_secret]) {
      expect(html).not.toContain(secret);
      expect(storage).not.toContain(secret);
      for (const c of cookies) expect(c.value).not.toContain(secret);
    }
    expect(html).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT at all
    expect(await introspect(tokens.accessToken)).toMatchObject({ active: true, sub: aliceId, scope: 'orders:read' });

    // Sign out: the BFF forgets the tokens, revokes the refresh token, clears its cookie.
    await page.goto(`${bffUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${bffUrl}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed out');
    expect(await context.cookies(bffUrl)).toEqual([]);
    expect(store.size).toBe(0);
    // The refresh token was revoked at Gatehouse (RFC 7009): an auth event, and the grant refuses it.
    expect(events.some((e) => e.type === 'token.revoke' && e.outcome === 'success')).toBe(true);
    expect(await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // Signed out, the orders page sends the browser to sign in again.
    const orders = await page.request.get(`${bffUrl}/orders`, { maxRedirects: 0 });
    expect(orders.status()).toBe(303);
    expect(orders.headers().location).toBe('/login');
    await context.close();
  });

  it('comes back signed out with "Sign-in cancelled" when the user denies consent', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${bffUrl}/login`);
    await page.waitForURL((url) => url.origin === gatehouseUrl && url.pathname === '/login');
    await page.getByLabel('E-mail address').fill('bob@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${bffUrl}/?login=cancelled`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed out');
    expect(await page.getByRole('status').textContent()).toBe('Sign-in cancelled.');
    expect(await context.cookies(bffUrl)).toEqual([]);
    await context.close();
  });
});
