import { createInterface } from 'node:readline/promises';
import { ADAPTER_CHOICES, ANSWER_CHECKS, AUTH_CHOICES, defaultPrefix, type ProjectAnswers } from './project-answers.js';

/** The answers nobody gave: the project's defaults, which follow from its name. */
export function defaultAnswers(name: string): ProjectAnswers {
  return {
    name,
    description: 'A microservice',
    repository: `https://github.com/lsst-sqre/${name}`,
    prefix: defaultPrefix(name),
    auth: 'bitly-proxy',
    adapter: 'express',
    dir: `./${name}`,
  };
}

/**
 * The interactive questions, each with its default in brackets. A wrong answer is named and its
 * question asked again at once, rather than every problem listed after the last question.
 */
export async function askAnswers(givenName: string | undefined): Promise<ProjectAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const ask = async <K extends keyof ProjectAnswers>(field: K, text: string, fallback?: string): Promise<ProjectAnswers[K]> => {
      for (;;) {
        const typed = (await rl.question(fallback === undefined ? `${text}: ` : `${text} [${fallback}]: `)).trim();
        const answer = typed || fallback || '';
        const problem = answer === '' ? 'an answer is needed' : ANSWER_CHECKS[field](answer);
        if (problem === undefined) return answer as ProjectAnswers[K];
        process.stdout.write(`  ${problem}\n`);
      }
    };
    const givenProblem = givenName === undefined ? undefined : ANSWER_CHECKS.name(givenName);
    if (givenProblem !== undefined) process.stdout.write(`  ${givenProblem}\n`);
    const name = givenName !== undefined && givenProblem === undefined ? givenName : await ask('name', 'Service name (e.g. uservice-weather)');
    const defaults = defaultAnswers(name);
    return {
      name,
      description: await ask('description', 'Description', defaults.description),
      repository: await ask('repository', 'Repository', defaults.repository),
      prefix: await ask('prefix', 'Ingress path prefix', defaults.prefix),
      auth: await ask('auth', `Backend auth (${AUTH_CHOICES.join(', ')})`, defaults.auth),
      adapter: await ask('adapter', `HTTP platform (${ADAPTER_CHOICES.join(', ')})`, defaults.adapter),
      dir: await ask('dir', 'Directory', defaults.dir),
    };
  } finally {
    rl.close();
  }
}
