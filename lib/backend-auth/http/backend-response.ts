import { STATUS_CODES } from 'node:http';

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Answers whose `Set-Cookie` deleted, shortened or shadowed the proxy's session cookie, which the jar ignored
 * (`ProxySessionJar.store`): the strategy weighs such a claim (`ProxyRefusals`). Kept beside the answers, not on
 * them: the caller code's `BackendResponse` shows none.
 */
const sessionCookieClaims = new WeakSet<BackendResponse>();

export function markSessionCookieClaim(response: BackendResponse): void {
  sessionCookieClaims.add(response);
}

export function claimedTheSessionCookie(response: BackendResponse): boolean {
  return sessionCookieClaims.has(response);
}

/**
 * Answers reached through a redirect (`BackendHttpClient.follow`): the first hop was answered, and may have been carried
 * out (a POST's 303), even when the redirects led back to its own URL. Beside the answers, like the claims above.
 */
const redirectedAnswers = new WeakSet<BackendResponse>();

export function markRedirected(response: BackendResponse): void {
  redirectedAnswers.add(response);
}

export function wasRedirected(response: BackendResponse): boolean {
  return redirectedAnswers.has(response);
}

/**
 * A buffered backend answer. Non-2xx answers are returned, not thrown: the calling
 * code decides (e.g. `throw new BackendError(res.statusText, res.status, res.text())`).
 * `Set-Cookie` headers are not exposed: the session's cookie jar owns them.
 */
export class BackendResponse {
  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    /** The raw body. */
    readonly bytes: Buffer,
    /** The URL that answered, after redirects. */
    readonly url: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The standard reason phrase of the status (HTTP/2 and undici carry none). */
  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  /** The first value of a header, by case-insensitive name. */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** The body as UTF-8, invalid bytes replaced (U+FFFD) rather than failing. */
  text(): string {
    return lenientUtf8.decode(this.bytes);
  }

  /** The body parsed as JSON; throws a `SyntaxError` when it is not JSON. */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}
