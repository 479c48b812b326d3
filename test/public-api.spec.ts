// The public API is a promise to users: adding or removing a name must be a decision, made here,
// in README.md's "Exports" list, and in the barrel, all three at once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

const RUNTIME_EXPORTS = [
  'ApiKitErrorBodyFilter',
  'ApiKitHealthIndicator',
  'ApiKitLogger',
  'ApiKitModule',
  'ApiKitOptionsError',
  'BackendError',
  'BackendErrorFilter',
  'BackendResponse',
  'BitlyProxySession',
  'CallerSession',
  'MetadataRoutes',
  'RequestId',
  'UseBackendAuth',
  'createServiceClient',
  'raiseFromResponse',
  'raiseIse',
  'retryRequest',
];

const TYPE_EXPORTS = [
  'ApiKitLoggerOptions',
  'ApiKitModuleOptions',
  'ApiKitOptionsFactory',
  'AuthOption',
  'AuthType',
  'BackendBody',
  'BackendBodyCallOptions',
  'BackendCallOptions',
  'BackendCaller',
  'BackendErrorBody',
  'BackendSessionOptions',
  'ErrorBodyStyle',
  'LogDestination',
  'MetricsOptions',
  'OpenApiDocument',
  'OpenApiOptions',
  'QueryValue',
  'ResponseHeaders',
  'RetryAttempt',
  'RetryMethod',
  'RetryRequestOptions',
  'ServiceClientOptions',
  'ServiceMetadata',
  'UnvalidatedPaths',
];

const TESTING_RUNTIME_EXPORTS = ['simulatedBackendHandler', 'simulatedMetricValue', 'startSimulatedStack'];

const TESTING_TYPE_EXPORTS = [
  'SimulatedBackendContext',
  'SimulatedBackendHandler',
  'SimulatedBackendLogEntry',
  'SimulatedCode',
  'SimulatedFaults',
  'SimulatedStack',
  'SimulatedStackOptions',
  'SimulatedStackStats',
  'SimulatedTwoFactor',
  'SimulatedUser',
];

const sorted = (names: Iterable<string>): string[] => [...names].sort();

/** Names a barrel exports as types only: `export type { A, B }` and `export { type C }`. */
function typeExportsOf(barrelPath: string): string[] {
  const source = readFileSync(join(root, barrelPath), 'utf8');
  const names: string[] = [];
  for (const [, typeOnly, list] of source.matchAll(/export (type )?\{([^}]*)\}/g)) {
    for (const entry of list.split(',').map((item) => item.trim()).filter(Boolean)) {
      if (typeOnly) names.push(entry);
      else if (entry.startsWith('type ')) names.push(entry.slice('type '.length));
    }
  }
  return sorted(names);
}

/** The names README.md's API section lists under "Exports", in backticks, for one heading line. */
function readmeExports(label: string): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Exports'));
  const line = section.split('\n').find((text) => text.startsWith(`- ${label}:`));
  if (line === undefined) throw new Error(`README.md has no "- ${label}:" line under "### Exports"`);
  return sorted([...line.matchAll(/`([^`]+)`/g)].map(([, name]) => name));
}

describe('public API', () => {
  it('nestjs-apikit exports exactly the pinned runtime names', async () => {
    expect(sorted(Object.keys(await import('../lib/index.js')))).toEqual(sorted(RUNTIME_EXPORTS));
  });

  it('nestjs-apikit exports exactly the pinned type names', () => {
    expect(typeExportsOf('lib/index.ts')).toEqual(sorted(TYPE_EXPORTS));
  });

  it('nestjs-apikit/testing exports exactly the pinned names', async () => {
    expect(sorted(Object.keys(await import('../lib/testing/index.js')))).toEqual(sorted(TESTING_RUNTIME_EXPORTS));
    expect(typeExportsOf('lib/testing/index.ts')).toEqual(sorted(TESTING_TYPE_EXPORTS));
  });

  it("README.md's API section lists exactly these names", () => {
    expect(readmeExports('Values')).toEqual(sorted(RUNTIME_EXPORTS));
    expect(readmeExports('Types')).toEqual(sorted(TYPE_EXPORTS));
    expect(readmeExports('Testing')).toEqual(sorted([...TESTING_RUNTIME_EXPORTS, ...TESTING_TYPE_EXPORTS]));
  });
});
