import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deploymentReadme, entriesLeftOut, includesFile } from './auth-specific.parts.js';
import { withoutEntries } from './manifest-entries.js';
import { findPackageRoot, readOwnPackage } from './own-package.js';
import type { ProjectAnswers } from './project-answers.js';
import { projectPackageJson } from './project-package.js';
import { replaceTokens, templateTokens } from './template-tokens.js';
import { vendoredApikitParts, type VendoredTarball } from './vendored-apikit.parts.js';

/** One file of a generated project, relative to its directory. */
export interface ProjectFile {
  path: string;
  content: string | Buffer;
}

export interface RenderOptions {
  /** This package's root, where `sample/` and `templates/` are; found from this file by default. */
  packageRoot?: string;
  /** Unset: the project depends on nestjs-apikit from the registry. */
  apikitTarball?: VendoredTarball;
}

/** Template files whose published name npm would drop or a tool would pick up, renamed when written. */
const RENAMED: Readonly<Record<string, string>> = {
  gitignore: '.gitignore',
  dockerignore: '.dockerignore',
  prettierrc: '.prettierrc',
  // Under its own name, ESLint (v10 looks up the config beside each file) would lint templates/ with it.
  'eslint.config.mjs.template': 'eslint.config.mjs',
  'test/app.e2e-spec.ts.template': 'test/app.e2e-spec.ts',
};

/**
 * The whole project, in memory: the sample's sources (`sample/**` → `src/**`, its manifests →
 * `kubernetes/`) with the sample's answers replaced by the user's, the project files of
 * `templates/project` with their `{{placeholders}}` filled, and a package.json. Nothing is written.
 */
export function renderProject(answers: ProjectAnswers, options: RenderOptions = {}): ProjectFile[] {
  const { packageRoot = findPackageRoot(), apikitTarball } = options;
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
  const values: Record<string, string> = { ...answers, ...deploymentReadme(answers), ...vendoredApikitParts(apikitTarball) };
  for (const file of listFiles(templateDir)) {
    const path = relative(templateDir, file);
    files.push({ path: RENAMED[path] ?? path, content: fillPlaceholders(readFileSync(file, 'utf8'), values, path) });
  }
  files.push({ path: 'package.json', content: `${JSON.stringify(projectPackageJson(answers, own, apikitTarball?.fileName), null, 2)}\n` });
  if (apikitTarball) files.push({ path: `vendor/${apikitTarball.fileName}`, content: apikitTarball.content });
  return files.sort((a, b) => a.path.localeCompare(b.path));
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

