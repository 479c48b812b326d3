import { LRUCache } from 'lru-cache';
import type { AttemptLedger, LedgerRule, LedgerScope, Reservation } from './attempt-ledger.js';

/** Keys remembered at most: an attacker must fail with 10 000 other usernames or addresses to flush one. */
const MAX_KEYS = 10_000;
/** When a refusal is due to attempts in flight alone, the caller may retry this soon. */
const IN_FLIGHT_RETRY_MS = 1_000;

interface LedgerEntry {
  readonly at: number;
  readonly id: string;
  readonly pending: boolean;
  readonly tag: string;
}

/** `AttemptLedger` in this process's memory: the memory store's, and the Redis store's while Redis is away. */
export class LocalAttemptLedger implements AttemptLedger {
  private readonly keys = new LRUCache<string, LedgerEntry[]>({ max: MAX_KEYS });
  private lastId = 0;

  reserve(key: string, rule: LedgerRule, scope?: LedgerScope, once?: string): Promise<Reservation> {
    return Promise.resolve(this.reserveNow(key, rule, scope, Date.now(), once));
  }

  settle(key: string, id: string, failed: boolean, rule: LedgerRule): Promise<number> {
    return Promise.resolve(this.settleNow(key, id, failed, rule, Date.now()));
  }

  reserveNow(key: string, rule: LedgerRule, scope: LedgerScope | undefined, now: number, once?: string): Reservation {
    const entries = this.live(key, rule, now);
    const counted = scope === undefined ? entries : entries.filter((entry) => entry.at < scope.since || entry.tag === scope.tag);
    const blockedForMs = blockedFor(entries, rule, now);
    if (once !== undefined && entries.some((entry) => entry.pending && entry.id === once)) return { admitted: true, id: once, blockedForMs };
    if (counted.length >= rule.max) return { admitted: false, retryAfterMs: retryAfter(counted, rule, now), blockedForMs };
    const id = once ?? `l${++this.lastId}`;
    this.keys.set(key, [...entries, { at: now, id, pending: true, tag: scope?.tag ?? '' }]);
    return { admitted: true, id, blockedForMs };
  }

  settleNow(key: string, id: string, failed: boolean, rule: LedgerRule, now: number): number {
    const entries = this.live(key, rule, now).flatMap((entry) => (entry.id !== id ? [entry] : failed ? [{ ...entry, at: now, pending: false }] : []));
    if (entries.length === 0) this.keys.delete(key);
    else this.keys.set(key, entries);
    return blockedFor(entries, rule, now);
  }

  private live(key: string, rule: LedgerRule, now: number): LedgerEntry[] {
    return (this.keys.get(key) ?? []).filter((entry) => entry.at > now - (entry.pending ? rule.holdMs : rule.windowMs));
  }
}

/** When the count of `counted` drops below the bound: failures leave with the window, attempts in flight soon. */
function retryAfter(counted: readonly LedgerEntry[], rule: LedgerRule, now: number): number {
  const leaves = counted.map((entry) => (entry.pending ? now + IN_FLIGHT_RETRY_MS : entry.at + rule.windowMs)).sort((a, b) => a - b);
  return Math.max(1, leaves[counted.length - rule.max] - now);
}

/** How long the failures alone keep the key at the bound. */
function blockedFor(entries: readonly LedgerEntry[], rule: LedgerRule, now: number): number {
  const failures = entries.filter((entry) => !entry.pending).map((entry) => entry.at).sort((a, b) => a - b);
  return failures.length < rule.max ? 0 : Math.max(1, failures[failures.length - rule.max] + rule.windowMs - now);
}
