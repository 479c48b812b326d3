import type { IncomingMessage } from 'node:http';

/** The request target as a URL, or undefined when it is not one (junk from the network). */
export function parseRequestUrl(req: IncomingMessage): URL | undefined {
  try {
    const url = new URL(req.url ?? '/', 'http://simulated.invalid');
    // Absolute-form targets (`GET http://other/x`) are read as their path only.
    return new URL(`${url.pathname}${url.search}`, 'http://simulated.invalid');
  } catch {
    return undefined;
  }
}

/** A local path to redirect to after login; anything else (other hosts, `//x`, `/\x`) becomes `/`. */
export function safeLocalPath(candidate: string | null | undefined): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return '/';
  if (candidate.length > 2048 || /[\s\p{Cc}]/u.test(candidate)) return '/';
  return candidate;
}

/**
 * oauth2-proxy's `isAjax`: some `Accept` header lists exactly `application/json` as one media range.
 * `application/json; q=0.9`, `application/json-patch+json` or `*\/*` do not count.
 */
export function acceptsJson(req: IncomingMessage): boolean {
  // node joins repeated Accept headers with ", ", which this splits again.
  const accept = req.headers.accept;
  return typeof accept === 'string' && accept.split(',').some((range) => range.trim() === 'application/json');
}
