// The real Gatehouse server for `npm run bench`, started through the library's `startServer`
// (the code path of `gatehouse start`), configured only by `GATEHOUSE_*` variables. Prints
// one JSON line `{ "ready": true, "url": ..., "adminKey": ... }` once listening (the admin
// key is the bootstrap key of the benchmark's throw-away database). Stops on SIGTERM,
// SIGINT, or when its parent closes stdin; exits normally so `--cpu-prof` can write.
import process from 'node:process';
import { loadConfig, startServer } from '../dist/index.js';

let adminKey = null;
let server;
try {
  server = await startServer({
    config: loadConfig(),
    onBootstrapKey: ({ key }) => {
      adminKey = key;
    },
  });
} catch (err) {
  process.stderr.write(`gatehouse bench server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ ready: true, url: server.url, adminKey })}\n`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
