import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** A certificate and key in PEM, to serve https. */
export interface LoopbackTls {
  key: string;
  cert: string;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A started node:http server on an ephemeral loopback port, stoppable with its keep-alive sockets. */
export interface LoopbackServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Listens on `host:0`, over https when `tls` is given. `isDown()` makes the server destroy
 * connections as they arrive, which a client sees as an unreachable peer.
 */
export async function startLoopbackServer(
  host: string,
  listener: RequestListener,
  isDown: () => boolean,
  tls?: LoopbackTls,
): Promise<LoopbackServer> {
  // Track sockets ourselves: closeAllConnections() misses sockets still mid-handshake.
  const sockets = new Set<Socket>();
  const options = { requestTimeout: 60_000, headersTimeout: 30_000 };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (isDown()) {
      req.socket.destroy();
      return;
    }
    listener(req, res).catch(() => failQuietly(res));
  };
  const server: Server = tls ? createTlsServer({ ...options, ...tls }, handle) : createServer(options, handle);
  server.on('connection', (socket: Socket) => {
    if (isDown()) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Headers over node's 16 KiB: answer 431 as real servers do (Go's net/http, node's default), then hang up.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'HPE_HEADER_OVERFLOW' && socket.writable) {
      socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      }),
  };
}

/** A handler bug must not take the test process down: answer 500, or drop the connection if too late. */
function failQuietly(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end('Internal Server Error');
}
