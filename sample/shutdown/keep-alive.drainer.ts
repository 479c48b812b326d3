import type { Server, ServerResponse } from 'node:http';

/**
 * Makes a graceful shutdown end with the last in-flight request. `server.close()` closes the
 * connections that are idle at that moment, but a connection whose response finishes later
 * stays open until the keep-alive time-out (Fastify's is 72 s), delaying the exit past the
 * grace period. Once the server no longer listens, each finished response closes the idle
 * connections. Plain node `http.Server` API: works under Express and Fastify alike.
 */
export function drainKeepAliveOnClose(server: Server): void {
  server.on('request', (_req, res: ServerResponse) => {
    res.once('finish', () => {
      // setImmediate: the connection counts as idle only after the response's bookkeeping ran.
      if (!server.listening) setImmediate(() => server.closeIdleConnections());
    });
  });
}
