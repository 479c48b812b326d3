import type { RedisCommandClient } from './redis-connection.js';

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
  let redis: typeof import('redis');
  try {
    redis = await import('redis');
  } catch {
    throw new Error('backend.store { type: "redis" } needs the "redis" package (node-redis): npm install redis');
  }
  const client = redis.createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
  // Errors are reported by the commands that fail; without a listener node-redis would crash the process.
  client.on('error', () => undefined);
  // The first connection may fail too: the service starts degraded and shares once Redis is there.
  client.connect().catch(() => undefined);
  return {
    sendCommand: (args) => client.sendCommand(args),
    close: async () => {
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
