/** A query parameter value; arrays repeat the parameter, `null` and `undefined` leave it out (as `requests` did). */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

type QueryParams = Readonly<Record<string, QueryValue>>;

/**
 * `params` form-encoded, in order, exactly as `URLSearchParams` writes them (space as `+`, lone
 * surrogates as U+FFFD); `''` when none is left. Written out because `URLSearchParams` builds an
 * object and re-encodes every character per call, where most names and values here are plain words.
 */
export function formEncodedQuery(params: QueryParams): string {
  let query = '';
  for (const name in params) {
    if (!Object.hasOwn(params, name)) continue;
    const value = params[name];
    if (value === null || value === undefined) continue;
    const key = encodeFormComponent(name);
    if (Array.isArray(value)) for (const item of value) query += `${query === '' ? '' : '&'}${key}=${encodeFormComponent(String(item))}`;
    else query += `${query === '' ? '' : '&'}${key}=${encodeFormComponent(String(value))}`;
  }
  return query;
}

/** What application/x-www-form-urlencoded leaves as it is: the rest is UTF-8, percent-encoded. */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;
/** What `encodeURIComponent` leaves but the form encoding escapes. */
const URI_COMPONENT_ONLY = /[!'()~]/g;

function encodeFormComponent(text: string): string {
  if (FORM_SAFE.test(text)) return text;
  const wellFormed = (text as unknown as { toWellFormed(): string }).toWellFormed();
  return encodeURIComponent(wellFormed)
    .replace(/%20/g, '+')
    .replace(URI_COMPONENT_ONLY, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Appends `params` to `url`'s query string; the query `url` already had is kept byte for byte. */
export function appendQueryParams(url: URL, params: QueryParams): void {
  const query = formEncodedQuery(params);
  if (query !== '') url.href = hrefWithQuery(url.href, query);
}

/**
 * `href` (a parsed URL's, so normalised) with `query` (form-encoded) appended to its query string,
 * ahead of any fragment: what `appendQueryParams` does to a URL, as a string to parse once.
 */
export function hrefWithQuery(href: string, query: string): string {
  if (query === '') return href;
  const hashAt = href.indexOf('#');
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt);
  const afterHash = hashAt < 0 ? '' : href.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const separator = queryAt < 0 ? '?' : queryAt === beforeHash.length - 1 ? '' : '&';
  return `${beforeHash}${separator}${query}${afterHash}`;
}
