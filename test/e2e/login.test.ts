import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createUser, PASSWORD } from '../helpers/sessions.js';

/**
 * The sign-in page in a real browser (headless Chromium from Debian's `chromium` package,
 * driven by playwright-core): a person signs in through /login, lands signed in, and signs
 * out. The server runs as the quick start does (plain HTTP on 127.0.0.1, `sessions.cookie.secure:
 * auto`), so this also proves the development cookie works in a browser.
 */
const CHROMIUM = '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM);
if (skip) console.warn(`skipping the browser test: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(skip)('login page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    await createUser(server, 'alice@example.com', { name: 'Alice' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in through /login, lands signed in, and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    expect(await page.title()).toBe('Sign in · Gatehouse');

    // A wrong password first: the page comes back with the error announced.
    await page.getByLabel('E-mail address').fill('alice@example.com');
    await page.getByLabel('Password').fill('not the password 1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('invalid e-mail or password');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe('alice@example.com');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/login`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed in');
    expect(await page.locator('main').textContent()).toContain('You are signed in as Alice');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'gatehouse_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${server.url}/login`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    expect((await context.cookies()).some((c) => c.name === 'gatehouse_session')).toBe(false);
    expect(server.events.filter((e) => e.type === 'auth.login').map((e) => e.outcome)).toEqual(['failure', 'success']);
    expect(server.events.some((e) => e.type === 'auth.logout')).toBe(true);
    await context.close();
  });
});
