// Adding files and folders to a service's rootfs. Every path is checked to stay inside
// src/, and nothing existing is overwritten.
import { cp, lstat, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { appError } from '../../../shared/errors';

/** Resolves a user-given path relative to `base`, refusing anything that leaves it. */
export function resolveInside(base: string, rel: string): string {
  if (rel.includes('\0')) throw appError('invalid-input', 'Paths may not contain NUL characters.');
  const cleaned = rel.replace(/\\/g, '/');
  if (isAbsolute(cleaned) || /^[a-zA-Z]:/.test(cleaned)) throw appError('invalid-input', `${rel} must be relative to the source folder.`);
  const full = resolve(base, normalize(cleaned));
  const back = relative(base, full);
  if (back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back)) {
    throw appError('invalid-input', `${rel} leaves the source folder.`);
  }
  return full;
}

async function missing(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return false;
  } catch {
    return true;
  }
}

export interface NewFile {
  path: string;
  content: Uint8Array;
  executable?: boolean;
}

/** Writes dropped or picked files under `srcDir/dir`; returns their paths relative to srcDir. */
export async function addFiles(srcDir: string, dir: string, files: readonly NewFile[]): Promise<string[]> {
  const targetDir = dir ? resolveInside(srcDir, dir) : srcDir;
  const planned = files.map((f) => ({ file: f, full: resolveInside(targetDir, f.path) }));
  for (const { full } of planned) {
    if (!(await missing(full))) throw appError('exists', `${relative(srcDir, full)} already exists in the source folder.`, { file: full });
  }
  const added: string[] = [];
  for (const { file, full } of planned) {
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, file.content, { flag: 'wx', mode: file.executable ? 0o755 : 0o644 });
    added.push(relative(srcDir, full).split(sep).join('/'));
  }
  return added;
}

/** Copies files or folders from elsewhere on disk into `srcDir/dir`, keeping modes and symlinks. */
export async function copyIntoSource(srcDir: string, dir: string, sources: readonly string[]): Promise<string[]> {
  const targetDir = dir ? resolveInside(srcDir, dir) : srcDir;
  await mkdir(targetDir, { recursive: true });
  const added: string[] = [];
  for (const source of sources) {
    const from = resolve(source);
    const to = join(targetDir, basename(from));
    if (!(await missing(to))) throw appError('exists', `${relative(srcDir, to)} already exists in the source folder.`, { file: to });
    const inside = relative(srcDir, from);
    if (!inside.startsWith('..') && !isAbsolute(inside)) throw appError('invalid-input', `${source} is already inside the source folder.`);
    await cp(from, to, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true, verbatimSymlinks: true });
    added.push(relative(srcDir, to).split(sep).join('/'));
  }
  return added;
}

export async function makeSourceFolder(srcDir: string, rel: string): Promise<string> {
  const full = resolveInside(srcDir, rel);
  if (!(await missing(full))) throw appError('exists', `${rel} already exists in the source folder.`, { file: full });
  await mkdir(full, { recursive: true });
  return full;
}
