import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryNotEmptyError, writeProject } from './project.writer.js';

const FILES = [
  { path: 'package.json', content: '{}\n' },
  { path: 'src/main.ts', content: 'export {};\n' },
];

describe('writeProject', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'apikit-writer-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes every file, creating the missing parent directories', async () => {
    const dir = await writeProject(join(root, 'a', 'b', 'svc'), FILES);
    expect(dir).toBe(join(root, 'a', 'b', 'svc'));
    expect(readFileSync(join(dir, 'src/main.ts'), 'utf8')).toBe('export {};\n');
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['svc']); // no staging directory left behind
  });

  it('writes into an existing empty directory', async () => {
    mkdirSync(join(root, 'svc'));
    await writeProject(join(root, 'svc'), FILES);
    expect(readdirSync(join(root, 'svc')).sort()).toEqual(['package.json', 'src']);
  });

  it('refuses a non-empty directory and leaves it as it was', async () => {
    mkdirSync(join(root, 'svc'));
    writeFileSync(join(root, 'svc', 'notes.txt'), 'mine');
    await expect(writeProject(join(root, 'svc'), FILES)).rejects.toThrow(DirectoryNotEmptyError);
    await expect(writeProject(join(root, 'svc'), FILES)).rejects.toThrow(/already exists and is not empty/);
    expect(readdirSync(join(root, 'svc'))).toEqual(['notes.txt']);
    expect(readdirSync(root)).toEqual(['svc']);
  });

  it('leaves nothing half-written when a file fails midway: no project, no staging, no new parents', async () => {
    // The second write of one path fails (files are created exclusively), after the first files exist.
    const failing = [...FILES, { path: 'src/main.ts', content: 'again' }];
    await expect(writeProject(join(root, 'new', 'parent', 'svc'), failing)).rejects.toThrow(/EEXIST/);
    expect(readdirSync(root)).toEqual([]);
    await expect(writeProject(join(root, 'svc'), failing)).rejects.toThrow(/EEXIST/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps an existing empty directory when a write fails', async () => {
    mkdirSync(join(root, 'svc'));
    await expect(writeProject(join(root, 'svc'), [...FILES, FILES[0]])).rejects.toThrow(/EEXIST/);
    expect(readdirSync(root)).toEqual(['svc']);
    expect(existsSync(join(root, 'svc', 'package.json'))).toBe(false);
  });
});
