import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

// `@nestjs/swagger` is an optional peer: a service without `openapi` never imports it, and one with
// `openapi` on but without the package fails at boot saying what to install. The built library
// (`npm test` builds dist/ before jest) boots in a child Node whose in-thread resolve hook
// (`module.registerHooks`) notes every import of the package, or refuses it as if not installed.

const ROOT = join(import.meta.dirname, '..');
const LIBRARY = pathToFileURL(join(ROOT, 'dist/lib/index.js')).href;

const PROBE = `
import { registerHooks } from 'node:module';
const [openapi, refuse] = JSON.parse(process.argv[1]);
let imported = false;
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === '@nestjs/swagger' || specifier.startsWith('@nestjs/swagger/')) {
      imported = true;
      if (refuse) throw Object.assign(new Error("Cannot find package '@nestjs/swagger'"), { code: 'ERR_MODULE_NOT_FOUND' });
    }
    return next(specifier, context);
  },
});
await import('reflect-metadata');
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { ApiKitModule } = await import(${JSON.stringify(LIBRARY)});
class AppModule {}
Module({ imports: [ApiKitModule.forRoot({ name: 'probe', version: '1.0.0', repository: 'https://example.test/r', description: 'd', ...(openapi === null ? {} : { openapi }) })] })(AppModule);
let boot = 'booted';
try {
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
  await app.init();
  await app.close();
} catch (error) {
  boot = error.name + ': ' + error.message;
}
console.log(JSON.stringify({ imported, boot }));
`;

async function probe(openapi: unknown, refuse = false): Promise<{ imported: boolean; boot: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', PROBE, JSON.stringify([openapi ?? null, refuse])], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('@nestjs/swagger, an optional peer', () => {
  it.each([[undefined], [false]])('is never imported when openapi is %j', async (openapi) => {
    expect(await probe(openapi)).toEqual({ imported: false, boot: 'booted' });
  });

  it('is imported when openapi is on (the check above can see it)', async () => {
    expect(await probe({ path: '/openapi.json' })).toEqual({ imported: true, boot: 'booted' });
  });

  it('fails the boot with ApiKitOptionsError naming the install command when openapi is on and it is missing', async () => {
    expect(await probe(true, true)).toEqual({
      imported: true,
      boot: 'ApiKitOptionsError: ApiKitModule options are invalid:\n - openapi: needs the optional peer "@nestjs/swagger": npm install @nestjs/swagger',
    });
  });
});
