/** The first wait, the longest, and the spread of a waiting login's next look at Redis. */
const FIRST_MS = 50;
const LONGEST_MS = 1_000;

/**
 * Pauses between a waiting login's looks at Redis: doubling from 50 ms to 1 s, each drawn at random
 * between half and all of it, so that waiters do not ask in step. A fixed 100 ms poll made 1,000 waiting
 * logins send 10,000 commands a second, enough to push Redis past its time-out and every replica into
 * local mode; at 1 s they send about 1,300.
 */
export class WaitBackoff {
  private nextMs = FIRST_MS;

  /** Resolves after the next pause, or at once when `signal` aborts (the caller then sees it aborted). */
  wait(signal: AbortSignal): Promise<void> {
    const ms = this.nextMs * (0.5 + Math.random() / 2);
    this.nextMs = Math.min(LONGEST_MS, this.nextMs * 2);
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
