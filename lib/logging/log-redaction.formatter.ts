/** What a secret field's value becomes in the output. */
export const REDACTED = '[Redacted]';

const SECRET_KEYS: ReadonlySet<string> = new Set([
  'passwd',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  // The caller's one-time code and device token headers.
  'x-github-otp',
  'x-apikit-device',
]);
/** Suffixes of secret names in any style: `password`, `dbPassword`, `client_secret`, `accessToken`. */
const SECRET_SUFFIXES = ['password', 'secret', 'token'];
// Beyond this depth values are cut: bounds the work for pathological objects.
const MAX_DEPTH = 16;

function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.has(lower) || SECRET_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/**
 * A safety net so credentials never reach a log line: a copy of `value` where every field named like
 * password, secret, token, authorization, cookie or a one-time code or device header (any case, any
 * depth, also `dbPassword` or `access_token`) is replaced by `[Redacted]`.
 * Objects with `toJSON` are walked as they would be serialised; Errors keep type, message and stack.
 */
export function redactSecrets(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[Too deep]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
    const candidate = value as { toJSON?: unknown };
    if (typeof candidate.toJSON === 'function') return redactSecrets((candidate.toJSON as () => unknown)(), depth + 1, seen);
    if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      copy[key] = isSecretKey(key) ? REDACTED : redactSecrets(field, depth + 1, seen);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
