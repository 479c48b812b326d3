// A free loopback port for a child that must be told its port up front (the sample reads PORT,
// and the cold-start probe has to know where to knock before the process has said anything).
import { createServer } from 'node:net';

export function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
