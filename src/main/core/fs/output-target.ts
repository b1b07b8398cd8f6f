// What may be replaced by an output: a regular file, or nothing yet. An output is written to
// a temp file and renamed onto its path, and rename replaces whatever is there: a device
// node (`-o /dev/null` run as root), a FIFO, a socket, a symlink. Those are refused, by kind.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { appError, fsFailure } from '../../../shared/errors';
import type { WriteGrants } from './write-grants';

export function fileKindOf(st: Stats): string {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'folder';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isFIFO()) return 'FIFO (named pipe)';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

/**
 * Refuses an output path that exists and is not a regular file (checked without following
 * a symlink: the rename would replace the link itself). `what` names the output in messages.
 */
export async function assertReplaceableOutput(file: string, what = 'The output'): Promise<void> {
  let st: Stats;
  try {
    st = await fs.lstat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw fsFailure(e, 'Cannot write', file);
  }
  if (st.isFile()) return;
  const kind = fileKindOf(st);
  const hint = st.isDirectory()
    ? 'give a file name inside it, e.g. ' + `${file.replace(/\/+$/, '')}/service.tar.gz`
    : st.isSymbolicLink()
      ? 'give the path of a regular file (the link would be replaced, not its target)'
      : `it would be replaced by a regular file; give the path of a regular file`;
  throw appError('invalid-input', `${what} ${file} is a ${kind}, not a regular file: ${hint}.`, { file });
}

/**
 * Where the app (not the CLI) may write an export of one file, such as an SBOM: the path the
 * user chose in the native save dialog (proven by the grant main handed out with it; the
 * dialog already asked before replacing a file), or else a path where nothing exists yet.
 * Through the API, whoever holds the renderer or the browser-mode token must not be able to
 * overwrite a file of the user's (README, "What a token holder can do").
 */
export async function resolveNewOrGrantedOutput(file: string, grant: string | undefined, grants: WriteGrants, what = 'The output'): Promise<string> {
  const target = path.resolve(file);
  if (grant !== undefined) {
    const granted = grants.pathOf(grant);
    if (granted === null) throw appError('forbidden', 'The file chosen in the save dialog is no longer valid (unknown or expired); choose it again.', { file: target });
    if (granted !== target) throw appError('forbidden', `${target} is not the file chosen in the save dialog (${granted}); choose it again.`, { file: target });
    await assertReplaceableOutput(target, what);
    return target;
  }
  const there = await fs.lstat(target).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw fsFailure(e, 'Cannot write', target);
    },
  );
  if (there) throw appError('exists', `${what} ${target} exists already: the app writes a new file only (nothing is overwritten), unless you choose the file in the save dialog of the desktop app.`, { file: target });
  return target;
}
