// The baseline of `npm run bench`: a bare Fastify route returning a small JSON object.
// Prints one JSON line `{ "ready": true, "url": ... }` once listening; stops on SIGTERM,
// SIGINT, or when its parent closes stdin (so it never outlives the benchmark).
import process from 'node:process';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', () => ({ hello: 'world' }));

const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
