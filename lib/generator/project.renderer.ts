import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deploymentReadme, entriesLeftOut, includesFile } from './auth-specific.parts.js';
import { withoutEntries } from './manifest-entries.js';
import type { ProjectAnswers } from './project-answers.js';
import { replaceTokens, templateTokens } from './template-tokens.js';

/** One file of a generated project, relative to its directory. */
export interface ProjectFile {
  path: string;
  content: string;
}

/** Template files whose published name npm would drop or a tool would pick up, renamed when written. */
const RENAMED: Readonly<Record<string, string>> = {
  gitignore: '.gitignore',
  dockerignore: '.dockerignore',
  'test/app.e2e-spec.ts.template': 'test/app.e2e-spec.ts',
};

/**
 * The whole project, in memory: the sample's sources (`sample/**` → `src/**`, its manifests →
 * `kubernetes/`) with the sample's answers replaced by the user's, the project files of
 * `templates/project` with their `{{placeholders}}` filled, and a package.json. Nothing is written.
 */
export function renderProject(answers: ProjectAnswers, packageRoot = findPackageRoot()): ProjectFile[] {
  const tokens = templateTokens(answers);
  const used = new Set<string>();
  const files: ProjectFile[] = [];
  const sampleDir = join(packageRoot, 'sample');
  for (const file of listFiles(sampleDir)) {
    const path = relative(sampleDir, file);
    if (path.endsWith('.spec.ts') || path === 'Dockerfile') continue; // its specs use this repository's jest; its Dockerfile builds this repository
    const target = path.startsWith('kubernetes/') ? path : join('src', path);
    const content = replaceTokens(readFileSync(file, 'utf8'), tokens, used); // tokens count as used even in a file left out
    if (!includesFile(answers, target)) continue;
    const leftOut = entriesLeftOut(answers, target);
    files.push({ path: target, content: leftOut.length === 0 ? content : withoutEntries(content, leftOut, `sample/${path}`) });
  }
  const unused = tokens.filter(([token]) => !used.has(token)).map(([token]) => token);
  if (unused.length > 0) throw new Error(`the sample no longer holds these template tokens: ${unused.join(', ')}`);
  const leftover = files.find((file) => file.content.includes('mymicroservice'));
  if (leftover) throw new Error(`${leftover.path} still names the sample's service after rendering`);

  const templateDir = join(packageRoot, 'templates', 'project');
  const own = readOwnPackage(packageRoot);
  const values: Record<string, string> = { ...answers, ...deploymentReadme(answers), apikitVersion: own.version };
  for (const file of listFiles(templateDir)) {
    const path = relative(templateDir, file);
    files.push({ path: RENAMED[path] ?? path, content: fillPlaceholders(readFileSync(file, 'utf8'), values, path) });
  }
  files.push({ path: 'package.json', content: `${JSON.stringify(projectPackageJson(answers, own), null, 2)}\n` });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

interface OwnPackage {
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Dependencies at the ranges this package itself is built and tested with. */
function projectPackageJson(answers: ProjectAnswers, own: OwnPackage): object {
  const peer = (name: string): string => own.peerDependencies[name] ?? own.devDependencies[name];
  const platform = `@nestjs/platform-${answers.adapter}`;
  return {
    name: answers.name,
    version: '0.1.0',
    description: answers.description,
    private: true,
    type: 'module',
    repository: answers.repository,
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      start: 'npm run build && node dist/src/main.js',
      'start:prod': 'node dist/src/main.js',
      test: 'npm run build && node --test dist/test/',
    },
    dependencies: {
      '@nestjs/common': peer('@nestjs/common'),
      '@nestjs/core': peer('@nestjs/core'),
      [platform]: peer('@nestjs/platform-fastify'), // the platforms share Nest's major
      'class-transformer': own.devDependencies['class-transformer'],
      'class-validator': peer('class-validator'),
      'nestjs-apikit': `^${own.version}`,
      redis: peer('redis'),
      'reflect-metadata': peer('reflect-metadata'),
      rxjs: peer('rxjs'),
    },
    devDependencies: {
      '@types/node': own.devDependencies['@types/node'],
      typescript: own.devDependencies.typescript,
    },
  };
}

function fillPlaceholders(text: string, values: Record<string, string>, path: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`templates/project/${path}: unknown placeholder {{${key}}}`);
    return values[key];
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function readOwnPackage(packageRoot: string): OwnPackage {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as OwnPackage;
}

/** This package's root (sources or dist alike): the nearest directory above holding `templates/project`. */
function findPackageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'project'))) return dir;
    if (dirname(dir) === dir) throw new Error('nestjs-apikit: its templates/project directory is missing from the package');
  }
}
