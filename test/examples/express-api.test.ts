import type { AddressInfo } from 'node:net';
import { buildExampleApp, listen } from '../../examples/express-api.js';
import { describeExampleApi } from './example-suite.js';

describeExampleApi('Express', async (verifier) => {
  const server = await listen(buildExampleApp({ verifier }), 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
});
