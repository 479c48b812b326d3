/** The four metadata paths of one canonical prefix; the `v` is literal (`"v2"` gives `/vv2/metadata`). */
export function metadataPathsOf(canonicalPrefix: string, apiVersion: string): string[] {
  const base = canonicalPrefix === '/' ? '' : canonicalPrefix;
  return [`${base}/metadata`, `${base}/v${apiVersion}/metadata`].flatMap((path) => [path, `${path}.json`]);
}
