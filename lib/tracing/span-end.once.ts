import type { Span } from '@opentelemetry/api';

/**
 * `record` then `span.end()`, the first time only: a span ends exactly once, even when recording throws
 * or the session reports an end twice.
 */
export function endOnce<A extends unknown[]>(span: Span, record: (...args: A) => void): (...args: A) => void {
  let ended = false;
  return (...args: A) => {
    if (ended) return;
    ended = true;
    try {
      record(...args);
    } finally {
      span.end();
    }
  };
}
