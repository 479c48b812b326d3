/**
 * For every `LRUCache` with a `ttl`: read the clock at each check instead of caching it. lru-cache's
 * default (`ttlResolution: 1`) keeps "now" for 1 ms and starts a 1 ms timer to forget it, so under
 * steady traffic nearly every pooled call's lookup made a timer and woke the event loop a millisecond
 * later; `performance.now()` itself costs tens of nanoseconds. Expiry stays exact to the millisecond.
 */
export const CLOCK_READ_PER_CHECK = { ttlResolution: 0 } as const;
