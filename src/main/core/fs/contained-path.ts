// Where a write may land: inside a folder by REAL path, not only by spelling. A lexical
// check (no '..') is not enough once the folder holds symlinks: with src/lnk -> /elsewhere,
// src/lnk/x spells a path inside src/ and lands in /elsewhere. Every write into a service's
// src/ (src.addFiles, src.copyIn, src.mkdir, src.rename, src.delete, src.newFile) and the API's sign output go through
// resolveContained; the file is then created with createNewFileContained (or the folder
// re-checked with assertRealPathUnchanged) so a link swapped in meanwhile is caught too.
import { constants } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { appError } from '../../../shared/errors';

export interface ContainedPath {
  /** The destination as asked for (absolute, normalised). */
  path: string;
  /** Where a write really lands: the deepest existing ancestor's real path plus the rest. */
  real: string;
  /** The real path of the folder the write must stay in. */
  realBase: string;
  /** The destination already exists (and is not a symlink: those are refused). */
  exists: boolean;
}

/** True when `child` is `parent` or lies below it (both absolute and normalised). */
export function isInsideOrSame(parent: string, child: string): boolean {
  const back = relative(parent, child);
  return back === '' || (back !== '..' && !back.startsWith(`..${sep}`) && !isAbsolute(back));
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** lstat that answers null for a path that does not exist. */
async function lstatOrNull(path: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(path);
  } catch (err) {
    // ELOOP: an ancestor is a link loop; the caller finds it through realpath.
    if (isMissing(err) || (err as { code?: unknown }).code === 'ELOOP') return null;
    throw err;
  }
}

/**
 * The real path of `path` even when its last components do not exist yet: the deepest
 * existing ancestor through realpath, then the missing names appended. Null when an
 * existing ancestor is a link that leads nowhere (dangling, or a loop).
 */
async function realPathOfDeepestAncestor(path: string): Promise<{ real: string; existing: string; rest: string[] } | null> {
  let existing = path;
  const rest: string[] = [];
  while ((await lstatOrNull(existing)) === null) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(basename(existing));
    existing = parent;
  }
  try {
    return { real: join(await realpath(existing), ...rest), existing, rest };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (isMissing(err) || code === 'ELOOP') return null;
    throw err;
  }
}

export interface ContainOptions {
  /** How the base is named in messages, e.g. 'the source folder'. */
  baseName?: string;
  /** How the destination is named in messages (default: its path). */
  label?: string;
}

/**
 * Resolves `target` (absolute, or relative to `base`) for a write that must stay inside
 * `base`. Refuses with 'invalid-input' (the location names the destination) when
 *   - the path leaves `base` as spelt,
 *   - the destination itself is a symlink (never written through, even pointing inside),
 *   - an existing ancestor is a link that leads nowhere, or
 *   - the real path of the deepest existing ancestor lies outside the real `base`.
 * Links inside `base` that point elsewhere inside it are followed (they are part of the
 * rootfs); the returned `real` path is the one to write to.
 */
export async function resolveContained(base: string, target: string, options: ContainOptions = {}): Promise<ContainedPath> {
  const baseName = options.baseName ?? 'the folder';
  const absBase = resolve(base);
  const path = resolve(absBase, target);
  const label = options.label ?? path;
  if (path.includes('\0')) throw appError('invalid-input', 'Paths may not contain NUL characters.');
  if (!isInsideOrSame(absBase, path)) throw appError('invalid-input', `${label} leaves ${baseName}.`, { file: path });

  const baseReal = await realPathOfDeepestAncestor(absBase);
  if (!baseReal) throw appError('invalid-input', `${absBase} is a symbolic link that leads nowhere.`, { file: absBase });
  const realBase = baseReal.real;

  const own = await lstatOrNull(path);
  if (own?.isSymbolicLink() && path !== absBase) {
    throw appError('invalid-input', `${label} is a symbolic link; Bundle Studio never writes through links.`, { file: path });
  }
  const found = await realPathOfDeepestAncestor(path);
  if (!found) {
    throw appError('invalid-input', `${label} goes through a symbolic link that leads nowhere; refusing to write there.`, { file: path });
  }
  if (!isInsideOrSame(realBase, found.real)) {
    const via = found.existing === path ? path : found.existing;
    throw appError('invalid-input', `${label} leads outside ${baseName} through the symbolic link ${via} (to ${found.real}); refusing to write there.`, { file: path });
  }
  return { path, real: found.real, realBase, exists: own !== null };
}

/**
 * Checks, right before writing, that `realPath` (from resolveContained, created meanwhile)
 * still is its own real path inside `realBase`: a component swapped for a link since the
 * check shows up as a different real path.
 */
export async function assertRealPathUnchanged(realPath: string, realBase: string, label: string): Promise<void> {
  const now = await realpath(realPath);
  if (now !== realPath || !isInsideOrSame(realBase, now)) {
    throw appError('invalid-input', `${label} changed into a symbolic link while writing; refusing to write there.`, { file: realPath });
  }
}

/** O_NOFOLLOW where the platform has it (not on Windows). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Creates a new file at `contained.real` (parent folders must exist): the parent is
 * re-checked, then the file is opened O_CREAT | O_EXCL | O_NOFOLLOW, so an existing file
 * or a link put there meanwhile (even a dangling one) fails instead of being followed.
 */
export async function createNewFileContained(contained: ContainedPath, mode: number, label: string): Promise<FileHandle> {
  await assertRealPathUnchanged(dirname(contained.real), contained.realBase, label);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW;
  return open(contained.real, flags, mode);
}

export interface ContainedEntry {
  /** The path as asked for (absolute, normalised). */
  path: string;
  /** Its real path, inside the real base. */
  real: string;
  kind: 'file' | 'folder' | 'other';
}

/**
 * The read-side twin of resolveContained, for files a bundle references: `target`
 * (relative to `base`) must stay inside `base` as spelt and by real path, so a link that
 * leads out (itself or any folder on the way) is refused with 'invalid-input', naming it.
 * Links that stay inside are followed. Null when nothing is there.
 */
export async function resolveContainedForRead(base: string, target: string, options: ContainOptions = {}): Promise<ContainedEntry | null> {
  const baseName = options.baseName ?? 'the folder';
  const absBase = resolve(base);
  const path = resolve(absBase, target);
  const label = options.label ?? path;
  if (path.includes('\0')) throw appError('invalid-input', 'Paths may not contain NUL characters.');
  if (!isInsideOrSame(absBase, path)) throw appError('invalid-input', `${label} leaves ${baseName}.`, { file: path });
  const realBase = await realpath(absBase);
  const found = await realPathOfDeepestAncestor(path);
  if (!found) throw appError('invalid-input', `${label} goes through a symbolic link that leads nowhere.`, { file: path });
  if (!isInsideOrSame(realBase, found.real)) {
    throw appError('invalid-input', `${label} leads outside ${baseName} through the symbolic link ${found.existing} (to ${found.real}).`, { file: path });
  }
  // A dangling link at the path itself was refused above (realpath fails on it).
  if (found.rest.length > 0) return null;
  const st = await stat(found.real);
  return { path, real: found.real, kind: st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other' };
}
