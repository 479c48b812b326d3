import { parseArgs } from 'node:util';
import type { ProjectAnswers } from './project-answers.js';

export const USAGE = `Usage: npx nestjs-apikit new <name> [options]

Writes a new microservice project (SQR-015's uservice-bootstrap) into ./<name>.

Options:
  --description <text>   one line for the metadata      (default "A microservice")
  --repository <url>     its source repository           (default https://github.com/lsst-sqre/<name>)
  --prefix <path>        the ingress path prefix          (default /<name without "uservice-">)
  --auth <type>          bitly-proxy | basic | none       (default bitly-proxy)
  --adapter <name>       express | fastify                (default express)
  --dir <path>           where to write the project       (default ./<name>)
  --apikit <tarball>     nestjs-apikit from a packed tarball (npm pack), kept in the project's vendor/
                         (the default when run as npx ./nestjs-apikit-<version>.tgz)
  --no-install           do not run npm install
  -v, --version          the generator's (and nestjs-apikit's) version
  -h, --help             this help

In a terminal, without answers on the command line, it asks for each one.`;

/** The flags that answer a question; `--apikit` and `--no-install` do not, so they keep the prompts. */
const ANSWER_FLAGS = new Set(['description', 'repository', 'prefix', 'auth', 'adapter', 'dir']);

export type Flags = Partial<Omit<ProjectAnswers, 'name'>> & { install: boolean; apikit: string | undefined };

export type CommandLine =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'new'; name: string | undefined; flags: Flags; answerFlagCount: number };

/** `new <name> [options]`, `--help` or `--version`; throws on anything else, with the reason. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
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
      apikit: { type: 'string' },
      install: { type: 'boolean', default: true },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
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
    apikit: values.apikit,
    install: values.install ?? true,
  };
  const answerFlagCount = tokens.filter((token) => token.kind === 'option' && ANSWER_FLAGS.has(token.name)).length;
  return { kind: 'new', name, flags, answerFlagCount };
}
