import { isAbsolute, relative } from 'node:path';

export interface NextStepsContext {
  /** Where the project was written (absolute). */
  dir: string;
  /** Whether the generator has run npm install in it. */
  installed: boolean;
  /** The vendored tarball's file name, when nestjs-apikit comes from one. */
  vendoredApikit: string | undefined;
  /** The version a registry install asks for, when it may not be published: the generator runs from a checkout. */
  unpublishedVersion: string | undefined;
}

/** The "Next:" lines the CLI prints: each one a command that works for where nestjs-apikit comes from. */
export function nextSteps(context: NextStepsContext, cwd = process.cwd()): string {
  const lines = [`cd ${shownPath(context.dir, cwd)}`];
  if (!context.installed) {
    lines.push(context.vendoredApikit === undefined ? 'npm install' : `npm install    # nestjs-apikit from vendor/${context.vendoredApikit}`);
  }
  lines.push('npm start    # demo mode: prints what to try', 'npm test');
  const notes: string[] = [];
  if (context.vendoredApikit !== undefined) {
    notes.push(`Once nestjs-apikit is on your registry: npm install nestjs-apikit, then delete vendor/ and the Dockerfile's COPY vendor lines.`);
  } else if (context.unpublishedVersion !== undefined) {
    notes.push(
      `This generator runs from a checkout: the project asks the registry for nestjs-apikit@^${context.unpublishedVersion}.`,
      'If that version is not published there, generate again with --apikit <tarball> (npm run build && npm pack, in the checkout).',
    );
  }
  return `\nNext:\n${lines.map((line) => `  ${line}\n`).join('')}${notes.map((note) => `\n${note}`).join('')}${notes.length > 0 ? '\n' : ''}`;
}

/** Relative to where the user is, when below it: what they would type. */
function shownPath(dir: string, cwd: string): string {
  const path = relative(cwd, dir);
  return path === '' ? '.' : path.startsWith('..') || isAbsolute(path) ? dir : path;
}
