import { BackendError } from '../../errors/backend-error.js';

/**
 * The time-out of one operation (a backend call, a login) combined with the caller's
 * `AbortSignal`: abort either way, and tell apart a time-out (504) from the caller's abort.
 */
export class CallDeadline {
  readonly signal: AbortSignal;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    readonly timeoutMs: number,
    /** What did not finish, for the 504 message ("The backend", "The GitHub login"). */
    private readonly what: string,
    private readonly callerSignal?: AbortSignal,
  ) {
    // A plain timer cleared by `dispose()`: `AbortSignal.timeout()` costs more per call (a GC-tracked
    // signal and a timer that outlives the call). Unref'd, like it, so it never holds the process open.
    const timeout = new AbortController();
    this.timer = setTimeout(() => timeout.abort(new DOMException('The operation timed out.', 'TimeoutError')), timeoutMs);
    this.timer.unref();
    this.signal = callerSignal ? AbortSignal.any([timeout.signal, callerSignal]) : timeout.signal;
  }

  /** The operation settled: its timer stops. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  /** The error to throw once `signal` has aborted: a 504 for the time-out, else the caller's reason. */
  abortError(): unknown {
    if (this.callerSignal?.aborted) return this.callerSignal.reason;
    return new BackendError('Gateway Timeout', 504, `${this.what} did not answer within ${this.timeoutMs} ms.`);
  }

  throwIfAborted(): void {
    if (this.signal.aborted) throw this.abortError();
  }

  /** Waits for shared work (a login other callers also wait for) without cancelling it on abort. */
  race<T>(work: Promise<T>): Promise<T> {
    this.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.abortError());
      this.signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort));
    });
  }
}
