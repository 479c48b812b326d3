import { Logger } from '@nestjs/common';
import { isLoopbackUrl } from '../../http-request/loopback-host.js';
import { logEvent } from '../../logging/index.js';
import { loadOptionalPeer } from '../../options/optional-peer.loader.js';
import { BACKEND_AUTH_LOGGER_CONTEXT } from '../backend-auth.constants.js';
import type { RedisCommandClient } from './redis-connection.js';

const CLEAR_TEXT_REDIS = "backend.store.url connects to Redis over plain redis://: its password and the shared login state travel in clear; use rediss://";

/** A node-redis client the library made from a URL, and closes at shutdown. */
export interface OwnedRedisClient extends RedisCommandClient {
  close(): Promise<void>;
}

/**
 * Connects to `url` with node-redis (an optional peer, imported only when the Redis store is used).
 * Commands fail at once while disconnected (no offline queue: a request must not wait for Redis),
 * and the client reconnects in the background, every 100 ms growing to 2 s.
 */
export async function createRedisClient(url: string, connectTimeoutMs: number): Promise<OwnedRedisClient> {
  const clearText = clearTextRedisHost(url);
  if (clearText !== undefined) {
    logEvent(new Logger(BACKEND_AUTH_LOGGER_CONTEXT), 'warn', 'store.clear_text', CLEAR_TEXT_REDIS, { redis: clearText });
  }
  // Only a missing package becomes the advice to install it: an error node-redis throws as it loads is its own.
  const redis = await loadOptionalPeer(() => import('redis'), 'redis', 'backend.store { type: "redis" }');
  const client = redis.createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
  // Errors are reported by the commands that fail; without a listener node-redis would crash the process.
  client.on('error', () => undefined);
  // The first connection may fail too: the service starts degraded and shares once Redis is there.
  client.connect().catch(() => undefined);
  const closable = client as unknown as ClosableNodeRedisClient;
  return {
    sendCommand: (args) => client.sendCommand(args),
    close: () => closeNodeRedisClient(closable),
  };
}

/**
 * The part of a node-redis client that ends it, in every major the `redis` peer range covers:
 * v5 and v6 have `close()` (waits for pending commands) and `destroy()`; v4 has neither, only
 * `quit()` (which queues QUIT, so it would wait for a reconnection) and `disconnect()` (at once).
 */
interface ClosableNodeRedisClient {
  readonly isOpen: boolean;
  close?(): Promise<void>;
  destroy?(): void;
  disconnect(): Promise<void>;
}

/** Ends the client without waiting for Redis: the store's commands are bounded and have fallbacks. */
async function closeNodeRedisClient(client: ClosableNodeRedisClient): Promise<void> {
  if (typeof client.close === 'function' && typeof client.destroy === 'function') {
    if (client.isOpen) await client.close();
    else client.destroy();
    return;
  }
  // node-redis 4: disconnect() throws once closed; while it reconnects it is still open, and stops.
  if (client.isOpen) await client.disconnect();
}

/**
 * The host and port of a `redis://` URL to a host that is not loopback, which deserves a warning: Redis's
 * password and the store's traffic (sealed sessions, keyed hashes of identities) cross the network in
 * clear. Never the URL's user or password.
 */
export function clearTextRedisHost(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const { protocol, host } = new URL(url);
  // redis: is no special scheme to the URL parser: its host is read again as http's (127.1 is 127.0.0.1).
  const asHttp = `http://${host}`;
  if (protocol !== 'redis:' || host === '' || (URL.canParse(asHttp) && isLoopbackUrl(new URL(asHttp)))) return undefined;
  return host;
}
