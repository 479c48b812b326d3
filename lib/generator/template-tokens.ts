import type { ProjectAnswers } from './project-answers.js';

/**
 * The project is the sample (this package's `sample/`, which is the generator's template) with the
 * sample's own answers replaced by the user's. Each token is a string that appears only where that
 * answer goes; all are replaced in one pass, so an answer that contains another token is left as written.
 * Every token must be used at least once across the project: a renamed sample line fails the
 * generator's test instead of leaving the sample's answer in a generated project.
 */
export function templateTokens(answers: ProjectAnswers): Array<[token: string, value: string]> {
  const prefixPath = answers.prefix.slice(1);
  return [
    ["'https://github.com/sqre-lsst/uservice-mymicroservice'", tsString(answers.repository)],
    ["'My delightful microservice'", tsString(answers.description)],
    ['ghcr.io/lsst-sqre/uservice-mymicroservice', `ghcr.io/${imageOwner(answers.repository)}/${answers.name}`],
    ["DEFAULT_AUTH_TYPE: (typeof AUTH_TYPES)[number] = 'bitly-proxy'", `DEFAULT_AUTH_TYPE: (typeof AUTH_TYPES)[number] = '${answers.auth}'`],
    ['AUTH_TYPE: "bitly-proxy"', `AUTH_TYPE: "${answers.auth}"`],
    ["DEFAULT_HTTP_ADAPTER: (typeof HTTP_ADAPTERS)[number] = 'express'", `DEFAULT_HTTP_ADAPTER: (typeof HTTP_ADAPTERS)[number] = '${answers.adapter}'`],
    ['uservice-mymicroservice', answers.name],
    ["'mymicroservice'", tsString(prefixPath)],
    ['/mymicroservice', answers.prefix],
    ['dist/sample/', 'dist/src/'],
  ];
}

/** Replaces every token of `text` in one pass; records which tokens were used. */
export function replaceTokens(text: string, tokens: Array<[string, string]>, used: Set<string>): string {
  const pattern = new RegExp(tokens.map(([token]) => escapeRegExp(token)).join('|'), 'g');
  const values = new Map(tokens);
  return text.replace(pattern, (token) => {
    used.add(token);
    return values.get(token)!;
  });
}

/** A TypeScript string literal quoted as Prettier would (single quotes unless that takes more escapes), so `npm run format` keeps it. */
function tsString(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\');
  const count = (quote: string) => text.split(quote).length - 1;
  return count("'") > count('"') ? `"${escaped.replace(/"/g, '\\"')}"` : `'${escaped.replace(/'/g, "\\'")}'`;
}

/** The GitHub owner of the repository, where its image is published; `lsst-sqre` for other hosts. */
function imageOwner(repository: string): string {
  const { hostname, pathname } = new URL(repository);
  const owner = pathname.split('/')[1]?.toLowerCase() ?? '';
  return hostname === 'github.com' && /^[a-z0-9-]+$/.test(owner) ? owner : 'lsst-sqre';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
