import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the generator reads of this package's own package.json. */
export interface OwnPackage {
  name: string;
  version: string;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** This package's root (sources or dist alike): the nearest directory above holding `templates/project`. */
export function findPackageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'project'))) return dir;
    if (dirname(dir) === dir) throw new Error('nestjs-apikit: its templates/project directory is missing from the package');
  }
}

export function readOwnPackage(packageRoot = findPackageRoot()): OwnPackage {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as OwnPackage;
}
