import { call, type TestResponse, type TestServer } from './server.js';

/** POSTs a form body shaped as in RFC 6749's examples (`application/x-www-form-urlencoded`). */
export function postForm(server: { url: string }, path: string, params: Record<string, string | string[]> | URLSearchParams, headers: Record<string, string> = {}): Promise<TestResponse> {
  const body = params instanceof URLSearchParams ? params : new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]])));
  return call(server, path, { method: 'POST', rawBody: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

/** RFC 6749 §2.3.1 Basic credentials: form-urlencoded id and secret, joined, base64. */
export function basic(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64')}`;
}

/** Registers a client through the admin API; returns the 201 body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped response body under test
export async function registerClient(server: TestServer, metadata: Record<string, unknown>): Promise<any> {
  const res = await call(server, '/v1/clients', { key: server.adminKey, body: metadata });
  if (res.status !== 201) throw new Error(`client registration failed: ${res.status} ${res.text}`);
  return res.json;
}
