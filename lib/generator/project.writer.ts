import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ProjectFile } from './project.renderer.js';

/** The directory exists and holds something: the generator never writes over a user's files. */
export class DirectoryNotEmptyError extends Error {}

/**
 * Writes the project all at once: into a hidden sibling directory first, then renamed into place,
 * so an error (a full disk, a permission) leaves nothing half-written. An existing empty directory
 * is replaced; a non-empty one is refused.
 */
export async function writeProject(dir: string, files: readonly ProjectFile[]): Promise<string> {
  const target = resolve(dir);
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined && existing.length > 0) {
    throw new DirectoryNotEmptyError(`${target} already exists and is not empty: choose another --dir or name`);
  }
  // The first directory mkdir created, if any: removed again on an error, with what it holds.
  const createdParent = await mkdir(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { flag: 'wx' });
    }
    if (existing !== undefined) await rmdir(target); // empty: made way for the rename
    await rename(staging, target);
  } catch (error) {
    await rm(createdParent ?? staging, { recursive: true, force: true });
    throw error;
  }
  return target;
}
