import { builtinModules } from 'node:module';

export const AUTH_CHOICES = ['bitly-proxy', 'basic', 'none'] as const;
export const ADAPTER_CHOICES = ['express', 'fastify'] as const;

/** What cookiecutter asked (SQR-015's quick start), answered. */
export interface ProjectAnswers {
  /** npm package name, Kubernetes object name and image name, e.g. `uservice-weather`. */
  name: string;
  description: string;
  repository: string;
  /** The ingress path prefix, e.g. `/weather`. */
  prefix: string;
  auth: (typeof AUTH_CHOICES)[number];
  adapter: (typeof ADAPTER_CHOICES)[number];
  /** Where the project is written. */
  dir: string;
}

/**
 * Kubernetes names its objects with RFC 1123 DNS labels (63 characters), and `<name>-redis` must be
 * one too. A label is also a valid npm package name, except Node's core module names, so no npm
 * name validator is needed: the generator runs on node: builtins alone.
 */
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME_LENGTH = 63 - '-redis'.length;
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** The problems of a name, each a sentence; empty when it is usable. */
export function nameProblems(name: string): string[] {
  if (name === '') return ['the name is empty'];
  const problems: string[] = [];
  if (!DNS_LABEL.test(name)) {
    const capitals = /[A-Z]/.test(name) ? ' (npm package names hold no capital letters either)' : '';
    problems.push(
      `${JSON.stringify(name)} is not an RFC 1123 DNS label, which Kubernetes requires of its object names: lower-case letters, digits and "-" only, starting and ending with a letter or digit${capitals}`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) problems.push(`the name is longer than ${MAX_NAME_LENGTH} characters (Kubernetes names hold 63, "-redis" included)`);
  if (builtinModules.includes(name)) problems.push(`${JSON.stringify(name)} is a Node.js core module name, which npm refuses as a package name`);
  return problems;
}

export function defaultPrefix(name: string): string {
  return `/${name.replace(/^uservice-/, '')}`;
}

/** Each answer's check, on its own: a terminal asks again for the one answer that is wrong. */
export const ANSWER_CHECKS: { readonly [K in keyof ProjectAnswers]: (value: string) => string | undefined } = {
  name: (name) => (nameProblems(name).length > 0 ? nameProblems(name).join('; ') : undefined),
  description: (text) => (text.trim() === '' || /[\r\n]/.test(text) ? 'one non-empty line' : undefined),
  repository: (url) => (isHttpUrl(url) ? undefined : `an absolute http(s) URL, got ${JSON.stringify(url)}`),
  prefix: (prefix) =>
    PREFIX.test(prefix) && !prefix.split('/').some((segment) => /^\.+$/.test(segment))
      ? undefined
      : `a path such as /weather (segments of letters, digits, ".", "_", "~", "-", not dots alone; not / alone), got ${JSON.stringify(prefix)}`,
  auth: (auth) => ((AUTH_CHOICES as readonly string[]).includes(auth) ? undefined : `one of ${AUTH_CHOICES.join(', ')}, got ${JSON.stringify(auth)}`),
  adapter: (adapter) =>
    (ADAPTER_CHOICES as readonly string[]).includes(adapter) ? undefined : `one of ${ADAPTER_CHOICES.join(', ')}, got ${JSON.stringify(adapter)}`,
  dir: (dir) => (dir.trim() === '' ? 'a directory' : undefined),
};

/** Every problem of the answers at once, each naming its flag. */
export function answerProblems(answers: ProjectAnswers): string[] {
  const problems = nameProblems(answers.name).map((problem) => `<name>: ${problem}`);
  for (const field of ['description', 'repository', 'prefix', 'auth', 'adapter', 'dir'] as const) {
    const problem = ANSWER_CHECKS[field](answers[field]);
    if (problem !== undefined) problems.push(`--${field}: ${problem}`);
  }
  return problems;
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol, hostname } = new URL(text);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
}
