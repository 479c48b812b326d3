/** A query parameter value; arrays repeat the parameter, `null` and `undefined` leave it out (as `requests` did). */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

/** Appends `params` to `url`'s query string, in order. */
export function appendQueryParams(url: URL, params: Readonly<Record<string, QueryValue>>): void {
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
}
