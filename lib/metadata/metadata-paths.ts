/**
 * apikit's canonical prefix `"/" + P.strip("/")`: `""`, `"/"` and `"//"` all mean the root (`"/"`);
 * inner slashes and case are kept.
 */
export function canonicalRoutePrefix(prefix: string): string {
  return `/${prefix.replace(/^\/+|\/+$/g, '')}`;
}

/** The four metadata paths of one canonical prefix; the `v` is literal (`"v2"` gives `/vv2/metadata`). */
export function metadataPathsOf(canonicalPrefix: string, apiVersion: string): string[] {
  const base = canonicalPrefix === '/' ? '' : canonicalPrefix;
  return [`${base}/metadata`, `${base}/v${apiVersion}/metadata`].flatMap((path) => [path, `${path}.json`]);
}

/** apikit's `route` argument as a list: nothing means the root; `[]` means no metadata route. */
export function routePrefixList(route: string | readonly string[] | null | undefined): string[] {
  if (route === undefined || route === null) return ['/'];
  return typeof route === 'string' ? [route] : [...route];
}
