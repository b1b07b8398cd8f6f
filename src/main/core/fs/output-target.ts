// What may be replaced by an output: a regular file, or nothing yet. An output is written to
// a temp file and renamed onto its path, and rename replaces whatever is there: a device
// node (`-o /dev/null` run as root), a FIFO, a socket, a symlink. Those are refused, by kind.
import { promises as fs, type Stats } from 'node:fs';
import { appError, fsFailure } from '../../../shared/errors';

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
