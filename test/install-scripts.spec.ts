import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// Issue 23: `npm install` of this repository asks nothing: every dependency with an install script is named in
// package.json's `allowScripts` (npm 11 otherwise prints its install-scripts advisory, and CI's log showed one
// for @scarf/scarf, which @nestjs/swagger's swagger-ui-dist pulls in).
const ROOT = join(import.meta.dirname, '..');
const read = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

describe('the install-scripts policy', () => {
  const { packages } = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
  const { allowScripts = {} } = read('package.json') as { allowScripts?: Record<string, boolean> };
  const withScripts = Object.keys(packages)
    .filter((path) => path !== '' && packages[path].hasInstallScript === true)
    .map((path) => path.replace(/^.*node_modules\//, ''));

  it('names every locked package that has an install script', () => {
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => !(name in allowScripts))).toEqual([]);
  });

  it('runs none of them: the tests and the build need no compiled add-on', () => {
    expect(Object.entries(allowScripts).filter(([, allowed]) => allowed !== false)).toEqual([]);
  });
});

// Issue 23: `npm install` prints no EBADENGINE. npm warns for each locked package whose engines.node the running Node
// does not satisfy: what a service installs must take every Node of the package's engines (22.12 and later), and the
// whole tree, dev tools included, the Node these tests run on (CI: 24 and 22, their latest).
describe('the engines of what the lockfile installs', () => {
  // semver, the package npm checks engines with (CommonJS; its range grammar is npm's).
  const { satisfies } = createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean };
  const { packages } = read('package-lock.json') as { packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }> };
  const { engines } = read('package.json') as { engines: { node: string } };
  const refusing = (version: string, devToo: boolean): string[] =>
    Object.entries(packages)
      .filter(([, locked]) => devToo || locked.dev !== true)
      .map(([path, locked]) => [path || 'nestjs-apikit', Array.isArray(locked.engines) ? undefined : locked.engines?.node] as const)
      .filter(([, range]) => range !== undefined && !satisfies(version, range))
      .map(([path, range]) => `${path}: ${range}`);

  it.each(['22.12.0', '24.0.0'])("what a service installs takes Node %s (engines.node's floor, the active LTS)", (version) => {
    expect(satisfies(version, engines.node)).toBe(true);
    expect(refusing(version, false)).toEqual([]);
  });

  it('the whole tree, dev tools included, takes the Node running these tests', () => {
    expect(refusing(process.versions.node, true)).toEqual([]);
  });
});
