import type { HttpHop } from './backend-http.client.js';

/** Where a hop goes, as undici's `dispatch()` and the answer need it: strings, no URL object. */
export interface HopTarget {
  /** `url.origin` */
  readonly origin: string;
  /** `url.pathname + url.search`: the request target sent on the wire. */
  readonly path: string;
  /** `url.href` */
  readonly href: string;
}

/**
 * The first hop of a backend call whose URL was checked before (a remembered base URL plus a query
 * the library encoded itself): its origin, path and href are known as strings, so the URL object is
 * parsed only if something needs more (a cookie jar, a redirect). Parsing it cost ~1.4 µs of a
 * call in the sample (bench/profile.js); a basic-mode call that is not redirected never does.
 */
export class PreparedHop implements HttpHop, HopTarget {
  #url: URL | undefined;

  constructor(
    readonly method: string,
    readonly origin: string,
    readonly path: string,
    readonly href: string,
    readonly headers: Record<string, string>,
    readonly body?: Buffer,
  ) {}

  get url(): URL {
    return (this.#url ??= new URL(this.href));
  }
}

/** The hop's target without parsing a prepared hop's URL; any other hop's from its URL. */
export function hopTarget(hop: HttpHop): HopTarget {
  if (hop instanceof PreparedHop) return hop;
  const { origin, pathname, search, href } = hop.url;
  return { origin, path: `${pathname}${search}`, href };
}

/** What a cookie jar is asked about: a URL, or a prepared hop whose URL it parses only if it must. */
export type CookieTarget = URL | PreparedHop;

/**
 * Where cookies apply, as a string (origin and path, no query: cookies scope by domain, path and
 * scheme), without parsing a prepared hop's URL. A pooled session's Cookie header is cached under it.
 */
export function cookieScopeOf(target: CookieTarget): string {
  if (target instanceof URL) return `${target.origin}${target.pathname}`;
  const query = target.path.indexOf('?');
  return query < 0 ? `${target.origin}${target.path}` : `${target.origin}${target.path.slice(0, query)}`;
}

/** The target's URL (parsed now for a prepared hop). */
export function urlOf(target: CookieTarget): URL {
  return target instanceof URL ? target : target.url;
}
