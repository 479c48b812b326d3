/** A query parameter value; arrays repeat the parameter, `null` and `undefined` leave it out (as `requests` did). */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/**
 * Appends `params` to `url`'s query string, in order, form-encoded; the query `url` already had is kept
 * byte for byte. One update of `url`: appending through `url.searchParams` re-serialises the URL at each
 * append and again when `search` is next read (~3 µs per backend call, bench/profile.js).
 */
export function appendQueryParams(url: URL, params: Readonly<Record<string, QueryValue>>): void {
  const added = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) added.append(name, String(item));
  }
  const query = added.toString();
  if (query === '') return;
  url.search = url.search.length > 1 ? `${url.search.slice(1)}&${query}` : query;
}
