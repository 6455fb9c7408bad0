import { connect } from 'node:net';

/** A response read off a raw socket. */
export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one HTTP/1.1 request with exactly the given header bytes over a plain TCP socket,
 * bypassing the header checks of fetch and node:http (which refuse non-Latin-1 values).
 */
export function rawRequest(url: string, method: string, path: string, headerLines: Buffer[], timeoutMs = 5000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('raw request timed out'));
    }, timeoutMs);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    socket.on('connect', () => {
      const crlf = Buffer.from('\r\n');
      const parts: Buffer[] = [Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n`, 'latin1')];
      for (const line of headerLines) parts.push(line, crlf);
      parts.push(crlf);
      socket.write(Buffer.concat(parts));
    });
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error('incomplete HTTP response');
  const head = raw.subarray(0, split).toString('latin1').split('\r\n');
  const statusLine = head.shift() ?? '';
  const m = /^HTTP\/1\.1 (\d{3})/.exec(statusLine);
  if (!m) throw new Error(`bad status line: ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of head) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.subarray(split + 4);
  const length = headers['content-length'];
  if (length !== undefined) body = body.subarray(0, Number(length));
  return { status: Number(m[1]), headers, body: body.toString('utf8') };
}
