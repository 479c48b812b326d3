/** Addresses kept at most: past it the soonest to end are dropped first. */
const MAX_ADDRESSES = 10_000;

/**
 * Client addresses whose failures alone hold them at their bound, until when. The request path asks it
 * on every call with credentials, pooled sessions included, so it is a map read, and nothing at all (`any`)
 * while no address is blocked.
 */
export class BlockedAddresses {
  private readonly until = new Map<string, number>();

  /** Whether any address may be blocked: the request path looks no further while none is. */
  get any(): boolean {
    return this.until.size > 0;
  }

  remainingMs(addressKey: string): number {
    const until = this.until.get(addressKey);
    if (until === undefined) return 0;
    const remaining = until - Date.now();
    if (remaining <= 0) this.until.delete(addressKey);
    return Math.max(0, remaining);
  }

  /** What a ledger said of the address: blocked for `blockedForMs` (0: not, or no longer). */
  note(addressKey: string, blockedForMs: number): void {
    if (blockedForMs <= 0) {
      this.until.delete(addressKey);
      return;
    }
    if (this.until.size >= MAX_ADDRESSES && !this.until.has(addressKey)) this.dropEnded();
    // Full of live blocks: the newest is not kept here (the ledger still refuses that address's logins).
    if (this.until.size >= MAX_ADDRESSES && !this.until.has(addressKey)) return;
    this.until.set(addressKey, Date.now() + blockedForMs);
  }

  /** The replicas' shared list (address key, until): blocks learnt elsewhere hold here too, for `atMostMs` at most. */
  merge(shared: ReadonlyArray<readonly [string, number]>, atMostMs: number): void {
    const now = Date.now();
    for (const [addressKey, until] of shared) if (until > now) this.note(addressKey, Math.min(until - now, atMostMs));
  }

  /** One pass over the map, only when it is full: no scan per entry, however many a shared list brings. */
  private dropEnded(): void {
    const now = Date.now();
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
  }
}
