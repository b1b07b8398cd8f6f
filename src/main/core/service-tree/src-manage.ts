// Renaming, moving, deleting and creating entries in a service's rootfs (src/), from the
// tree view. Every destination passes the one containment gate (resolveContained): a
// symlink inside src/ never carries a rename or a delete out of it. The entry acted on may
// itself be a symlink: it is the link that is renamed or deleted, never what it points to.
// Nothing existing is overwritten, and a folder never moves into itself.
import { lstat, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { appError } from '../../../shared/errors';
import { assertRealPathUnchanged, isInsideOrSame, resolveContained } from '../fs/contained-path';
import { addFiles, resolveInside } from './src-edit';

const SOURCE = 'the source folder';
const shown = (srcDir: string, full: string) => relative(srcDir, full).split(sep).join('/') || '.';

/**
 * An existing entry inside src/ (not src/ itself), by the real path of its folder plus its
 * own name, so that a symlink entry is named, not followed.
 */
async function existingEntry(srcDir: string, rel: string) {
  const full = resolveInside(srcDir, rel);
  if (relative(srcDir, full) === '') throw appError('invalid-input', 'The source folder itself cannot be renamed, moved or deleted here.');
  const label = shown(srcDir, full);
  const parent = await resolveContained(srcDir, dirname(full), { baseName: SOURCE, label: shown(srcDir, dirname(full)) });
  const real = join(parent.real, basename(full));
  try {
    await lstat(real);
  } catch {
    throw appError('not-found', `${label} is not in the source folder.`, { file: full });
  }
  return { full, real, realBase: parent.realBase, label };
}

/**
 * Renames or moves `from` to `to` (both relative to src/). The destination's folder must
 * exist; an existing destination is refused with 'exists'. Returns the new path.
 */
export async function renameInSrc(srcDir: string, from: string, to: string): Promise<string> {
  const source = await existingEntry(srcDir, from);
  const full = resolveInside(srcDir, to);
  const label = shown(srcDir, full);
  if (relative(srcDir, full) === '') throw appError('invalid-input', 'The destination must be a name inside the source folder.');
  const target = await resolveContained(srcDir, full, { baseName: SOURCE, label });
  if (target.exists) throw appError('exists', `${label} already exists in the source folder.`, { file: full });
  const parentReal = dirname(target.real);
  try {
    if (!(await lstat(parentReal)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw appError('not-found', `The folder ${shown(srcDir, dirname(full))} is not in the source folder.`, { file: dirname(full) });
  }
  const sourceStat = await lstat(source.real);
  if (sourceStat.isDirectory() && isInsideOrSame(source.real, target.real)) {
    throw appError('invalid-input', `${source.label} cannot move into itself.`, { file: full });
  }
  await assertRealPathUnchanged(parentReal, target.realBase, label);
  // rename(2) replaces an existing file: check once more right before, so a file that
  // appeared since the first check is not overwritten (a race of microseconds remains).
  if (await lstat(target.real).then(() => true, () => false)) throw appError('exists', `${label} already exists in the source folder.`, { file: full });
  await rename(source.real, target.real);
  return label;
}

export interface DeleteOptions {
  /** Moves the entry to the system trash (the desktop app's shell.trashItem); without it the delete is permanent. */
  trash?: (path: string) => Promise<void>;
}

/** Deletes `rel` (a file, a link or a whole folder) from src/: to the trash when given one. */
export async function deleteInSrc(srcDir: string, rel: string, options: DeleteOptions = {}): Promise<{ trashed: boolean }> {
  const entry = await existingEntry(srcDir, rel);
  await assertRealPathUnchanged(dirname(entry.real), entry.realBase, entry.label);
  if (options.trash) {
    await options.trash(entry.real);
    return { trashed: true };
  }
  await rm(entry.real, { recursive: true, force: false });
  return { trashed: false };
}

/** Creates an empty file at `rel` (its folders made as needed); refuses an existing one. */
export async function newFileInSrc(srcDir: string, rel: string): Promise<string> {
  const [added] = await addFiles(srcDir, '', [{ path: rel, content: new Uint8Array() }]);
  return added;
}
