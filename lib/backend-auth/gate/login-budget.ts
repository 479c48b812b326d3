import { BackendError } from '../../errors/backend-error.js';
import { withLoginOutcome } from '../../observability/index.js';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The queue of requests without an address (`session.as()`, the service's own work). */
const NO_ADDRESS = '';

interface Waiter {
  admit(): void;
}

/**
 * The GitHub logins of this process, whoever asks: at most `maxConcurrent` in flight, `perMinute`
 * started in any minute and `perHour` in any hour. A login over budget waits its turn until the signal of the request that started
 * it aborts, then fails with 503 and `Retry-After`. Callers with a live session never come here.
 *
 * Turns are fair between client addresses: each address queues apart, and waiting addresses are served
 * in turn, those with fewer than `perAddressConcurrent` logins in flight first. So one address cannot
 * fill the queue ahead of others, while an address alone (a chat bot logging many users in) still gets
 * the whole budget.
 */
export class LoginBudget {
  private inFlight = 0;
  private readonly inFlightBy = new Map<string, number>();
  /** Start times within the last minute, oldest first (at most `perMinute` of them). */
  private readonly recentStarts: number[] = [];
  /** Start times within the last hour, oldest first (at most `perHour` of them). */
  private readonly hourStarts: number[] = [];
  /** Waiting logins per address, addresses in the order they are served (the last served goes to the back). */
  private readonly queues = new Map<string, Waiter[]>();
  private windowTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly limits: ResolvedBackendSessionOptions['loginBudget']) {}

  /** Resolves with the release function once a login may start; rejects with a 503 when `signal` aborts first. */
  admit(signal: AbortSignal, address = NO_ADDRESS): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser(address));
        },
      };
      const onAbort = (): void => {
        this.dequeue(address, waiter);
        reject(this.overBudgetError());
      };
      if (signal.aborted) return onAbort();
      const queue = this.queues.get(address);
      if (queue === undefined) this.queues.set(address, [waiter]);
      else queue.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
      this.admitWaiting();
    });
  }

  /** Logins waiting for a turn. */
  get waiting(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }

  /** 503 with `Retry-After`: when a start of the full window frees, or in a second for the concurrency bound. */
  overBudgetError(): BackendError {
    const now = Date.now();
    this.forgetOldStarts(now);
    const freesAt = this.windowFreesAt();
    const retryAfter = freesAt === undefined ? 1 : Math.max(1, Math.ceil((freesAt - now) / 1000));
    const which = this.hourStarts.length >= this.limits.perHour ? 'the last hour (a budget shared with the proxy\'s OAuth app)' : 'the last minute';
    const error = new BackendError(
      'Service Unavailable',
      503,
      `Too many GitHub logins in progress or in ${which}; retry in ${retryAfter} s.`,
      { 'Retry-After': String(retryAfter) },
    );
    return withLoginOutcome(error, 'budget_exhausted');
  }

  /** When the full window (minute or hour) next lets a login start; undefined when neither is full. */
  private windowFreesAt(): number | undefined {
    const minute = this.recentStarts.length >= this.limits.perMinute ? this.recentStarts[0] + MINUTE : undefined;
    const hour = this.hourStarts.length >= this.limits.perHour ? this.hourStarts[0] + HOUR : undefined;
    return minute === undefined ? hour : hour === undefined ? minute : Math.max(minute, hour);
  }

  private admitWaiting(): void {
    const now = Date.now();
    this.forgetOldStarts(now);
    while (this.queues.size > 0 && this.inFlight < this.limits.maxConcurrent && this.windowFreesAt() === undefined) {
      const address = this.nextAddress();
      const queue = this.queues.get(address)!;
      const waiter = queue.shift()!;
      // Served: to the back of the turn order (or out of it, with nothing left to wait for).
      this.queues.delete(address);
      if (queue.length > 0) this.queues.set(address, queue);
      this.inFlight += 1;
      this.inFlightBy.set(address, (this.inFlightBy.get(address) ?? 0) + 1);
      this.recentStarts.push(now);
      this.hourStarts.push(now);
      waiter.admit();
    }
    const freesAt = this.windowFreesAt();
    if (this.queues.size > 0 && freesAt !== undefined && this.windowTimer === undefined) {
      this.windowTimer = setTimeout(() => {
        this.windowTimer = undefined;
        this.admitWaiting();
      }, freesAt - now);
      this.windowTimer.unref();
    }
  }

  /** The first waiting address in turn order under its share; else the one with the fewest logins in flight. */
  private nextAddress(): string {
    let fewest: string | undefined;
    let fewestInFlight = Infinity;
    for (const address of this.queues.keys()) {
      const inFlight = this.inFlightBy.get(address) ?? 0;
      if (inFlight < this.limits.perAddressConcurrent) return address;
      if (inFlight < fewestInFlight) [fewest, fewestInFlight] = [address, inFlight];
    }
    return fewest!;
  }

  private dequeue(address: string, waiter: Waiter): void {
    const queue = this.queues.get(address);
    const index = queue?.indexOf(waiter) ?? -1;
    if (index < 0) return;
    queue!.splice(index, 1);
    if (queue!.length === 0) this.queues.delete(address);
  }

  private forgetOldStarts(now: number): void {
    while (this.recentStarts.length > 0 && this.recentStarts[0] <= now - MINUTE) this.recentStarts.shift();
    while (this.hourStarts.length > 0 && this.hourStarts[0] <= now - HOUR) this.hourStarts.shift();
  }

  private releaser(address: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      const left = this.inFlightBy.get(address)! - 1;
      if (left === 0) this.inFlightBy.delete(address);
      else this.inFlightBy.set(address, left);
      this.admitWaiting();
    };
  }
}
