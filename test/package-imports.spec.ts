// Every package the shipped library imports must be declared in package.json (dependencies or
// peerDependencies): tests run with the devDependencies installed, so nothing else would notice.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
const builtins = new Set(builtinModules);

function shippedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shippedSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The package part of a bare specifier: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function importedPackages(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?<![.\w])(?:from|import)\s*\(?\s*'([^']+)'/g)].map((match) => match[1]);
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .map(packageOf)
    .filter((name) => !builtins.has(name));
}

describe('package.json declares what lib/ imports', () => {
  const files = shippedSources(join(root, 'lib'));

  it('finds the library sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((file) => [relative(root, file), file]))('%s imports only declared packages', (_name, file) => {
    const undeclared = importedPackages(file).filter((name) => !declared.has(name));
    expect(undeclared).toEqual([]);
  });

  it('would notice an undeclared import', () => {
    expect(packageOf('@nestjs/common/decorators')).toBe('@nestjs/common');
    expect(packageOf('lru-cache')).toBe('lru-cache');
    expect(declared.has('express')).toBe(false);
  });
});
