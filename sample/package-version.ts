import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The service's version: the `version` of its package metadata (package.json), read at run time
 * so a release bump needs no code change. Resolved through the package's own `exports`, which
 * works from the sources and from `dist/` alike.
 */
export function readPackageVersion(): string {
  const path = createRequire(import.meta.url).resolve('nestjs-apikit/package.json');
  const { version } = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') {
    throw new Error(`${path} has no "version": the service cannot report its version in /metadata`);
  }
  return version;
}
