import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// `@opentelemetry/api` is an optional peer: a service without `tracing` never imports it, and one with
// `tracing: true` but without the package fails at boot saying what to install. Jest's own module
// registry cannot tell what was imported, so the built library (`npm test` builds dist/ before jest)
// boots in a child Node whose resolve hook reports the package, or refuses it as if not installed.

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const HOOKS = `
let port, refuse;
export function initialize(data) { port = data.port; refuse = data.refuse; }
export async function resolve(specifier, context, next) {
  if (specifier === '@opentelemetry/api') {
    port.postMessage('imported');
    if (refuse) throw Object.assign(new Error("Cannot find package '@opentelemetry/api'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;

const PROBE = `
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
// null (JSON's undefined): the option left out.
const [tracing, refuse] = JSON.parse(process.argv[1]);
const { port1, port2 } = new MessageChannel();
let imported = false;
port1.on('message', () => { imported = true; });
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { port: port2, refuse }, transferList: [port2] });
await import('reflect-metadata');
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { ApiKitModule } = await import(pathToFileURL('dist/lib/index.js').href);
class AppModule {}
Module({ imports: [ApiKitModule.forRoot({ name: 'probe', version: '1.0.0', repository: 'https://example.test/r', description: 'd', ...(tracing === null ? {} : { tracing }) })] })(AppModule);
let boot = 'booted';
try {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  await app.close();
} catch (error) {
  boot = error.name + ': ' + error.message;
}
await new Promise((done) => setTimeout(done, 100));
port1.close();
console.log(JSON.stringify({ imported, boot }));
`;

function probe(tracing: boolean | undefined, refuse = false): { imported: boolean; boot: string } {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, JSON.stringify([tracing, refuse])], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

describe('@opentelemetry/api, the optional peer of tracing', () => {
  it('is not imported when tracing is off (the default)', () => {
    expect(probe(undefined)).toEqual({ imported: false, boot: 'booted' });
    expect(probe(false)).toEqual({ imported: false, boot: 'booted' });
  });

  it('is imported at boot when tracing is on', () => {
    expect(probe(true)).toEqual({ imported: true, boot: 'booted' });
  });

  it('fails the boot with an ApiKitOptionsError naming the install command when missing', () => {
    const { imported, boot } = probe(true, true);
    expect(imported).toBe(true);
    expect(boot).toMatch(/^ApiKitOptionsError: .*tracing: needs the optional peer .*npm install @opentelemetry\/api/s);
  });

  it('is not missed when tracing is off, even where it is not installed', () => {
    expect(probe(false, true)).toEqual({ imported: false, boot: 'booted' });
  });
});
