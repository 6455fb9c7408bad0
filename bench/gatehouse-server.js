// The real Gatehouse server for `npm run bench`, started through the library's `startServer`
// (the code path of `gatehouse start`), configured only by `GATEHOUSE_*` variables. Prints
// one JSON line `{ "ready": true, "url": ..., "adminKey": ... }` once listening (the admin
// key is the bootstrap key of the benchmark's throw-away database). Stops on SIGTERM,
// SIGINT, or when its parent closes stdin; exits normally so `--cpu-prof` can write.
import process from 'node:process';
import { serveUntilStopped } from './child.js';
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
serveUntilStopped({ url: server.url, adminKey }, () => server.close());
