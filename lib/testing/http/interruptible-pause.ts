import { abortableDelay } from '../../retry/abortable-delay.js';

/**
 * Waits `ms`, or less when `signal` aborts (the stack stops or the client goes away): unlike
 * `abortableDelay`, it never rejects. A zero pause (no fault set) answers at once, without a timer.
 */
export function interruptiblePause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return abortableDelay(ms, signal).catch(() => undefined);
}
