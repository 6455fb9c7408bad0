import type { User } from '../../src/accounts/types.js';
import { call, type CallOptions, type TestResponse, type TestServer } from './server.js';

/** The password every test user gets (passes the default policy: 12+ characters, not common). */
export const PASSWORD = 'correct horse battery staple 42';

/** Creates an active user with {@link PASSWORD}. */
export async function createUser(server: TestServer, email = 'alice@example.com', overrides: { status?: 'active' | 'disabled' | 'locked'; name?: string } = {}): Promise<User> {
  return server.gatehouse.accounts.create({ email, password: PASSWORD, name: overrides.name ?? 'Alice', ...(overrides.status ? { status: overrides.status } : {}) });
}

/** Every `Set-Cookie` line of a response. */
export function setCookies(res: TestResponse): string[] {
  return res.headers.getSetCookie();
}

/** The value a response sets for cookie `name` (undefined when it does not set it). */
export function cookieValue(res: TestResponse, name: string): string | undefined {
  for (const line of setCookies(res)) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    if (pair!.slice(0, eq) === name) return pair!.slice(eq + 1);
  }
  return undefined;
}

/** The session cookie's name on the test server. */
export function sessionCookieName(server: TestServer): string {
  return server.gatehouse.sessionCookie.name;
}

/** A signed-in browser, as far as the tests need one: its session cookie and CSRF token. */
export interface SignedIn {
  cookie: string;
  /** `Cookie` header value carrying the session. */
  header: string;
  csrf: string;
  res: TestResponse;
}

/** Signs in with JSON and returns the session cookie and CSRF token; throws unless 200. */
export async function signIn(server: TestServer, email = 'alice@example.com', password = PASSWORD, headers: Record<string, string> = {}): Promise<SignedIn> {
  const res = await call(server, '/auth/login', { body: { email, password }, headers });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.text}`);
  const name = sessionCookieName(server);
  const cookie = cookieValue(res, name);
  if (!cookie) throw new Error('login set no session cookie');
  return { cookie, header: `${name}=${cookie}`, csrf: res.json.csrf_token, res };
}

/** A request carrying a session cookie (and, for unsafe methods, the CSRF header unless `csrf: false`). */
export function withSession(server: TestServer, session: Pick<SignedIn, 'header' | 'csrf'>, path: string, options: CallOptions & { csrf?: boolean } = {}): Promise<TestResponse> {
  const { csrf, ...rest } = options;
  const method = rest.method ?? (rest.body === undefined && rest.rawBody === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { cookie: session.header, ...rest.headers };
  if (csrf !== false && method !== 'GET') headers['x-csrf-token'] ??= session.csrf;
  return call(server, path, { ...rest, method, headers });
}

/** `http://127.0.0.1:<port>`: the origin the test server's pages are served from. */
export function originOf(server: TestServer): string {
  return server.url;
}

/** Posts an HTML form (`application/x-www-form-urlencoded`) without following redirects. */
export async function postForm(server: TestServer, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<TestResponse> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Loads `/login` and returns what its form needs: the login CSRF cookie (as a `Cookie` header) and the `_csrf` field. */
export async function loginForm(server: TestServer, cookieHeader?: string): Promise<{ cookie: string; csrf: string; page: TestResponse }> {
  const page = await call(server, '/login', cookieHeader ? { headers: { cookie: cookieHeader } } : {});
  const set = setCookies(page).find((l) => l.includes('gatehouse_login_csrf='));
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error('the login page has no _csrf field');
  return { cookie: set ? set.split(';')[0]! : (cookieHeader ?? ''), csrf, page };
}
