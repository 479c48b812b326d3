import { readFileSync } from 'node:fs';
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
