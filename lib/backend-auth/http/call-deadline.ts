import { BackendError } from '../../errors/backend-error.js';

/**
 * The time-out of one operation (a backend call, a login) combined with the caller's
 * `AbortSignal`: abort either way, and tell apart a time-out (504) from the caller's abort.
 *
 * The HTTP client listens to it directly (`onAbort`). Every backend call makes one, and an
 * `AbortController` with an EventTarget listener costs ~7 µs of CPU per call where a timer and a
 * listener list cost well under 1 µs (bench/profile.js; an EventEmitter's `once` binds a wrapper per
 * call too); the `AbortSignal` that fetch-like APIs need (`signal`) is made only when asked for, on
 * the login path.
 */
export class CallDeadline {
  private readonly timer: ReturnType<typeof setTimeout>;
  private abortedBy: 'timeout' | 'caller' | undefined;
  private controller: AbortController | undefined;
  private readonly onCallerAbort: (() => void) | undefined;
  /** Who to tell on abort: the request in flight, and shared work raced (a login). */
  private listeners: Array<() => void> = [];

  constructor(
    readonly timeoutMs: number,
    /** What did not finish, for the 504 message ("The backend", "The GitHub login"). */
    private readonly what: string,
    private readonly callerSignal?: AbortSignal,
  ) {
    // Unref'd, like `AbortSignal.timeout()`, so it never holds the process open; cleared by `dispose()`.
    this.timer = setTimeout(() => this.abort('timeout'), timeoutMs);
    this.timer.unref();
    if (callerSignal?.aborted) this.abortedBy = 'caller';
    else if (callerSignal) {
      this.onCallerAbort = () => this.abort('caller');
      callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
  }

  get aborted(): boolean {
    return this.abortedBy !== undefined;
  }

  /** The abort reason, as an `AbortSignal` would give it. */
  get reason(): unknown {
    if (this.abortedBy === 'caller') return this.callerSignal!.reason;
    return this.abortedBy === 'timeout' ? new DOMException('The operation timed out.', 'TimeoutError') : undefined;
  }

  /** The deadline as an `AbortSignal`, for APIs that take one (made on first use). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Calls `listener` once, when the deadline aborts (not when it is already aborted: check `aborted` first). */
  onAbort(listener: () => void): void {
    this.listeners.push(listener);
  }

  offAbort(listener: () => void): void {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  /** How many listeners wait for the abort (none once the work settled). */
  get listenerCount(): number {
    return this.listeners.length;
  }

  /** The operation settled: its timer stops. */
  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort) this.callerSignal!.removeEventListener('abort', this.onCallerAbort);
  }

  /** The error to throw once aborted: a 504 for the time-out, else the caller's reason. */
  abortError(): unknown {
    if (this.abortedBy === 'caller') return this.callerSignal!.reason;
    return new BackendError('Gateway Timeout', 504, `${this.what} did not answer within ${this.timeoutMs} ms.`);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.abortError();
  }

  /** Waits for shared work (a login other callers also wait for) without cancelling it on abort. */
  race<T>(work: Promise<T>): Promise<T> {
    this.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.abortError());
      this.onAbort(onAbort);
      work.then(resolve, reject).finally(() => this.offAbort(onAbort));
    });
  }

  private abort(by: 'timeout' | 'caller'): void {
    if (this.aborted) return;
    this.abortedBy = by;
    this.dispose();
    this.controller?.abort(this.reason);
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
