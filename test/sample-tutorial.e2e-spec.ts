// README.md's "Your own microservice in five minutes", run as printed: every file it shows is written
// into a scratch project, every command it shows is run there in order, on the Node running this test.
// The one difference from a reader's run: `npm install nestjs-apikit` installs this repository packed
// (its next release) instead of the registry's (with npm's --prefer-offline --no-audit --no-fund, which
// change speed and noise, not the result). A server command (`npm start`) stays up while the next
// block's commands (the curls) run, then gets a Ctrl-C (SIGINT), as the tutorial says.
import { connect } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, packRepository, runLine, signalGroup, startLine, tutorialSteps, type Finished } from './fixtures/tutorial.fixture.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEADING = '## Your own microservice in five minutes';
// What the tutorial's src/main.ts listens on without PORT, and its curls call.
const PORT = 5000;
const PACK_TIMEOUT_MS = 120_000;
const INSTALL_TIMEOUT_MS = 240_000;
const COMMAND_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 30_000;

const steps = tutorialSteps(readFileSync(join(ROOT, 'README.md'), 'utf8'), HEADING);

/** The reader's command with this test's one difference: nestjs-apikit from the tarball; and npm's quiet, cache-first flags. */
function asRun(line: string, tarball: string): string {
  if (!/^npm install\b/.test(line)) return line;
  return `${line.replace(/(?<=\s)nestjs-apikit(?=\s|$)/, tarball)} --prefer-offline --no-audit --no-fund`;
}

/** Whether something accepts connections on the port (bounded by a short timeout). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', timeout: 1000 });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
  });
}

/** The server command, started and awaited until it listens (its output kept for the error); fails if it exits first. */
async function startServer(line: string, cwd: string): Promise<{ child: ChildProcess; exited: Promise<string> }> {
  // The port is fixed (the curls name it): on a shared machine, give whoever holds it a moment to let go.
  for (const deadline = Date.now() + START_TIMEOUT_MS; await listening(PORT); ) {
    if (Date.now() > deadline) throw new Error(`port ${PORT} is in use: the tutorial's service needs it`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const child = startLine(line, cwd);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let gone = false;
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`${code} ${signal}`)));
  void exited.then(() => (gone = true));
  for (const deadline = Date.now() + START_TIMEOUT_MS; !(await listening(PORT)); ) {
    if (gone || Date.now() > deadline) {
      signalGroup(child, 'SIGKILL');
      throw new Error(`\`${line}\` did not listen on ${PORT} within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, exited };
}

/**
 * The reader's Ctrl-C: SIGINT to the server's process group, as a terminal sends it to the foreground job
 * (npm and the node it runs). Resolves once nothing of the group is left, or after 10 s with what remains killed.
 */
async function stop(server: Awaited<ReturnType<typeof startServer>>): Promise<{ npm: string; orphans: boolean }> {
  signalGroup(server.child, 'SIGINT');
  const alive = () => {
    try {
      process.kill(-server.child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const deadline = Date.now() + 10_000; alive() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  const orphans = alive();
  if (orphans) signalGroup(server.child, 'SIGKILL');
  return { npm: await server.exited, orphans };
}

describe(`README: ${HEADING.slice(3)}`, () => {
  let work: string;
  /** Every command the tutorial printed, with what it gave, in order. */
  const ran: Array<{ line: string } & Finished> = [];
  let stopped: Awaited<ReturnType<typeof stop>> | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'apikit-tutorial-'));
  });
  afterAll(() => {
    killAll();
    rmSync(work, { recursive: true, force: true });
  });

  it('names each file it shows and has commands to run', () => {
    expect(steps.filter((step) => step.kind === 'file').map((step) => step.path)).toEqual(
      expect.arrayContaining(['package.json', 'tsconfig.json', 'src/main.ts', 'src/app.module.ts', 'test/app.e2e-spec.ts']),
    );
    expect(steps.some((step) => step.kind === 'commands' && step.lines.some((line) => /^npm install\b.*\snestjs-apikit(\s|$)/.test(line)))).toBe(true);
  });

  it(
    'runs as printed, from an empty directory to a passing npm test',
    async () => {
      const tarball = await packRepository(ROOT, work, PACK_TIMEOUT_MS);
      let cwd = join(work, 'reader');
      mkdirSync(cwd);
      let server: Awaited<ReturnType<typeof startServer>> | undefined;

      for (const step of steps) {
        if (step.kind === 'file') {
          mkdirSync(dirname(join(cwd, step.path)), { recursive: true });
          writeFileSync(join(cwd, step.path), step.content);
          continue;
        }
        // A server left up by the block before serves this block only.
        const serving = server;
        server = undefined;
        for (const line of step.lines) {
          if (/\bnpm start\b/.test(line)) {
            server = await startServer(line, cwd);
            continue;
          }
          // `cd` lasts beyond its line, as in the reader's shell: the line reports where it ended.
          const command = `${asRun(line, tarball)} && pwd >&3`;
          const result = await runLine(`exec 3>${JSON.stringify(join(work, 'cwd'))}; ${command}`, cwd, /^npm install\b/.test(line) ? INSTALL_TIMEOUT_MS : COMMAND_TIMEOUT_MS);
          ran.push({ line, ...result });
          if (result.code !== 0) throw new Error(`\`${line}\` failed (exit ${result.code}):\n${result.output}`);
          cwd = readFileSync(join(work, 'cwd'), 'utf8').trim();
        }
        if (serving) stopped = await stop(serving);
      }
      if (server) throw new Error('the tutorial ends with its service still running: no commands follow `npm start`');
    },
    PACK_TIMEOUT_MS + INSTALL_TIMEOUT_MS * 2 + COMMAND_TIMEOUT_MS * 4,
  );

  /** What the tutorial says a command gives, checked against what it gave. */
  const output = (pattern: RegExp): string => {
    const found = ran.find((result) => pattern.test(result.line));
    if (!found) throw new Error(`the tutorial ran no command matching ${pattern} (did the run above stop early?)`);
    return found.stdout;
  };

  it('serves its metadata and the health check', () => {
    expect(JSON.parse(output(/^curl http:\/\/localhost:5000\/mymicroservice\/metadata$/))).toMatchObject({ name: 'uservice-mymicroservice', auth: 'bitly-proxy' });
    expect(output(/^curl http:\/\/localhost:5000\/$/)).toBe('OK');
  });

  it('answers the metric with what the tutorial says, when BACKEND_URL is no real proxy', () => {
    const answer = output(/^curl -u \S+ http:\/\/localhost:5000\/mymicroservice\/buildmyapp\/time$/);
    // A reader's resolver says ENOTFOUND for the example host; a machine without DNS may say EAI_AGAIN.
    expect(JSON.parse(answer)).toEqual({
      reason: 'Bad Gateway',
      status_code: 502,
      error_content: expect.stringMatching(/^Could not reach the proxy \((ENOTFOUND|EAI_AGAIN)\)\. \(request [\w-]+\)$/),
    });
  });

  it('stops on Ctrl-C, leaving no process behind', () => {
    // npm itself ends by the signal (as in a terminal); the service under it must be gone too.
    expect(stopped).toEqual({ npm: expect.stringMatching(/^(0 null|130 null|null SIGINT)$/), orphans: false });
  });

  it("passes its own test, every test of it", () => {
    const tests = steps.flatMap((step) => (step.kind === 'file' && step.path.startsWith('test/') ? [...step.content.matchAll(/^\s*it\(/gm)] : []));
    const result = output(/^npm test$/);
    // node --test's summary, from its spec reporter (ℹ) or, on some Nodes off a terminal, TAP (#).
    expect(result).toMatch(/^[ℹ#] fail 0$/m);
    expect(result).toMatch(new RegExp(`^[ℹ#] pass ${tests.length}$`, 'm'));
  });
});
