import { BackendError } from '../../errors/backend-error.js';
import type { ResolvedBackendSessionOptions } from '../../options/backend-options.interface.js';

const MINUTE = 60_000;

interface Waiter {
  admit(): void;
}

/**
 * The GitHub logins of the whole service, whoever asks: at most `maxConcurrent` in flight and
 * `perMinute` started in any minute. A login over budget waits its turn (first come, first
 * served) until the signal of the request that started it aborts, then fails with 503 and
 * `Retry-After`. Callers with a live session never come here.
 */
export class LoginBudget {
  private inFlight = 0;
  /** Start times within the last minute, oldest first (at most `perMinute` of them). */
  private readonly recentStarts: number[] = [];
  private readonly queue: Waiter[] = [];
  private windowTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly limits: ResolvedBackendSessionOptions['loginBudget']) {}

  /** Resolves with the release function once a login may start; rejects with a 503 when `signal` aborts first. */
  admit(signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.releaser());
        },
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(this.overBudgetError());
      };
      if (signal.aborted) return onAbort();
      this.queue.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
      this.admitWaiting();
    });
  }

  /** 503 with `Retry-After`: when a slot of the per-minute budget frees, or in a second for the concurrency bound. */
  overBudgetError(): BackendError {
    this.forgetOldStarts(Date.now());
    const windowFull = this.recentStarts.length >= this.limits.perMinute;
    const retryAfter = windowFull ? Math.max(1, Math.ceil((this.recentStarts[0] + MINUTE - Date.now()) / 1000)) : 1;
    return new BackendError(
      'Service Unavailable',
      503,
      `Too many GitHub logins in progress or in the last minute; retry in ${retryAfter} s.`,
      { 'Retry-After': String(retryAfter) },
    );
  }

  private admitWaiting(): void {
    const now = Date.now();
    this.forgetOldStarts(now);
    while (this.queue.length > 0 && this.inFlight < this.limits.maxConcurrent && this.recentStarts.length < this.limits.perMinute) {
      this.inFlight += 1;
      this.recentStarts.push(now);
      this.queue.shift()!.admit();
    }
    if (this.queue.length > 0 && this.recentStarts.length >= this.limits.perMinute && this.windowTimer === undefined) {
      this.windowTimer = setTimeout(() => {
        this.windowTimer = undefined;
        this.admitWaiting();
      }, this.recentStarts[0] + MINUTE - now);
      this.windowTimer.unref();
    }
  }

  private forgetOldStarts(now: number): void {
    while (this.recentStarts.length > 0 && this.recentStarts[0] <= now - MINUTE) this.recentStarts.shift();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.admitWaiting();
    };
  }
}
