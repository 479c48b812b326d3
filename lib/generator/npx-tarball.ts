import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The tarball `npx ./nestjs-apikit-<version>.tgz new <name>` runs the generator from, if that is how
 * it runs: npx installs it into `_npx/<hash>/node_modules/nestjs-apikit` beside a package.json that
 * records its `file:` spec. The project then vendors that tarball, as `--apikit` would, since the
 * version it holds may be on no registry. Anything else (an install, a checkout, an npm that lays
 * its cache out otherwise) gives `undefined`: the registry.
 */
export function tarballNpxRanFrom(packageRoot: string, packageName: string): string | undefined {
  const npxDir = dirname(dirname(packageRoot));
  const manifest = join(npxDir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  try {
    const { _npx, dependencies } = JSON.parse(readFileSync(manifest, 'utf8')) as { _npx?: unknown; dependencies?: Record<string, string> };
    const spec = dependencies?.[packageName];
    if (_npx === undefined || spec === undefined || !/^file:.*\.tgz$/.test(spec)) return undefined;
    const tarball = resolve(npxDir, spec.slice('file:'.length));
    return existsSync(tarball) ? tarball : undefined;
  } catch {
    return undefined;
  }
}
