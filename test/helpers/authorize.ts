import { createHash, randomBytes } from 'node:crypto';
import type { TestResponse } from './server.js';
import type { SignedIn } from './sessions.js';

/** An RFC 7636 pair: a 43-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A GET that does not follow redirects. */
export async function getManual(server: { url: string }, path: string, cookie?: string): Promise<TestResponse> {
  const res = await fetch(server.url + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: undefined };
}

/** `/oauth2/authorize?…` with the given parameters (undefined values left out). */
export function authorizePath(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.append(k, v);
  return `/oauth2/authorize?${q.toString()}`;
}

/** The parameters of a redirect's `Location`, and the URL without them. */
export function redirectParams(res: TestResponse): { base: string; params: URLSearchParams } {
  const location = res.headers.get('location');
  if (!location) throw new Error(`no Location (status ${res.status})`);
  const url = new URL(location);
  const params = new URLSearchParams(url.search);
  url.search = '';
  return { base: url.href, params };
}

/** The hidden fields of the consent page's form. */
export function consentFields(page: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#96;/g, '`').replace(/&amp;/g, '&');
  }
  return out;
}

/** Posts the consent form (without following the redirect). */
export async function postConsent(server: { url: string }, session: Pick<SignedIn, 'header'>, fields: Record<string, string>, decision: string): Promise<TestResponse> {
  const res = await fetch(`${server.url}/oauth2/authorize/consent`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.header },
    body: new URLSearchParams({ ...fields, decision }).toString(),
  });
  return { status: res.status, headers: res.headers, text: await res.text(), json: undefined };
}

/**
 * Runs the browser part of the flow for a signed-in user: authorize, consent (allow) when
 * asked, and returns the code from the redirect with the redirect's parameters.
 */
export async function obtainCode(server: { url: string }, session: SignedIn, params: Record<string, string | undefined>): Promise<{ code: string; params: URLSearchParams }> {
  let res = await getManual(server, authorizePath(params), session.header);
  if (res.status === 200) res = await postConsent(server, session, consentFields(res.text), 'allow');
  if (res.status !== 303) throw new Error(`authorize answered ${res.status}: ${res.text.slice(0, 300)}`);
  const { params: p } = redirectParams(res);
  const code = p.get('code');
  if (!code) throw new Error(`no code in the redirect: ${p.toString()}`);
  return { code, params: p };
}
