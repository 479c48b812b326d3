#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseCommandLine, USAGE, type Flags } from './command-line.js';
import { nextSteps } from './next-steps.js';
import { tarballNpxRanFrom } from './npx-tarball.js';
import { enclosingApikitCheckout, runsFromCheckout } from './own-checkout.js';
import { findPackageRoot, readOwnPackage } from './own-package.js';
import { answerProblems, type ProjectAnswers } from './project-answers.js';
import { askAnswers, defaultAnswers } from './project-questions.js';
import { renderProject } from './project.renderer.js';
import { DirectoryNotEmptyError, writeProject } from './project.writer.js';
import type { VendoredTarball } from './vendored-apikit.parts.js';

/** `nestjs-apikit new <name> ...`: returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const packageRoot = findPackageRoot();
  const own = readOwnPackage(packageRoot);
  if (command.kind === 'version') {
    process.stdout.write(`${own.version}\n`);
    return 0;
  }
  const { flags, name: givenName, answerFlagCount } = command;
  // Prompts only for a person at a terminal who gave no answers on the command line; never in CI.
  const interactive = answerFlagCount === 0 && process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!interactive && givenName === undefined) {
    process.stderr.write(`Missing the name of the service.\n\n${USAGE}\n`);
    return 2;
  }
  const tarball = await readTarball(flags.apikit ?? tarballNpxRanFrom(packageRoot, own.name));
  if (typeof tarball === 'string') {
    process.stderr.write(`Cannot create the project:\n- ${tarball}\n`);
    return 1;
  }
  const answers = interactive ? await askAnswers(givenName) : withFlags(givenName ?? '', flags);
  const problems = answerProblems(answers);
  if (problems.length > 0) {
    process.stderr.write(`Cannot create the project:\n- ${problems.join('\n- ')}\n`);
    return 1;
  }
  const checkout = flags.dir === undefined ? enclosingApikitCheckout(resolve(answers.dir)) : undefined;
  if (checkout !== undefined) {
    process.stderr.write(
      `Warning: ${resolve(answers.dir)} is inside nestjs-apikit's own checkout (${checkout}): there the project would find packages it does not declare\n` +
        `in the checkout's node_modules, and git would count it as part of this repository. Choose a place outside with --dir, e.g. --dir ../${answers.name}.\n`,
    );
  }
  let dir: string;
  try {
    dir = await writeProject(answers.dir, renderProject(answers, { packageRoot, apikitTarball: tarball }));
  } catch (error) {
    process.stderr.write(`Cannot create the project: ${(error as Error).message}\n`);
    return error instanceof DirectoryNotEmptyError ? 1 : 70;
  }
  const source = tarball === undefined ? '' : `, nestjs-apikit from vendor/${tarball.fileName}`;
  process.stdout.write(`Created ${answers.name} in ${dir} (auth ${answers.auth}, ${answers.adapter}, prefix ${answers.prefix}${source}).\n`);
  const unpublishedVersion = tarball === undefined && runsFromCheckout(packageRoot) ? own.version : undefined;
  if (flags.install) {
    process.stdout.write('Installing its dependencies (npm install)...\n');
    const code = await run('npm', ['install', '--no-fund', '--no-audit'], dir);
    if (code !== 0) {
      const hint = unpublishedVersion === undefined ? '' : ` If nestjs-apikit@^${unpublishedVersion} is not on your registry, generate again with --apikit <tarball>.`;
      process.stderr.write(`npm install failed (exit ${code}); the project is complete: run npm install in ${dir} again.${hint}\n`);
      return code;
    }
  }
  process.stdout.write(nextSteps({ dir, installed: flags.install, vendoredApikit: tarball?.fileName, unpublishedVersion }));
  return 0;
}

function withFlags(name: string, flags: Flags): ProjectAnswers {
  const defaults = defaultAnswers(name);
  return {
    name,
    description: flags.description ?? defaults.description,
    repository: flags.repository ?? defaults.repository,
    prefix: flags.prefix ?? defaults.prefix,
    auth: flags.auth ?? defaults.auth,
    adapter: flags.adapter ?? defaults.adapter,
    dir: flags.dir ?? defaults.dir,
  };
}

/** The `--apikit` tarball, read before any question is asked; a string says what is wrong with it. */
async function readTarball(path: string | undefined): Promise<VendoredTarball | string | undefined> {
  if (path === undefined) return undefined;
  const fileName = basename(path);
  if (!/^[\w.-]+\.tgz$/.test(fileName)) return `--apikit: a tarball made by npm pack (nestjs-apikit-<version>.tgz), got ${JSON.stringify(path)}`;
  try {
    return { fileName, content: await readFile(path) };
  } catch (error) {
    return `--apikit: cannot read ${resolve(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

function run(command: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolveExit) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', () => resolveExit(127));
    child.once('exit', (code) => resolveExit(code ?? 1));
  });
}

process.exitCode = await main(process.argv.slice(2));
