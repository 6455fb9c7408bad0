// The baseline of `npm run bench`: a bare Fastify route returning a small JSON object.
// Prints one JSON line `{ "ready": true, "url": ... }` once listening; stops on SIGTERM,
// SIGINT, or when its parent closes stdin (so it never outlives the benchmark).
import { serveUntilStopped } from './child.js';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', () => ({ hello: 'world' }));

const url = await app.listen({ host: '127.0.0.1', port: 0 });
serveUntilStopped({ url }, () => app.close());
