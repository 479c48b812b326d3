// Loaded into each replica (`node --expose-gc --import <this file> dist/sample/main.js`): answers the
// soak's IPC `heap` question with the heap left after a full collection, the live heap, which grows
// only with what the service keeps. Without the collection, `heapUsed` climbs with garbage until V8
// collects it, a saw whose teeth hide a slow leak and fake a short one. The service itself is unchanged.
import { getHeapSpaceStatistics } from 'node:v8';

process.on('message', (message) => {
  if (message?.type !== 'heap') return;
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]));
  process.send?.({ type: `heap:${message.id}`, heapUsed, rss, spaces });
});
