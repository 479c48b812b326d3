import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The packed tarball, as a user installs it: a consumer project compiles against its types
// (NodeNext, strict) and runs. Catches a broken `exports`, `files` or declaration output.

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = join(REPO, 'test', 'fixtures', 'consumer');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command with a time limit; its output is returned, its failure thrown with stderr. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): string {
  return execFileSync(command, args, { cwd, timeout: timeoutMs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the packed nestjs-apikit tarball', () => {
  // Under the repository, so that node resolution walks up to its node_modules for the peers.
  const work = join(REPO, '.tmp', `consumer-${randomBytes(6).toString('hex')}`);
  const staging = join(work, 'staging');
  const consumer = join(work, 'consumer');
  let tarball: string;
  let entries: string[];

  beforeAll(() => {
    mkdirSync(staging, { recursive: true });
    // The build config and the real manifest, but compiled into a staging directory: other e2e
    // specs run the repository's dist/ at the same time, and rebuilding it under them would race.
    run(process.execPath, [TSC, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(staging, 'dist')], REPO, 180_000);
    copyFileSync(join(REPO, 'package.json'), join(staging, 'package.json'));
    if (existsSync(join(REPO, 'README.md'))) copyFileSync(join(REPO, 'README.md'), join(staging, 'README.md'));
    const packed = JSON.parse(run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], staging, 120_000)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(work, packed[0].filename);
    entries = packed[0].files.map((file) => file.path);

    const installed = join(consumer, 'node_modules', 'nestjs-apikit');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    run('tar', ['-xzf', tarball, '-C', join(consumer, 'node_modules')], work, 60_000);
    renameSync(join(consumer, 'node_modules', 'package'), installed);
    copyFileSync(join(FIXTURE, 'consumer-main.ts'), join(consumer, 'consumer-main.ts'));
    copyFileSync(join(FIXTURE, 'tsconfig.consumer.json'), join(consumer, 'tsconfig.json'));
    copyFileSync(join(FIXTURE, 'package.consumer.json'), join(consumer, 'package.json'));
  }, 300_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('ships the compiled library with its declarations, and no specs, tests or sample', () => {
    expect(entries).toEqual(expect.arrayContaining(['package.json', 'dist/lib/index.js', 'dist/lib/index.d.ts']));
    const shipped = entries.filter((path) => /\.(spec|e2e-spec)\.|(^|\/)(test|sample|bench)\//.test(path) || path.endsWith('.ts') && !path.endsWith('.d.ts'));
    expect(shipped).toEqual([]);
    expect(entries.every((path) => path === 'package.json' || path === 'README.md' || path.startsWith('dist/lib/'))).toBe(true);
  });

  it('compiles a consumer against its types and serves metadata, health and BackendError', () => {
    run(process.execPath, [TSC, '-p', join(consumer, 'tsconfig.json')], consumer, 180_000);
    const output = run(process.execPath, [join(consumer, 'dist', 'consumer-main.js')], consumer, 60_000);
    const result = JSON.parse(output.trim().split('\n').pop() ?? '') as Record<string, unknown>;
    expect(result).toEqual({
      metadataStatus: 200,
      metadata: {
        name: 'consumer',
        version: '1.2.3',
        repository: 'https://example.com/consumer',
        description: 'Consumer of the packed tarball',
        api_version: '1.0',
        auth: 'none',
      },
      failStatus: 502,
      failBody: { reason: 'bad horse', status_code: 502, error_content: 'thoroughbred of sin' },
      health: 'OK',
    });
    expect(readFileSync(join(consumer, 'node_modules', 'nestjs-apikit', 'package.json'), 'utf8')).toContain('"name": "nestjs-apikit"');
  });
});
