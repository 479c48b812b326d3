#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ADAPTER_CHOICES, AUTH_CHOICES, answerProblems, defaultPrefix, nameProblems, type ProjectAnswers } from './project-answers.js';
import { renderProject } from './project.renderer.js';
import { DirectoryNotEmptyError, writeProject } from './project.writer.js';

const USAGE = `Usage: npx nestjs-apikit new <name> [options]

Writes a new microservice project (SQR-015's uservice-bootstrap) into ./<name>.

Options:
  --description <text>   one line for the metadata      (default "A microservice")
  --repository <url>     its source repository           (default https://github.com/lsst-sqre/<name>)
  --prefix <path>        the ingress path prefix          (default /<name without "uservice-">)
  --auth <type>          bitly-proxy | basic | none       (default bitly-proxy)
  --adapter <name>       express | fastify                (default express)
  --dir <path>           where to write the project       (default ./<name>)
  --no-install           do not run npm install
  -h, --help             this help

In a terminal, without answers on the command line, it asks for each one.`;

/** The flags that answer a question; `--no-install` does not, so it keeps the prompts. */
const ANSWER_FLAGS = new Set(['description', 'repository', 'prefix', 'auth', 'adapter', 'dir']);

type Flags = Partial<Omit<ProjectAnswers, 'name'>> & { install: boolean };

/** `nestjs-apikit new <name> ...`: returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { flags, name: givenName, answerFlagCount } = parsed;
  // Prompts only for a person at a terminal who gave no answers on the command line; never in CI.
  const interactive = answerFlagCount === 0 && process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (!interactive && givenName === undefined) {
    process.stderr.write(`Missing the name of the service.\n\n${USAGE}\n`);
    return 2;
  }
  const answers = interactive ? await ask(givenName) : withDefaults(givenName ?? '', flags);
  const problems = answerProblems(answers);
  if (problems.length > 0) {
    process.stderr.write(`Cannot create the project:\n- ${problems.join('\n- ')}\n`);
    return 1;
  }
  let dir: string;
  try {
    dir = await writeProject(answers.dir, renderProject(answers));
  } catch (error) {
    process.stderr.write(`Cannot create the project: ${(error as Error).message}\n`);
    return error instanceof DirectoryNotEmptyError ? 1 : 70;
  }
  process.stdout.write(`Created ${answers.name} in ${dir} (auth ${answers.auth}, ${answers.adapter}, prefix ${answers.prefix}).\n`);
  if (flags.install) {
    process.stdout.write('Installing its dependencies (npm install)...\n');
    const code = await run('npm', ['install', '--no-fund', '--no-audit'], dir);
    if (code !== 0) {
      process.stderr.write(`npm install failed (exit ${code}); the project is complete: run npm install in ${dir} again.\n`);
      return code;
    }
  }
  process.stdout.write(`\nNext:\n  cd ${dir}\n${flags.install ? '' : '  npm install\n'}  npm start    # demo mode: prints what to try\n  npm test\n`);
  return 0;
}

function parseCommandLine(argv: readonly string[]) {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
    options: {
      description: { type: 'string' },
      repository: { type: 'string' },
      prefix: { type: 'string' },
      auth: { type: 'string' },
      adapter: { type: 'string' },
      dir: { type: 'string' },
      install: { type: 'boolean', default: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true as const, flags: { install: true }, name: undefined, answerFlagCount: 0 };
  const [command, name, ...extra] = positionals;
  if (command !== 'new') throw new Error(command === undefined ? 'Missing the command: new' : `Unknown command: ${command}`);
  if (extra.length > 0) throw new Error(`Unexpected arguments: ${extra.join(' ')}`);
  const flags: Flags = {
    description: values.description,
    repository: values.repository,
    prefix: values.prefix,
    auth: values.auth as Flags['auth'],
    adapter: values.adapter as Flags['adapter'],
    dir: values.dir,
    install: values.install ?? true,
  };
  const answerFlagCount = tokens.filter((token) => token.kind === 'option' && ANSWER_FLAGS.has(token.name)).length;
  return { help: false as const, flags, name, answerFlagCount };
}

function withDefaults(name: string, flags: Flags): ProjectAnswers {
  return {
    name,
    description: flags.description ?? 'A microservice',
    repository: flags.repository ?? `https://github.com/lsst-sqre/${name}`,
    prefix: flags.prefix ?? defaultPrefix(name),
    auth: flags.auth ?? 'bitly-proxy',
    adapter: flags.adapter ?? 'express',
    dir: flags.dir ?? `./${name}`,
  };
}

/** The interactive questions, each with its default in brackets; a wrong name is asked again. */
async function ask(givenName: string | undefined): Promise<ProjectAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const question = async (text: string, fallback: string): Promise<string> =>
      (await rl.question(`${text} [${fallback}]: `)).trim() || fallback;
    let name = givenName ?? '';
    while (name === '' || nameProblems(name).length > 0) {
      if (name !== '') process.stdout.write(`  ${nameProblems(name).join('; ')}\n`);
      name = (await rl.question('Service name (e.g. uservice-weather): ')).trim();
    }
    const defaults = withDefaults(name, { install: true });
    return {
      name,
      description: await question('Description', defaults.description),
      repository: await question('Repository', defaults.repository),
      prefix: await question('Ingress path prefix', defaults.prefix),
      auth: (await question(`Backend auth (${AUTH_CHOICES.join(', ')})`, defaults.auth)) as ProjectAnswers['auth'],
      adapter: (await question(`HTTP platform (${ADAPTER_CHOICES.join(', ')})`, defaults.adapter)) as ProjectAnswers['adapter'],
      dir: await question('Directory', defaults.dir),
    };
  } finally {
    rl.close();
  }
}

function run(command: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', () => resolve(127));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

process.exitCode = await main(process.argv.slice(2));
