import type { OwnPackage } from './own-package.js';
import type { ProjectAnswers } from './project-answers.js';
import { hasSessions } from './auth-specific.parts.js';

/** Prettier is not one of this package's own tools; the major its config and the sample's layout follow. */
const PRETTIER_RANGE = '^3.6.0';

/** Node's test runner expands the glob itself (Node >= 21 no longer expands a bare directory). */
const TEST_FILES = '"dist/test/**/*.e2e-spec.js"';
const BUILD = 'tsc -p tsconfig.json';
/** tsc recompiles on a change; node --watch restarts on the changed output. */
const WATCH = (run: string) => `${BUILD} && (${BUILD} --watch --preserveWatchOutput & exec ${run})`;

/**
 * The project's package.json: dependencies at the ranges this package itself is built and tested
 * with, nestjs-apikit from the registry or from the tarball vendored in the project.
 */
export function projectPackageJson(answers: ProjectAnswers, own: OwnPackage, vendoredApikit: string | undefined): object {
  const tested = (name: string): string => own.devDependencies[name];
  const platform = `@nestjs/platform-${answers.adapter}`;
  return {
    name: answers.name,
    version: '0.1.0',
    description: answers.description,
    private: true,
    type: 'module',
    repository: answers.repository,
    engines: { node: own.engines.node },
    scripts: {
      build: BUILD,
      // exec: npm's signal reaches node itself, which shuts down gracefully; no shell is left to orphan it.
      start: `npm run build && exec node dist/src/main.js`,
      'start:dev': WATCH('node --watch dist/src/main.js'),
      'start:prod': 'node dist/src/main.js',
      test: `npm run build && node --test ${TEST_FILES}`,
      'test:watch': WATCH(`node --test --watch ${TEST_FILES}`),
      lint: 'eslint .',
      format: 'prettier --write "src/**/*.ts" "test/**/*.ts"',
      // `npm run client:types -- <url or file> <name>`: a neighbour's API types for createServiceClient.
      'client:types': 'node scripts/client-types.mjs',
      'format:check': 'prettier --check "src/**/*.ts" "test/**/*.ts"',
    },
    dependencies: {
      '@nestjs/common': tested('@nestjs/common'),
      '@nestjs/core': tested('@nestjs/core'),
      // The sample's `openapi` option: the service's own document, which neighbours make their clients from.
      '@nestjs/swagger': tested('@nestjs/swagger'),
      [platform]: tested(platform),
      'class-transformer': tested('class-transformer'),
      'class-validator': tested('class-validator'),
      // The metrics the service serves (METRICS=on by default): nestjs-apikit's optional peer.
      'prom-client': tested('prom-client'),
      'nestjs-apikit': vendoredApikit === undefined ? `^${own.version}` : `file:./vendor/${vendoredApikit}`,
      // Only sessions shared between replicas need node-redis (the library imports it lazily).
      ...(hasSessions(answers) ? { redis: tested('redis') } : {}),
      'reflect-metadata': tested('reflect-metadata'),
      rxjs: tested('rxjs'),
    },
    devDependencies: {
      '@eslint/js': tested('@eslint/js'),
      '@types/node': tested('@types/node'),
      eslint: tested('eslint'),
      prettier: PRETTIER_RANGE,
      typescript: tested('typescript'),
      'typescript-eslint': tested('typescript-eslint'),
    },
    // npm 11 asks about every dependency's install script: @nestjs/swagger's swagger-ui-dist pulls @scarf/scarf,
    // whose postinstall only reports the install to its maker. Denied, so npm install asks nothing.
    allowScripts: { '@scarf/scarf': false },
  };
}
