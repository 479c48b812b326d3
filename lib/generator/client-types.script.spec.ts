import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The generated project's `npm run client:types -- <url or file> <name>` (templates/project/scripts):
// what it refuses, before npx runs anything.
const SCRIPT = join(import.meta.dirname, '../../templates/project/scripts/client-types.mjs');

function run(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
}

describe('client:types of a generated project', () => {
  it.each([
    ['no arguments', []],
    ['no name', ['https://weather.example.org/openapi.json']],
    ['a name that is a path', ['openapi.json', '../../etc/x']],
    ['a name in capitals', ['openapi.json', 'Weather']],
    ['a source that is an option', ['--help', 'weather']],
  ])('refuses %s with its usage, exit code 2', (_what, args) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run client:types -- <url or file of an OpenAPI document> <name');
  });
});
