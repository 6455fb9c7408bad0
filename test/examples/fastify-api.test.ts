import { buildExampleApp } from '../../examples/fastify-api.js';
import { describeExampleApi } from './example-suite.js';

describeExampleApi('Fastify', async (verifier) => {
  const app = buildExampleApp({ verifier });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
});
