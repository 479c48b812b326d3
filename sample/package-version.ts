import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The service's version: the `version` of its package.json, read at run time so a release bump
 * needs no code change. The nearest package.json above this file: the project's own, from the
 * sources and from `dist/` alike.
 */
export function readPackageVersion(): string {
  const path = nearestPackageJson(dirname(fileURLToPath(import.meta.url)));
  const { version } = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') {
    throw new Error(`${path} has no "version": the service cannot report its version in /metadata`);
  }
  return version;
}

function nearestPackageJson(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: the service cannot report its version`);
  }
}
