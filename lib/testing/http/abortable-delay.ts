import { abortableDelay as rejectingDelay } from '../../retry/abortable-delay.js';

/**
 * Waits `ms`, or less when `signal` aborts (the stack stops or the client goes away); never rejects.
 * A zero delay (no fault set) answers at once, without a timer.
 */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return rejectingDelay(ms, signal).catch(() => undefined);
}
