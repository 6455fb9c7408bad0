/**
 * Serves a fetch-style handler (`(Request) => Response`, as Hono apps and the fetch wrapper
 * are) on node:http, for the Hono and fetch examples. On Deno, Bun or workers you would pass
 * the handler to the platform instead (`Deno.serve(handler)`); on Node, `@hono/node-server`
 * does the same as this small bridge.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type FetchHandler = (request: Request) => Response | Promise<Response>;

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const chunks: Buffer[] = [];
  if (req.method !== 'GET' && req.method !== 'HEAD') for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Request(new URL(req.url ?? '/', origin), { method: req.method ?? 'GET', headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
}

/** Listens on 127.0.0.1:`port` (0: ephemeral) and answers every request with `handler`. */
export function serveFetch(handler: FetchHandler, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    // The request URL's origin does not come from the client's Host header: a malformed one
    // would make `new URL` throw.
    toRequest(req, `http://127.0.0.1`)
      .then((request) => handler(request))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}` });
    });
  });
}
