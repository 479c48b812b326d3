// Native ESM jest: run with NODE_OPTIONS=--experimental-vm-modules (see package.json).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/lib', '<rootDir>/test', '<rootDir>/sample'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // Relative imports carry NodeNext's `.js` suffix; map them back to the `.ts` sources.
  // The sample imports the package by its own name, as a user would (self-reference at run time).
  moduleNameMapper: {
    '^nestjs-apikit$': '<rootDir>/lib/index.ts',
    '^nestjs-apikit/testing$': '<rootDir>/lib/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 30000,
  // Jest's default is one worker fewer than the cores: in band on a 2-core machine, where many e2e suites
  // mostly wait (sessions ending, services draining) while the other core idles. In band, CI's suites took
  // 484 s; with two workers on the same kind of machine, 305 s.
  maxWorkers: '100%',
};
