import validateNpmPackageName from 'validate-npm-package-name';

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

/** Kubernetes names are DNS-1123 labels (63 characters), and `<name>-redis` must be one too. */
const KUBERNETES_NAME = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME_LENGTH = 63 - '-redis'.length;
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)+$/;

/** The problems of a name, each a sentence; empty when it is usable. */
export function nameProblems(name: string): string[] {
  const npm = validateNpmPackageName(name);
  const problems = [...(npm.errors ?? []), ...(npm.warnings ?? [])].map((problem) => `${problem} (npm package name rules)`);
  if (problems.length > 0) return problems;
  if (!KUBERNETES_NAME.test(name)) {
    problems.push('the name may hold lower-case letters, digits and "-" only, starting and ending with a letter or digit (it names the Kubernetes objects)');
  }
  if (name.length > MAX_NAME_LENGTH) problems.push(`the name is longer than ${MAX_NAME_LENGTH} characters (Kubernetes names hold 63, "-redis" included)`);
  return problems;
}

export function defaultPrefix(name: string): string {
  return `/${name.replace(/^uservice-/, '')}`;
}

/** Every problem of the answers at once, each naming its flag. */
export function answerProblems(answers: ProjectAnswers): string[] {
  const problems = nameProblems(answers.name).map((problem) => `<name>: ${problem}`);
  if (answers.description.trim() === '' || /[\r\n]/.test(answers.description)) problems.push('--description: one non-empty line');
  if (!isHttpUrl(answers.repository)) problems.push(`--repository: an absolute http(s) URL, got ${JSON.stringify(answers.repository)}`);
  if (!PREFIX.test(answers.prefix) || answers.prefix.split('/').some((segment) => /^\.+$/.test(segment))) {
    problems.push(`--prefix: a path such as /weather (segments of letters, digits, ".", "_", "~", "-", not dots alone; not / alone), got ${JSON.stringify(answers.prefix)}`);
  }
  if (!(AUTH_CHOICES as readonly string[]).includes(answers.auth)) problems.push(`--auth: one of ${AUTH_CHOICES.join(', ')}, got ${JSON.stringify(answers.auth)}`);
  if (!(ADAPTER_CHOICES as readonly string[]).includes(answers.adapter)) {
    problems.push(`--adapter: one of ${ADAPTER_CHOICES.join(', ')}, got ${JSON.stringify(answers.adapter)}`);
  }
  if (answers.dir.trim() === '') problems.push('--dir: a directory');
  return problems;
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol, hostname } = new URL(text);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
}
