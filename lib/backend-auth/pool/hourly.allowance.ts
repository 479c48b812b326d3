import { LRUCache } from 'lru-cache';

const HOUR = 60 * 60_000;

/** At most `perHour` takes per key in any hour (0: unbounded), for at most `maxKeys` keys (the least recent forgotten). */
export class HourlyAllowance {
  private readonly taken: LRUCache<string, number[]>;

  constructor(
    private readonly perHour: number,
    maxKeys: number,
  ) {
    this.taken = new LRUCache({ max: maxKeys, ttl: HOUR });
  }

  /** Takes one of `key`'s allowance if one is left. */
  mayTake(key: string): boolean {
    if (this.perHour <= 0) return true;
    const now = Date.now();
    const recent = (this.taken.get(key) ?? []).filter((at) => now - at < HOUR);
    if (recent.length >= this.perHour) return false;
    recent.push(now);
    this.taken.set(key, recent);
    return true;
  }
}
