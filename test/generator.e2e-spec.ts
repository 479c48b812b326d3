// The generator as a newcomer uses it: `npx nestjs-apikit new <name>` (the package's bin, from dist/),
// then the generated project installed against this package packed as a tarball (the registry for
// everything else), its own `npm test`, and the service started and called over loopback.
// `npm test` builds dist/ before jest runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/lib/generator/generator.cli.js');
const COMMAND_TIMEOUT_MS = 20_000;
const INSTALL_TIMEOUT_MS = 240_000;
const PROJECT_TEST_TIMEOUT_MS = 120_000;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

/** A fresh shell's environment: none of the outer npm's `npm_*` settings, nor the test run's NODE_OPTIONS and extra CA. */
function shellEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_OPTIONS$|NODE_EXTRA_CA_CERTS$|INIT_CWD$)/i.test(key)));
  return { ...env, ...extra };
}

/** Runs a command to its end, or kills its whole process group after `timeoutMs`. */
function run(command: string, args: string[], cwd: string, timeoutMs: number, options: { keepStdinOpen?: boolean } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: shellEnvironment(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    running.add(child);
    if (!options.keepStdinOpen) child.stdin!.end();
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

const generate = (cwd: string, args: string[], options?: { keepStdinOpen?: boolean }) =>
  run(process.execPath, [CLI, 'new', ...args], cwd, COMMAND_TIMEOUT_MS, options);

let work: string;
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(join(tmpdir(), 'apikit-generator-'));
});
afterAll(() => {
  for (const child of running) killGroup(child);
  rmSync(work, { recursive: true, force: true });
});

describe('npx nestjs-apikit new: the command', () => {
  let cwd: string;
  let count = 0;
  beforeEach(() => {
    cwd = join(work, `command-${++count}`);
    mkdirSync(cwd);
  });

  it('prints its usage with --help, and refuses an unknown option with it', async () => {
    const help = await run(process.execPath, [CLI, '--help'], cwd, COMMAND_TIMEOUT_MS);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npx nestjs-apikit new <name>/);
    for (const flag of ['--description', '--repository', '--prefix', '--auth', '--adapter', '--dir', '--no-install']) expect(help.stdout).toContain(flag);
    const unknown = await generate(cwd, ['uservice-x', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'[\s\S]*Usage:/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('writes a project with the defaults, asking nothing without a terminal (standard input left open)', async () => {
    const result = await generate(cwd, ['uservice-weather', '--no-install'], { keepStdinOpen: true });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created uservice-weather in ${join(cwd, 'uservice-weather')} (auth bitly-proxy, express, prefix /weather)`);
    const project = join(cwd, 'uservice-weather');
    const read = (path: string) => readFileSync(join(project, path), 'utf8');
    expect(read('src/apikit-options.factory.ts')).toContain("route: ['/', '/weather'],");
    expect(read('src/apikit-options.factory.ts')).toContain("repository: 'https://github.com/lsst-sqre/uservice-weather',");
    expect(read('src/config/service-environment.schema.ts')).toMatch(/DEFAULT_AUTH_TYPE: .* = 'bitly-proxy'[\s\S]*DEFAULT_HTTP_ADAPTER: .* = 'express'/);
    expect(JSON.parse(read('package.json'))).toMatchObject({ name: 'uservice-weather', dependencies: { '@nestjs/platform-express': expect.any(String) } });
    expect(readdirSync(project).sort()).toEqual(
      ['.dockerignore', '.gitignore', 'Dockerfile', 'README.md', 'kubernetes', 'nest-cli.json', 'package.json', 'src', 'test', 'tsconfig.json'].sort(),
    );
    expect(readdirSync(cwd)).toEqual(['uservice-weather']); // no staging directory left behind
  });

  it('refuses an invalid name, saying why by npm rules, and writes nothing', async () => {
    const result = await generate(cwd, ['Bad_Name', '--no-install']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('<name>: name can no longer contain capital letters (npm package name rules)');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('names every wrong flag at once, and writes nothing', async () => {
    const result = await generate(cwd, ['uservice-x', '--auth', 'kerberos', '--adapter', 'koa', '--prefix', 'weather', '--repository', 'nowhere']);
    expect(result.code).toBe(1);
    for (const flag of ['--auth: one of bitly-proxy, basic, none, got "kerberos"', '--adapter: one of express, fastify, got "koa"', '--prefix:', '--repository:']) {
      expect(result.stderr).toContain(flag);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a name missing without a terminal to ask it', async () => {
    const result = await generate(cwd, ['--no-install']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Missing the name of the service.');
  });

  it('refuses to write into a non-empty directory, and leaves it untouched', async () => {
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'notes.txt'), 'mine');
    const result = await generate(cwd, ['uservice-x', '--dir', 'taken', '--no-install']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(cwd, 'taken')} already exists and is not empty`);
    expect(readdirSync(cwd)).toEqual(['taken']);
    expect(readdirSync(join(cwd, 'taken'))).toEqual(['notes.txt']);
  });

  it('asks for each answer in a terminal, again for a wrong name, and uses the answers', async () => {
    // script(1) gives the command a pseudo-terminal; each answer is typed once its question shows.
    const answers: Array<[question: RegExp, answer: string]> = [
      [/Service name \(e\.g\. uservice-weather\): $/, 'Bad_Name'],
      [/capital letters[\s\S]*Service name \(e\.g\. uservice-weather\): $/, 'uservice-typed'],
      [/Description \[A microservice\]: $/, 'Typed in a terminal'],
      [/Repository \[https:\/\/github\.com\/lsst-sqre\/uservice-typed\]: $/, ''],
      [/Ingress path prefix \[\/typed\]: $/, '/typed/v1'],
      [/Backend auth \(bitly-proxy, basic, none\) \[bitly-proxy\]: $/, 'none'],
      [/HTTP platform \(express, fastify\) \[express\]: $/, 'fastify'],
      [/Directory \[\.\/uservice-typed\]: $/, ''],
    ];
    const child = spawn('script', ['-q', '-e', '-c', `${process.execPath} ${CLI} new --no-install`, '/dev/null'], {
      cwd,
      env: shellEnvironment({ TERM: 'dumb' }),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let screen = '';
    let next = 0;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
      const shown = screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex
      if (next < answers.length && answers[next][0].test(shown)) {
        screen = '';
        child.stdin!.write(`${answers[next++][1]}\n`);
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        killGroup(child);
        reject(new Error(`the prompts stopped after ${next} answers:\n${screen}`));
      }, COMMAND_TIMEOUT_MS);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        running.delete(child);
        resolve(exitCode);
      });
    });
    expect([code, next]).toEqual([0, answers.length]);
    const project = join(cwd, 'uservice-typed');
    const options = readFileSync(join(project, 'src/apikit-options.factory.ts'), 'utf8');
    expect(options).toContain("description: 'Typed in a terminal',");
    expect(options).toContain("repository: 'https://github.com/lsst-sqre/uservice-typed',");
    expect(options).toContain("route: ['/', '/typed/v1'],");
    expect(readFileSync(join(project, 'src/config/service-environment.schema.ts'), 'utf8')).toMatch(/= 'none'[\s\S]*= 'fastify'/);
  });
});

const AUTH_TYPES = ['bitly-proxy', 'basic', 'none'] as const;
const ADAPTERS = ['express', 'fastify'] as const;

/** The answers of each generated project: one with a description that needs escaping, one with a deeper prefix. */
function projectArgs(auth: string, adapter: string): { name: string; prefix: string; args: string[] } {
  const name = `uservice-gen-${auth}-${adapter}`;
  if (auth === 'bitly-proxy' && adapter === 'fastify') {
    return { name, prefix: '/gen/v1', args: ['--prefix', '/gen/v1', '--description', `SQuaRE's "metrics" \\ bot`] };
  }
  return { name, prefix: `/gen-${auth}-${adapter}`, args: [] };
}

describe('generated projects, installed against this package packed as a tarball', () => {
  let tarball: string;

  beforeAll(async () => {
    const packed = await run('npm', ['pack', '--json', '--pack-destination', work], ROOT, COMMAND_TIMEOUT_MS * 3);
    expect(packed.code).toBe(0);
    tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0].filename);
  }, COMMAND_TIMEOUT_MS * 3);

  describe.each(ADAPTERS)('on %s', (adapter) => {
    const dirOf = (auth: string) => join(work, `projects-${adapter}`, projectArgs(auth, adapter).name);

    // One install per adapter (the first auth type's project); the others share its node_modules.
    beforeAll(async () => {
      mkdirSync(join(work, `projects-${adapter}`));
      for (const auth of AUTH_TYPES) {
        const { name, args } = projectArgs(auth, adapter);
        const result = await generate(join(work, `projects-${adapter}`), [name, '--auth', auth, '--adapter', adapter, '--no-install', ...args]);
        expect(result).toMatchObject({ code: 0, stderr: '' });
      }
      const first = dirOf(AUTH_TYPES[0]);
      const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], first, INSTALL_TIMEOUT_MS);
      if (install.code !== 0) throw new Error(`npm install failed (${install.code}):\n${install.stdout}\n${install.stderr}`);
      const other = adapter === 'express' ? 'fastify' : 'express';
      expect(existsSync(join(first, 'node_modules', '@nestjs', `platform-${adapter}`))).toBe(true);
      expect(existsSync(join(first, 'node_modules', '@nestjs', `platform-${other}`))).toBe(false); // only the chosen platform
      for (const auth of AUTH_TYPES.slice(1)) symlinkSync(join(first, 'node_modules'), join(dirOf(auth), 'node_modules'), 'dir');
    }, INSTALL_TIMEOUT_MS + COMMAND_TIMEOUT_MS * AUTH_TYPES.length);

    it.each(AUTH_TYPES)(
      '--auth %s: the project builds and its own npm test passes',
      async (auth) => {
        const result = await run('npm', ['test'], dirOf(auth), PROJECT_TEST_TIMEOUT_MS);
        if (result.code !== 0) throw new Error(`npm test failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
        expect(result.stdout).toMatch(/^# fail 0$/m);
        expect(result.stdout).toMatch(auth === 'none' ? /^# pass 4$/m : /^# pass 5$/m);
      },
      PROJECT_TEST_TIMEOUT_MS,
    );

    it.each(AUTH_TYPES)(
      '--auth %s: starts in demo mode and answers metadata, health, its route and errors over loopback, then stops on SIGTERM',
      async (auth) => {
        const { name, prefix } = projectArgs(auth, adapter);
        const service = await startService(dirOf(auth), prefix);
        try {
          const metadata = await fetch(`${service.url}${prefix}/metadata`);
          expect(metadata.status).toBe(200);
          expect(await metadata.json()).toMatchObject({ name, version: '0.1.0', auth, api_version: '1.0' });
          const health = await fetch(`${service.url}/`);
          expect([health.status, await health.text()]).toEqual([200, 'OK']);
          const credentials = { authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };
          const metric = await fetch(`${service.url}${prefix}/buildmyapp/time`, { headers: auth === 'none' ? {} : credentials });
          expect(metric.status).toBe(200);
          expect(await metric.json()).toMatchObject({ jobname: 'buildmyapp', metric: 'time' });
          if (auth !== 'none') {
            const refused = await fetch(`${service.url}${prefix}/buildmyapp/time`);
            expect(refused.status).toBe(401);
            expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
            expect(await refused.json()).toMatchObject({ reason: 'Unauthorized', status_code: 401 });
          }
          const missing = await fetch(`${service.url}${prefix}/no/such/route`);
          expect(missing.status).toBe(404);
          expect(await missing.json()).toEqual({ reason: 'Not Found', status_code: 404, error_content: `Cannot GET ${prefix}/no/such/route` });
        } finally {
          service.child.kill('SIGTERM');
        }
        expect(await service.exited).toBe(0);
      },
      COMMAND_TIMEOUT_MS * 2,
    );
  });
});

/** `npm run start:prod` as the Dockerfile runs it (node directly), in demo mode on an ephemeral port. */
async function startService(dir: string, prefix: string): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: dir,
    env: shellEnvironment({ PORT: '0', HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const banner = new RegExp(`curl (?:-u demo:demo )?(http://127\\.0\\.0\\.1:\\d+)${prefix.replace(/[.]/g, '\\.')}/buildmyapp/time\\n`);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no demo banner within ${COMMAND_TIMEOUT_MS} ms:\n${out}\n${err}`)), COMMAND_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = banner.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => reject(new Error(`the service exited (${code}) before its banner:\n${out}\n${err}`)));
  });
  return { child, url, exited };
}
