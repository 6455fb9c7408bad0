// Shared by the benchmark's child servers (bare-server.js, gatehouse-server.js, jwt-server.js,
// oidc-provider-server.js): prints the ready line, and stops once on SIGTERM, SIGINT, or when the
// parent closes stdin (so a child never outlives the benchmark).
import process from 'node:process';

/**
 * Prints `{ "ready": true, ...fields }` as one JSON line, then calls `close` once on the first
 * stop signal and exits 0 when it resolves (1 when it rejects).
 *
 * @param {Record<string, unknown>} fields  at least `url`
 * @param {() => Promise<unknown>} close
 */
export function serveUntilStopped(fields, close) {
  process.stdout.write(`${JSON.stringify({ ready: true, ...fields })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
