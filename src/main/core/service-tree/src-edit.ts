// Adding files and folders to a service's rootfs. Every path is checked to stay inside
// src/, by spelling (resolveInside) and by real path (resolveContained: a symlink inside
// src/ never carries a write out of it); nothing existing is overwritten, and no existing
// symlink is ever a destination.
import { cp, mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { AppFailure, appError } from '../../../shared/errors';
import { assertRealPathUnchanged, createNewFileContained, isInsideOrSame, resolveContained } from '../fs/contained-path';

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

const SOURCE = 'the source folder';

/** A destination inside src/ by real path (see core/fs/contained-path): the one gate every write into src/ passes. */
function inSource(srcDir: string, full: string) {
  return resolveContained(srcDir, full, { baseName: SOURCE, label: relative(srcDir, full).split(sep).join('/') || '.' });
}

const shown = (srcDir: string, full: string) => relative(srcDir, full).split(sep).join('/');

/**
 * Through the API, src/ writes also need the source folder itself inside the service
 * folder by real path: config.yaml can be edited through the API too, and a
 * build.source_folder of ../../.ssh (or src/x with x a link) must not turn src.addFiles
 * into a write anywhere. Refuses with 'forbidden' at build.source_folder.
 */
export async function requireSourceFolderInService(root: string, srcDir: string, configPath: string): Promise<void> {
  try {
    await resolveContained(root, srcDir, { baseName: 'the service folder', label: `The source folder ${srcDir}` });
  } catch (err) {
    if (!(err instanceof AppFailure) || err.error.code !== 'invalid-input') throw err;
    throw appError(
      'forbidden',
      `${err.error.message} The app adds to a source folder only inside the service folder ${root} (build.source_folder).`,
      { file: configPath, path: 'build.source_folder' },
    );
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
  const planned = [];
  for (const file of files) {
    const full = resolveInside(targetDir, file.path);
    const contained = await inSource(srcDir, full);
    if (contained.exists) throw appError('exists', `${shown(srcDir, full)} already exists in the source folder.`, { file: full });
    planned.push({ file, full, contained });
  }
  const added: string[] = [];
  for (const { file, full, contained } of planned) {
    await mkdir(dirname(contained.real), { recursive: true });
    const handle = await createNewFileContained(contained, file.executable ? 0o755 : 0o644, shown(srcDir, full));
    try {
      await handle.writeFile(file.content);
    } finally {
      await handle.close();
    }
    added.push(shown(srcDir, full));
  }
  return added;
}

/** Copies files or folders from elsewhere on disk into `srcDir/dir`, keeping modes and symlinks. */
export async function copyIntoSource(srcDir: string, dir: string, sources: readonly string[]): Promise<string[]> {
  const targetDir = dir ? resolveInside(srcDir, dir) : srcDir;
  const added: string[] = [];
  for (const source of sources) {
    const from = resolve(source);
    const to = join(targetDir, basename(from));
    const contained = await inSource(srcDir, to);
    if (contained.exists) throw appError('exists', `${shown(srcDir, to)} already exists in the source folder.`, { file: to });
    const realFrom = await realpath(from);
    if (isInsideOrSame(contained.realBase, realFrom) || isInsideOrSame(resolve(srcDir), from)) {
      throw appError('invalid-input', `${source} is already inside the source folder.`, { file: from });
    }
    if (isInsideOrSame(realFrom, contained.realBase)) throw appError('invalid-input', `${source} holds the source folder itself.`, { file: from });
    await mkdir(dirname(contained.real), { recursive: true });
    await assertRealPathUnchanged(dirname(contained.real), contained.realBase, shown(srcDir, to));
    await cp(from, contained.real, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true, verbatimSymlinks: true });
    added.push(shown(srcDir, to));
  }
  return added;
}

export async function makeSourceFolder(srcDir: string, rel: string): Promise<string> {
  const full = resolveInside(srcDir, rel);
  const contained = await inSource(srcDir, full);
  if (contained.exists) throw appError('exists', `${rel} already exists in the source folder.`, { file: full });
  await mkdir(contained.real, { recursive: true });
  await assertRealPathUnchanged(contained.real, contained.realBase, rel);
  return full;
}
