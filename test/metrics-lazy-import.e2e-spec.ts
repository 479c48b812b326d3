// prom-client is an optional peer: a service with metrics off never loads it, and one with metrics on
// but without it installed fails at boot saying what to install. Separate processes on the built
// library (`npm test` builds dist/ before jest runs), so that nothing else in the process loaded it.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const LIBRARY = pathToFileURL(join(ROOT, 'dist/lib/index.js')).href;

// Boots ApiKitModule in an application context, then says whether prom-client was loaded (it is CommonJS:
// an import of it, from ESM too, goes into require.cache).
const BOOT = `
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
const { ApiKitModule } = await import(${JSON.stringify(LIBRARY)});
const loaded = () => Object.keys(createRequire(process.cwd() + '/').cache).some((path) => path.includes('/node_modules/prom-client/'));
class AppModule {}
const metrics = JSON.parse(process.argv[1]);
Module({ imports: [ApiKitModule.forRoot({ name: 'n', version: '1', repository: 'r', description: 'd', metrics })] })(AppModule);
try {
  const context = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  await context.close();
  console.log(JSON.stringify({ loaded: loaded() }));
} catch (error) {
  console.log(JSON.stringify({ loaded: loaded(), error: error.name + ': ' + error.message }));
}
`;

// A resolve hook for which prom-client is not installed.
const hooks = mkdtempSync(join(tmpdir(), 'apikit-metrics-'));
writeFileSync(join(hooks, 'hide.mjs'), `export async function resolve(specifier, context, next) {
  if (specifier === 'prom-client') throw Object.assign(new Error("Cannot find package 'prom-client'"), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
}`);
writeFileSync(join(hooks, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(hooks, 'hide.mjs')).href)});`);

async function boot(metrics: unknown, withoutPromClient = false): Promise<{ loaded: boolean; error?: string }> {
  const flags = withoutPromClient ? ['--import', pathToFileURL(join(hooks, 'register.mjs')).href] : [];
  const { stdout } = await promisify(execFile)(process.execPath, [...flags, '--input-type=module', '-e', BOOT, JSON.stringify(metrics)], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('prom-client, an optional peer', () => {
  it('is never loaded when metrics are off', async () => {
    expect(await boot(false)).toEqual({ loaded: false });
  });

  it('is loaded when metrics are on (the check above can see it)', async () => {
    expect(await boot(true)).toEqual({ loaded: true });
  });

  it('fails the boot with ApiKitOptionsError naming the install command when metrics are on and it is missing', async () => {
    expect(await boot({ path: '/m' }, true)).toEqual({
      loaded: false,
      error: 'ApiKitOptionsError: ApiKitModule options are invalid:\n - metrics: needs the optional peer "prom-client": npm install prom-client',
    });
  });
});
