import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { installTarball, packFreshCheckout, REPO, run } from './fixtures/packed-tarball.fixture.js';

// nestjs-apikit is an ES module package; a CommonJS Nest project (what `nest new` makes: no
// "type": "module", tsc emitting require()) uses it through Node's require of ES modules (unflagged
// from Node 22.12 and 20.19). The packed tarball, installed into such a project, compiled with
// `nest new`'s tsconfig and run with this Node: it boots ApiKitModule and answers requests.

const FIXTURE = join(REPO, 'test', 'fixtures', 'commonjs');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

describe('a CommonJS Nest project using the packed tarball', () => {
  // Under the repository, so that node resolution walks up to its node_modules for the peers.
  const work = join(REPO, '.tmp', `commonjs-${randomBytes(6).toString('hex')}`);
  const project = join(work, 'project');

  beforeAll(() => {
    mkdirSync(project, { recursive: true });
    installTarball(packFreshCheckout(work).file, project);
    copyFileSync(join(FIXTURE, 'main.ts'), join(project, 'main.ts'));
    copyFileSync(join(FIXTURE, 'tsconfig.commonjs.json'), join(project, 'tsconfig.json'));
    copyFileSync(join(FIXTURE, 'package.commonjs.json'), join(project, 'package.json'));
    run(process.execPath, [TSC, '-p', join(project, 'tsconfig.json')], project, 180_000);
  }, 300_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('is a CommonJS project: no "type": "module", and tsc emits require() of the package', () => {
    expect(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'))).not.toHaveProperty('type');
    const compiled = readFileSync(join(project, 'dist', 'main.js'), 'utf8');
    expect(compiled).toContain('require("nestjs-apikit")');
    expect(compiled).toContain('require("nestjs-apikit/testing")');
    expect(compiled).not.toMatch(/^\s*import\s/m);
  });

  it(`boots ApiKitModule under Node ${process.versions.node} and answers metadata, health and an apikit error body`, () => {
    // As a user runs it: `node dist/main.js`, without the test runner's NODE_OPTIONS (vm modules) and CA.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && name !== 'NODE_EXTRA_CA_CERTS'));
    const result = spawnSync(process.execPath, [join(project, 'dist', 'main.js')], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    // Node 22.12 still marks require() of an ES module experimental with a warning; nothing else may be printed.
    const stderr = result.stderr.replace(/^.*ExperimentalWarning: CommonJS module .* is loading ES Module .* using require\(\)\.\n(.*\n)?.*--trace-warnings.*\n/m, '');
    expect({ status: result.status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout.trim().split('\n').pop() ?? '')).toEqual({
      moduleSystem: 'commonjs',
      metadataStatus: 200,
      metadata: {
        name: 'uservice-commonjs',
        version: '0.0.1',
        repository: 'https://example.com/uservice-commonjs',
        description: 'A CommonJS consumer',
        api_version: '1.0',
        auth: 'none',
      },
      failStatus: 503,
      failBody: { reason: 'no forecast', status_code: 503, error_content: 'the backend is away' },
      health: 'OK',
      testingEntry: 'function',
    });
  });
});
