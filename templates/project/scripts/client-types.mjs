// npm run client:types -- <url or file> <name>: the types of a neighbouring service's API, from its OpenAPI
// document (its /openapi.json), written to src/clients/<name>.d.ts for nestjs-apikit's createServiceClient<paths>().
// openapi-typescript 7 asks for TypeScript 5 as a peer: npx runs it apart from this project's TypeScript.
import { spawnSync } from 'node:child_process';
import process from 'node:process';

const OPENAPI_TYPESCRIPT = 'openapi-typescript@7.13.0';

const [source, name] = process.argv.slice(2);
// The name becomes a file name, the source an argument: neither may pass for a path elsewhere or an option.
if (!source || source.startsWith('-') || !name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  process.stderr.write('usage: npm run client:types -- <url or file of an OpenAPI document> <name: lower case, digits, "-">\n');
  process.exit(2);
}
const windows = process.platform === 'win32';
const { status } = spawnSync(windows ? 'npx.cmd' : 'npx', ['--yes', OPENAPI_TYPESCRIPT, source, '--output', `src/clients/${name}.d.ts`], {
  stdio: 'inherit',
  shell: windows,
});
process.exit(status ?? 1);
