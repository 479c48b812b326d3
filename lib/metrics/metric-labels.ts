// Label values come from short fixed sets, so that no caller can grow the series count (or put a
// username, a cookie or a URL into a label).

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** The method as a label: one of the common methods (as sent: upper case), else `other`. */
export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'other';
}

/** `2xx`..`5xx` for an answer, `error` for none (a time-out, a refused connection, a failed login). */
export function statusClassLabel(status: number | undefined): string {
  if (status === undefined) return 'error';
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? 'other';
}
