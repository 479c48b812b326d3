import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/**
 * The checkout of nestjs-apikit that holds `dir`, if any. A project generated inside it resolves
 * the packages it forgot to declare from the checkout's node_modules (its tests pass here and its
 * install fails elsewhere), and git takes it for part of this repository.
 */
export function enclosingApikitCheckout(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest) && isApikitManifest(manifest)) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** Whether the generator runs from a checkout (or a copy of it) rather than from an install, whose path holds node_modules. */
export function runsFromCheckout(packageRoot: string): boolean {
  return !packageRoot.split(sep).includes('node_modules');
}

function isApikitManifest(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === 'nestjs-apikit';
  } catch {
    return false;
  }
}
